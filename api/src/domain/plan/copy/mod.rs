//! Copying a plan into a new period (`copyPlan`): the whole plan — personas links, strategy
//! layer, lever allocations and interactions, objectives, campaigns with their links, actions
//! and content items — duplicated in one transaction under new ids, with every date moved to
//! the new period (see [`shift`]) and every status reset to its starting value. What is copied,
//! and in which order, is the table in [`steps`]; how each table's rows change, [`rows`].

mod rows;
mod shift;
mod steps;

use chrono::NaiveDate;
use entity::plan;
use uuid::Uuid;

use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session,
    validation::{self, Violations},
};
use crate::{auth::Permission, store};

pub use shift::PeriodShift;

/// What `copyPlan` is asked for.
#[derive(Debug, Clone)]
pub struct PlanCopyRequest {
    /// The plan to copy.
    pub plan_id: Uuid,
    /// The new plan's name.
    pub name: String,
    /// The first day of the new plan's period.
    pub period_start: NaiveDate,
}

/// Copies the plan as asked, in one transaction: nothing is written if anything fails.
/// Returns the new plan.
pub async fn copy(session: &Session, request: PlanCopyRequest) -> DomainResult<plan::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let transaction = scope.begin().await?;
    let source = store::plan::contents::load(&transaction, request.plan_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let (name, shift) = check(&request, &source.plan)?;
    let created = steps::run(&transaction, &source, name, shift).await?;
    transaction.commit().await?;
    Ok(created)
}

/// Checks the new name and that the new period can be stored; returns the name and the shift.
fn check(request: &PlanCopyRequest, plan: &plan::Model) -> DomainResult<(String, PeriodShift)> {
    let mut violations = Violations::new();
    let name = violations.name("name", &request.name);
    let shift = PeriodShift::new(plan.period_start, plan.period_end, request.period_start);
    match shift {
        None => violations.add(
            &["periodStart"],
            FieldErrorCode::OutOfRange,
            "the new period would end beyond the last date this server can store",
        ),
        Some(shift) if !validation::is_supported_date(shift.end) => violations.add(
            &["periodStart"],
            FieldErrorCode::OutOfRange,
            format!(
                "the new period would end on {}, after the last date accepted ({})",
                shift.end,
                validation::LAST_DATE
            ),
        ),
        // A plan stored before periods were bounded cannot be copied into a longer one.
        Some(shift) => crate::domain::plan::check_period_length(
            &mut violations,
            "periodStart",
            shift.start,
            shift.end,
        ),
    }
    violations.finish()?;
    // Reported above as a violation, so this never refuses anything finish() let through.
    let shift = shift.ok_or(DomainError::NotFound)?;
    Ok((name, shift))
}
