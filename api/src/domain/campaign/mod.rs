//! Campaigns: dates inside the plan's period, a budget, levers, target personas, the objectives
//! they serve, a UTM code unique in the plan, an optional parent campaign of the same plan, and
//! a status that follows the lifecycle of [`status`].

pub mod action;
pub mod content;
pub mod status;

use chrono::NaiveDate;
use entity::{
    campaign,
    enums::{CampaignStatus, Lever, ObjectiveKind},
    objective, plan,
};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, DatabaseConnection};
use uuid::Uuid;

use crate::domain::{
    DomainResult, FieldErrorCode, Session,
    campaign::status::TransitionError,
    plan::{
        budget::{self, PlanWarning},
        check_personas,
    },
    validation::{Violations, duplicate_as_violation, unique},
};
use crate::{
    auth::Permission,
    store::{
        self, Scoped,
        campaign::CampaignFilter,
        page::{Page, PageRequest},
    },
};

/// Longest UTM code accepted.
pub const MAX_UTM_CODE_CHARS: usize = 100;

const DUPLICATE_UTM_CODE: &str = "another campaign of the plan uses this UTM code";

/// What a new campaign is made of.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// Name.
    pub name: String,
    /// Family.
    pub kind: ObjectiveKind,
    /// Levers used, in order (duplicates are dropped).
    pub levers: Vec<Lever>,
    /// Personas targeted.
    pub persona_ids: Vec<Uuid>,
    /// Objectives served (of the same plan).
    pub objective_ids: Vec<Uuid>,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// Planned budget.
    pub budget: Decimal,
    /// Initial status; `PLANNED` when absent.
    pub status: Option<CampaignStatus>,
    /// The `utm_campaign` code, unique in the plan.
    pub utm_code: Option<String>,
    /// The campaign it is part of, in the same plan.
    pub parent_campaign_id: Option<Uuid>,
}

/// Changes to a campaign; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CampaignChanges {
    /// New name.
    pub name: Option<String>,
    /// New family.
    pub kind: Option<ObjectiveKind>,
    /// New levers (replaces the set).
    pub levers: Option<Vec<Lever>>,
    /// New personas (replaces the set).
    pub persona_ids: Option<Vec<Uuid>>,
    /// New objectives served (replaces the set).
    pub objective_ids: Option<Vec<Uuid>>,
    /// New first day.
    pub start_date: Option<NaiveDate>,
    /// New last day.
    pub end_date: Option<NaiveDate>,
    /// New budget.
    pub budget: Option<Decimal>,
    /// New status, which must follow the lifecycle.
    pub status: Option<CampaignStatus>,
    /// Allows leaving COMPLETED or CANCELLED (re-planning).
    pub reopen: bool,
    /// New UTM code (`Some(None)` clears it).
    pub utm_code: Option<Option<String>>,
    /// New parent (`Some(None)` makes it a top-level campaign).
    pub parent_campaign_id: Option<Option<Uuid>>,
}

fn check_dates(violations: &mut Violations, plan: &plan::Model, start: NaiveDate, end: NaiveDate) {
    violations.date_order("endDate", start, end);
    violations.within_period("startDate", start, plan.period_start, plan.period_end);
    violations.within_period("endDate", end, plan.period_start, plan.period_end);
}

/// True for a well-formed UTM code: 1 to 100 of `a-z`, `0-9`, `-`, `_`, `.`.
pub fn is_valid_utm_code(code: &str) -> bool {
    !code.is_empty()
        && code.chars().count() <= MAX_UTM_CODE_CHARS
        && code.bytes().all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || matches!(byte, b'-' | b'_' | b'.')
        })
}

async fn check_utm_code(
    scope: &Scoped<DatabaseConnection>,
    violations: &mut Violations,
    plan_id: Uuid,
    code: &str,
    except: Option<Uuid>,
) -> DomainResult<String> {
    let code = code.trim().to_owned();
    if !is_valid_utm_code(&code) {
        violations.add(
            &["utmCode"],
            FieldErrorCode::Invalid,
            format!(
                "use 1 to {MAX_UTM_CODE_CHARS} lowercase letters, digits, `-`, `_` or `.` (such as `spring-sale_2027`)"
            ),
        );
    } else if store::campaign::with_utm_code(scope, plan_id, &code, except)
        .await?
        .is_some()
    {
        violations.add(&["utmCode"], FieldErrorCode::Duplicate, DUPLICATE_UTM_CODE);
    }
    Ok(code)
}

