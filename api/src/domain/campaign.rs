//! Campaigns: dates inside the plan's period, a budget, levers and target personas.

use chrono::{NaiveDate, Utc};
use entity::{
    campaign,
    enums::{CampaignStatus, Lever, ObjectiveKind},
    plan,
};
use rust_decimal::Decimal;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::{
    DomainResult, Session,
    plan::check_personas,
    validation::{Violations, unique},
};
use crate::{auth::Permission, store};

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
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// Planned budget.
    pub budget: Decimal,
    /// Initial status; `PLANNED` when absent.
    pub status: Option<CampaignStatus>,
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
    /// New first day.
    pub start_date: Option<NaiveDate>,
    /// New last day.
    pub end_date: Option<NaiveDate>,
    /// New budget.
    pub budget: Option<Decimal>,
    /// New status.
    pub status: Option<CampaignStatus>,
}

fn check_dates(violations: &mut Violations, plan: &plan::Model, start: NaiveDate, end: NaiveDate) {
    violations.date_order("endDate", start, end);
    violations.within_period("startDate", start, plan.period_start, plan.period_end);
    violations.within_period("endDate", end, plan.period_start, plan.period_end);
}

/// Creates a campaign with its levers and personas, in one transaction.
pub async fn create(session: &Session, input: NewCampaign) -> DomainResult<campaign::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(input.plan_id).await?;
    let mut violations = Violations::new();
    let name = violations.name("name", &input.name);
    check_dates(&mut violations, &plan, input.start_date, input.end_date);
    let budget_micros = violations.money("budget", input.budget);
    let persona_ids =
        check_personas(&scope, &mut violations, "personaIds", &input.persona_ids).await?;
    violations.finish()?;

    let now = Utc::now();
    let transaction = scope.begin().await?;
    let created = transaction
        .insert(campaign::ActiveModel {
            tenant_id: Set(transaction.tenant_id()),
            id: Set(Uuid::now_v7()),
            plan_id: Set(plan.id),
            name: Set(name),
            kind: Set(input.kind),
            start_date: Set(input.start_date),
            end_date: Set(input.end_date),
            budget_micros: Set(budget_micros),
            status: Set(input.status.unwrap_or(CampaignStatus::Planned)),
            utm_code: Set(None),
            parent_campaign_id: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .await?;
    store::campaign::set_levers(&transaction, created.id, &unique(&input.levers)).await?;
    store::campaign::set_personas(&transaction, created.id, &persona_ids).await?;
    transaction.commit().await?;
    Ok(created)
}

/// Applies changes to a campaign if its version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: CampaignChanges,
) -> DomainResult<campaign::Model> {
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
        row.status = Set(status);
    }
    let persona_ids = match &changes.persona_ids {
        Some(ids) => Some(check_personas(&scope, &mut violations, "personaIds", ids).await?),
        None => None,
    };
    violations.finish()?;

    let transaction = scope.begin().await?;
    let updated = transaction
        .update_versioned::<campaign::Entity, _>(id, expected_version, row)
        .await?;
    if let Some(levers) = &changes.levers {
        store::campaign::set_levers(&transaction, id, &unique(levers)).await?;
    }
    if let Some(persona_ids) = persona_ids {
        store::campaign::set_personas(&transaction, id, &persona_ids).await?;
    }
    transaction.commit().await?;
    Ok(updated)
}

/// Deletes a campaign with its lever and persona links; its actions stay in the plan, detached
/// from it.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    let transaction = scope.begin().await?;
    transaction.get::<campaign::Entity>(id).await?;
    store::action::detach_from_campaign(&transaction, id).await?;
    transaction.delete::<campaign::Entity>(id).await?;
    transaction.commit().await?;
    Ok(id)
}
