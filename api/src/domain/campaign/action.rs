//! Actions: the unit of the action plan. Dates inside the plan's period, an optional campaign of
//! the same plan, a journey step (its phase is derived), a budget and an actual cost, and the
//! ICE inputs whose product is the action's priority.
//!
//! `write.rs` creates, changes and deletes actions with the checks of their fields.

mod write;

use chrono::NaiveDate;
use entity::{
    action,
    action_enums::{ActionStatus, ActionType, FunnelStage, JourneyStep},
    enums::Lever,
};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::domain::{DomainResult, Session, external_ref::RawExternalRef};
use crate::{
    auth::Permission,
    store::{
        self,
        campaign::action::{ActionFilter, ActionSort},
        page::{OrderedPageRequest, Page},
    },
};

pub use write::{create, delete, update, update_in, upsert};

/// Smallest ICE input.
pub const ICE_MIN: i32 = 1;
/// Largest ICE input.
pub const ICE_MAX: i32 = 10;
/// Longest owner accepted.
pub const MAX_OWNER_CHARS: usize = 200;

/// The ICE score: impact × confidence × ease, from 1 (1 × 1 × 1) to 1000 (10 × 10 × 10).
/// The higher, the sooner the action should be done.
pub fn ice_score(impact: i32, confidence: i32, ease: i32) -> i32 {
    impact * confidence * ease
}

/// What a new action is made of.
#[derive(Debug, Clone)]
pub struct NewAction {
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// The campaign it is part of (same plan).
    pub campaign_id: Option<Uuid>,
    /// Title.
    pub title: String,
    /// Optional description.
    pub description: Option<String>,
    /// The tactic.
    pub action_type: ActionType,
    /// The lever.
    pub lever: Lever,
    /// The journey step.
    pub journey_step: JourneyStep,
    /// The funnel stage.
    pub funnel_stage: FunnelStage,
    /// First day.
    pub start_date: NaiveDate,
    /// Due day.
    pub due_date: NaiveDate,
    /// Who is responsible.
    pub owner: Option<String>,
    /// Initial status; `TODO` when absent.
    pub status: Option<ActionStatus>,
    /// Planned budget.
    pub budget: Decimal,
    /// Actual cost; 0 when absent.
    pub actual_cost: Option<Decimal>,
    /// ICE impact (1–10).
    pub impact: i32,
    /// ICE confidence (1–10).
    pub confidence: i32,
    /// ICE ease (1–10).
    pub ease: i32,
    /// Its reference in the system it is synced from.
    pub external_ref: Option<RawExternalRef>,
}

/// Changes to an action; `None` leaves a field as it is, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct ActionChanges {
    /// New campaign, or none.
    pub campaign_id: Option<Option<Uuid>>,
    /// New title.
    pub title: Option<String>,
    /// New description.
    pub description: Option<Option<String>>,
    /// New tactic.
    pub action_type: Option<ActionType>,
    /// New lever.
    pub lever: Option<Lever>,
    /// New journey step (the phase follows).
    pub journey_step: Option<JourneyStep>,
    /// New funnel stage.
    pub funnel_stage: Option<FunnelStage>,
    /// New first day.
    pub start_date: Option<NaiveDate>,
    /// New due day.
    pub due_date: Option<NaiveDate>,
    /// New owner.
    pub owner: Option<Option<String>>,
    /// New status.
    pub status: Option<ActionStatus>,
    /// New planned budget.
    pub budget: Option<Decimal>,
    /// New actual cost.
    pub actual_cost: Option<Decimal>,
    /// New ICE impact.
    pub impact: Option<i32>,
    /// New ICE confidence.
    pub confidence: Option<i32>,
    /// New ICE ease.
    pub ease: Option<i32>,
    /// New external reference (`Some(None)` clears it).
    pub external_ref: Option<Option<RawExternalRef>>,
}

impl ActionChanges {
    /// The changes an upsert applies: every field of the document, as a create would set it;
    /// the status and the actual cost only when given.
    pub fn from_document(action: &NewAction) -> Self {
        let action = action.clone();
        Self {
            campaign_id: Some(action.campaign_id),
            title: Some(action.title),
            description: Some(action.description),
            action_type: Some(action.action_type),
            lever: Some(action.lever),
            journey_step: Some(action.journey_step),
            funnel_stage: Some(action.funnel_stage),
            start_date: Some(action.start_date),
            due_date: Some(action.due_date),
            owner: Some(action.owner),
            status: action.status,
            budget: Some(action.budget),
            actual_cost: action.actual_cost,
            impact: Some(action.impact),
            confidence: Some(action.confidence),
            ease: Some(action.ease),
            external_ref: None,
        }
    }
}

/// Checks the texts of an action list's filter (the owner): refused as invalid input when no
/// action can hold them (a NUL, longer than an owner).
pub fn check_filter(filter: &ActionFilter) -> DomainResult<()> {
    match &filter.owner {
        Some(owner) => crate::domain::validation::filter_text("filter", &["owner"], owner.trim()),
        None => Ok(()),
    }
}

/// One page of the tenant's actions matching `filter` in the order `sort`, with the total
/// count.
pub async fn list(
    session: &Session,
    filter: &ActionFilter,
    sort: ActionSort,
    request: &OrderedPageRequest,
) -> DomainResult<(Page<action::Model>, u64)> {
    let scope = session.scope(Permission::ReadPlan)?;
    check_filter(filter)?;
    Ok((
        store::campaign::action::list(&scope, filter, sort, request).await?,
        store::campaign::action::count(&scope, filter).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ice_score_is_the_product_of_its_inputs() {
        assert_eq!(ice_score(1, 1, 1), 1);
        assert_eq!(ice_score(10, 10, 10), 1000);
        assert_eq!(ice_score(7, 4, 9), 252);
    }
}