/// Checks a parent for the campaign `child` (`None` while creating it): a campaign of the same
/// plan and tenant, not the child itself nor one of its descendants.
async fn check_parent(
    scope: &Scoped<DatabaseConnection>,
    violations: &mut Violations,
    plan_id: Uuid,
    child: Option<Uuid>,
    parent_id: Uuid,
) -> DomainResult<()> {
    const PATH: &str = "parentCampaignId";
    if Some(parent_id) == child {
        violations.add(
            &[PATH],
            FieldErrorCode::Cycle,
            "a campaign cannot be its own parent",
        );
        return Ok(());
    }
    let Some(parent) = scope.find::<campaign::Entity>(parent_id).await? else {
        violations.add(&[PATH], FieldErrorCode::NotFound, "no such campaign");
        return Ok(());
    };
    if parent.plan_id != plan_id {
        violations.add(
            &[PATH],
            FieldErrorCode::Invalid,
            "the parent campaign must belong to the same plan",
        );
        return Ok(());
    }
    if let Some(child) = child {
        // Walk up from the new parent: meeting the child means the child is an ancestor.
        let parents = store::campaign::parent_links(scope, plan_id).await?;
        let mut cursor = Some(parent_id);
        let mut steps = 0;
        while let Some(current) = cursor {
            if current == child {
                violations.add(
                    &[PATH],
                    FieldErrorCode::Cycle,
                    "the parent campaign is one of this campaign's sub-campaigns",
                );
                break;
            }
            steps += 1;
            if steps > parents.len() {
                break;
            }
            cursor = parents.get(&current).copied();
        }
    }
    Ok(())
}

/// Records a violation for each id that is not an objective of the plan; returns the ids
/// without repeats.
async fn check_objectives(
    scope: &Scoped<DatabaseConnection>,
    violations: &mut Violations,
    plan_id: Uuid,
    ids: &[Uuid],
) -> DomainResult<Vec<Uuid>> {
    let found = scope.find_many::<objective::Entity>(ids).await?;
    for (index, id) in ids.iter().enumerate() {
        let index = index.to_string();
        match found.iter().find(|objective| objective.id == *id) {
            None => violations.add(
                &["objectiveIds", &index],
                FieldErrorCode::NotFound,
                "no such objective",
            ),
            Some(objective) if objective.plan_id != plan_id => violations.add(
                &["objectiveIds", &index],
                FieldErrorCode::Invalid,
                "the objective belongs to another plan",
            ),
            Some(_) => {}
        }
    }
    Ok(unique(ids))
}

/// Creates a campaign with its levers, personas and objectives, in one transaction; returns it
/// with the plan's budget warnings as that transaction leaves the plan.
pub async fn create(
    session: &Session,
    input: NewCampaign,
) -> DomainResult<(campaign::Model, Vec<PlanWarning>)> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(input.plan_id).await?;
    let mut violations = Violations::new();
    let name = violations.name("name", &input.name);
    check_dates(&mut violations, &plan, input.start_date, input.end_date);
    let budget_micros = violations.money("budget", input.budget);
    let persona_ids =
        check_personas(&scope, &mut violations, "personaIds", &input.persona_ids).await?;
    let objective_ids =
        check_objectives(&scope, &mut violations, plan.id, &input.objective_ids).await?;
    let utm_code = match &input.utm_code {
        Some(code) => Some(check_utm_code(&scope, &mut violations, plan.id, code, None).await?),
        None => None,
    };
    if let Some(parent_id) = input.parent_campaign_id {
        check_parent(&scope, &mut violations, plan.id, None, parent_id).await?;
    }
    violations.finish()?;

    let transaction = scope.begin().await?;
    let inserted = transaction
        .insert(campaign::ActiveModel {
            plan_id: Set(plan.id),
            name: Set(name),
            kind: Set(input.kind),
            start_date: Set(input.start_date),
            end_date: Set(input.end_date),
            budget_micros: Set(budget_micros),
            status: Set(input.status.unwrap_or(CampaignStatus::Planned)),
            utm_code: Set(utm_code),
            parent_campaign_id: Set(input.parent_campaign_id),
            ..Default::default()
        })
        .await;
    let created = duplicate_as_violation(inserted, "utmCode", DUPLICATE_UTM_CODE)?;
    store::campaign::set_levers(&transaction, created.id, &unique(&input.levers)).await?;
    store::campaign::set_personas(&transaction, created.id, &persona_ids).await?;
    store::campaign::set_objectives(&transaction, created.id, &objective_ids).await?;
    let warnings = budget::of_plan_in(&transaction, plan.id).await?.warnings;
    transaction.commit().await?;
    Ok((created, warnings))
}

fn check_status(
    violations: &mut Violations,
    from: CampaignStatus,
    to: CampaignStatus,
    reopen: bool,
) {
    let name = |status: CampaignStatus| format!("{status:?}").to_uppercase();
    match status::check(from, to, reopen) {
        Ok(()) => {}
        Err(TransitionError::ReopenRequired) => violations.add(
            &["status"],
            FieldErrorCode::InvalidTransition,
            format!(
                "the campaign is {}: set `reopen: true` to re-plan it as {}",
                name(from),
                name(to)
            ),
        ),
        Err(TransitionError::NotAllowed) => {
            let allowed: Vec<String> = status::next_statuses(from)
                .iter()
                .map(|status| name(*status))
                .collect();
            violations.add(
                &["status"],
                FieldErrorCode::InvalidTransition,
                format!(
                    "a {} campaign cannot become {}; it can become {}",
                    name(from),
                    name(to),
                    allowed.join(", ")
                ),
            );
        }
    }
}

/// Applies changes to a campaign if its version is `expected_version`; returns it with the
/// plan's budget warnings as the change leaves the plan.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: CampaignChanges,
) -> DomainResult<(campaign::Model, Vec<PlanWarning>)> {
    let scope = session.scope(Permission::EditPlan)?;
    let current = scope.get::<campaign::Entity>(id).await?;
    let plan = scope.get::<plan::Entity>(current.plan_id).await?;
    let mut violations = Violations::new();
    let mut row = campaign::ActiveModel {
        ..Default::default()
    };
    if let Some(name) = &changes.name {
        row.name = Set(violations.name("name", name));
    }
    if let Some(kind) = changes.kind {
        row.kind = Set(kind);
    }
    if changes.start_date.is_some() || changes.end_date.is_some() {
        let start = changes.start_date.unwrap_or(current.start_date);
        let end = changes.end_date.unwrap_or(current.end_date);
        check_dates(&mut violations, &plan, start, end);
        row.start_date = Set(start);
        row.end_date = Set(end);
    }
    if let Some(budget) = changes.budget {
        row.budget_micros = Set(violations.money("budget", budget));
    }
    if let Some(status) = changes.status {
        check_status(&mut violations, current.status, status, changes.reopen);
        row.status = Set(status);
    }
    if let Some(code) = &changes.utm_code {
        row.utm_code = Set(match code {
            Some(code) => {
                Some(check_utm_code(&scope, &mut violations, plan.id, code, Some(id)).await?)
            }
            None => None,
        });
    }
    if let Some(parent) = changes.parent_campaign_id {
        if let Some(parent_id) = parent {
            check_parent(&scope, &mut violations, plan.id, Some(id), parent_id).await?;
        }
        row.parent_campaign_id = Set(parent);
    }
    let persona_ids = match &changes.persona_ids {
        Some(ids) => Some(check_personas(&scope, &mut violations, "personaIds", ids).await?),
        None => None,
    };
    let objective_ids = match &changes.objective_ids {
        Some(ids) => Some(check_objectives(&scope, &mut violations, plan.id, ids).await?),
        None => None,
    };
    violations.finish()?;

    let transaction = scope.begin().await?;
    let updated = duplicate_as_violation(
        transaction
            .update_versioned::<campaign::Entity, _>(id, expected_version, row)
            .await,
        "utmCode",
        DUPLICATE_UTM_CODE,
    )?;
    if let Some(levers) = &changes.levers {
        store::campaign::set_levers(&transaction, id, &unique(levers)).await?;
    }
    if let Some(persona_ids) = persona_ids {
        store::campaign::set_personas(&transaction, id, &persona_ids).await?;
    }
    if let Some(objective_ids) = objective_ids {
        store::campaign::set_objectives(&transaction, id, &objective_ids).await?;
    }
    let warnings = budget::of_plan_in(&transaction, plan.id).await?.warnings;
    transaction.commit().await?;
    Ok((updated, warnings))
}

/// Deletes a campaign with its lever, persona and objective links. Its sub-campaigns become
/// top-level campaigns and its actions stay in the plan, detached from it, in the same
/// transaction.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    let transaction = scope.begin().await?;
    transaction.get::<campaign::Entity>(id).await?;
    store::campaign::detach_children(&transaction, id).await?;
    store::campaign::action::detach_from_campaign(&transaction, id).await?;
    transaction.delete::<campaign::Entity>(id).await?;
    transaction.commit().await?;
    Ok(id)
}

/// One page of the tenant's campaigns over all its plans, with the total count of campaigns
/// matching the filter.
pub async fn list(
    session: &Session,
    filter: &CampaignFilter,
    request: &PageRequest,
) -> DomainResult<(Page<campaign::Model>, u64)> {
    let scope = session.scope(Permission::ReadPlan)?;
    let page = store::campaign::list(&scope, filter, request).await?;
    let total = store::campaign::count(&scope, filter).await?;
    Ok((page, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utm_codes() {
        for good in ["a", "spring-sale_2027.v2", &"x".repeat(100)] {
            assert!(is_valid_utm_code(good), "{good}");
        }
        for bad in ["", "Spring", "spring sale", "été", "a/b", &"x".repeat(101)] {
            assert!(!is_valid_utm_code(bad), "{bad}");
        }
    }
}
