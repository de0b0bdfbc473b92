//! Inputs of action mutations, and the filter and order of action lists.

use async_graphql::{Enum, ID, InputObject, MaybeUndefined};
use entity::{
    action_enums::{ActionStatus, ActionType, FunnelStage, JourneyPhase, JourneyStep},
    enums::Lever,
};
use uuid::Uuid;

use crate::domain::external_ref::RawExternalRef;
use crate::graphql::inputs::external_ref::ExternalRefInput;
use crate::graphql::inputs::plan::maybe;
use crate::{
    domain::campaign::action::{ActionChanges, NewAction},
    graphql::scalars::{Date, Decimal},
    ids::{self, NodeType},
    store::campaign::action::{self as store_action, ActionSort},
};

/// A new action.
#[derive(Debug, InputObject)]
pub struct CreateActionInput {
    /// Global ID of the plan it belongs to.
    pub plan_id: ID,
    /// The action's fields.
    #[graphql(flatten)]
    pub fields: ActionFields,
    /// Its reference in the system it is synced from, unique among the tenant's actions
    /// (DUPLICATE otherwise).
    pub external_ref: Option<ExternalRefInput>,
}

impl CreateActionInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewAction {
        self.fields
            .into_new(plan_id, self.external_ref.map(RawExternalRef::from))
    }
}

/// Creates or changes the action with an external reference, in the plan named by `planId` or
/// by `planRef` (exactly one): the create's fields, as a whole document. On an update every
/// field is set as the create would set it (an optional field left out is cleared), except a
/// status or an actual cost left out, which are kept; the plan cannot change (INVALID).
/// Sending the same document again changes nothing (UNCHANGED).
#[derive(Debug, InputObject)]
pub struct UpsertActionInput {
    /// The action's reference in the system it is synced from: the key of the upsert.
    pub external_ref: ExternalRefInput,
    /// The version read, if the action was read; refused with CONFLICT when it changed since
    /// (or no longer has this reference).
    pub expected_version: Option<i32>,
    /// Global ID of the plan it belongs to (or give `planRef`).
    pub plan_id: Option<ID>,
    /// External reference of the plan it belongs to (or give `planId`).
    pub plan_ref: Option<ExternalRefInput>,
    /// External reference of the campaign it is part of, instead of `campaignId`.
    pub campaign_ref: Option<ExternalRefInput>,
    /// The action's fields.
    #[graphql(flatten)]
    pub fields: ActionFields,
}

/// The fields of a action, as a create or an upsert gives them.
#[derive(Debug, InputObject)]
pub struct ActionFields {
    /// Global ID of the campaign it is part of, a campaign of the same plan; none when omitted.
    pub campaign_id: Option<ID>,
    /// Title (1 to 200 characters).
    pub title: String,
    /// Optional description.
    pub description: Option<String>,
    /// The tactic.
    pub action_type: ActionType,
    /// The lever it uses.
    pub lever: Lever,
    /// Its step in the customer journey; the phase is derived from it.
    pub journey_step: JourneyStep,
    /// The funnel stage it serves.
    pub funnel_stage: FunnelStage,
    /// First day, inside the plan's period.
    pub start_date: Date,
    /// Due day, inside the plan's period and not before startDate.
    pub due_date: Date,
    /// Who is responsible (free text, at most 200 characters).
    pub owner: Option<String>,
    /// Initial status; TODO when omitted.
    pub status: Option<ActionStatus>,
    /// Planned budget in the plan's currency, not negative.
    pub budget: Decimal,
    /// Actual cost so far in the plan's currency, not negative; 0 when omitted.
    pub actual_cost: Option<Decimal>,
    /// ICE impact: how much the action moves the objectives, 1 to 10.
    pub impact: i32,
    /// ICE confidence: how sure the team is of that impact, 1 to 10.
    pub confidence: i32,
    /// ICE ease: how little effort the action takes, 1 to 10.
    pub ease: i32,
}

impl ActionFields {
    /// The domain input, for the plan `plan_id` (decoded by the resolver), with its reference.
    pub fn into_new(self, plan_id: Uuid, external_ref: Option<RawExternalRef>) -> NewAction {
        NewAction {
            plan_id,
            external_ref,
            campaign_id: self
                .campaign_id
                .map(|id| ids::decode_link(&id, NodeType::Campaign)),
            title: self.title,
            description: self.description,
            action_type: self.action_type,
            lever: self.lever,
            journey_step: self.journey_step,
            funnel_stage: self.funnel_stage,
            start_date: self.start_date.0,
            due_date: self.due_date.0,
            owner: self.owner,
            status: self.status,
            budget: self.budget.0,
            actual_cost: self.actual_cost.map(|d| d.0),
            impact: self.impact,
            confidence: self.confidence,
            ease: self.ease,
        }
    }
}

/// Changes to an action; omitted fields stay as they are, null clears an optional one.
#[derive(Debug, InputObject)]
pub struct UpdateActionInput {
    /// The action's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the action changed since.
    pub expected_version: i32,
    /// New campaign (of the same plan); null detaches the action from its campaign.
    pub campaign_id: MaybeUndefined<ID>,
    /// New title.
    pub title: Option<String>,
    /// New description; null clears it.
    pub description: MaybeUndefined<String>,
    /// New tactic.
    pub action_type: Option<ActionType>,
    /// New lever.
    pub lever: Option<Lever>,
    /// New journey step; the phase follows.
    pub journey_step: Option<JourneyStep>,
    /// New funnel stage.
    pub funnel_stage: Option<FunnelStage>,
    /// New first day.
    pub start_date: Option<Date>,
    /// New due day.
    pub due_date: Option<Date>,
    /// New owner; null clears it.
    pub owner: MaybeUndefined<String>,
    /// New status.
    pub status: Option<ActionStatus>,
    /// New planned budget.
    pub budget: Option<Decimal>,
    /// New actual cost.
    pub actual_cost: Option<Decimal>,
    /// New ICE impact (1 to 10).
    pub impact: Option<i32>,
    /// New ICE confidence (1 to 10).
    pub confidence: Option<i32>,
    /// New ICE ease (1 to 10).
    pub ease: Option<i32>,
    /// New external reference (unique among the tenant's actions); null removes it.
    pub external_ref: MaybeUndefined<ExternalRefInput>,
}

impl From<UpdateActionInput> for ActionChanges {
    fn from(input: UpdateActionInput) -> Self {
        Self {
            external_ref: maybe(input.external_ref).map(|r| r.map(RawExternalRef::from)),
            campaign_id: maybe(input.campaign_id)
                .map(|id| id.map(|id| ids::decode_link(&id, NodeType::Campaign))),
            title: input.title,
            description: maybe(input.description),
            action_type: input.action_type,
            lever: input.lever,
            journey_step: input.journey_step,
            funnel_stage: input.funnel_stage,
            start_date: input.start_date.map(|d| d.0),
            due_date: input.due_date.map(|d| d.0),
            owner: maybe(input.owner),
            status: input.status,
            budget: input.budget.map(|d| d.0),
            actual_cost: input.actual_cost.map(|d| d.0),
            impact: input.impact,
            confidence: input.confidence,
            ease: input.ease,
        }
    }
}

/// The action to delete.
#[derive(Debug, InputObject)]
pub struct DeleteActionInput {
    /// The action's global ID. Its content items stay in the plan, detached from it.
    pub id: ID,
}

/// Filters of an action list; all given conditions must hold. An omitted list matches any
/// value, an empty list matches none.
#[derive(Debug, Default, InputObject)]
pub struct ActionFilter {
    /// Only actions of this plan.
    pub plan_id: Option<ID>,
    /// Only actions in one of these statuses.
    pub statuses: Option<Vec<ActionStatus>>,
    /// Only actions using one of these levers.
    pub levers: Option<Vec<Lever>>,
    /// Only actions of this campaign.
    pub campaign_id: Option<ID>,
    /// Only actions in one of these journey phases.
    pub phases: Option<Vec<JourneyPhase>>,
    /// Only actions at one of these journey steps.
    pub steps: Option<Vec<JourneyStep>>,
    /// Only actions serving one of these funnel stages.
    pub stages: Option<Vec<FunnelStage>>,
    /// Only actions of this owner (the exact text, surrounding spaces ignored).
    pub owner: Option<String>,
    /// Only actions whose start..due range overlaps the calendar month of this date (any day of
    /// the month).
    pub month: Option<Date>,
    /// Only the one with this external reference.
    pub external_ref: Option<ExternalRefInput>,
}

impl From<ActionFilter> for store_action::ActionFilter {
    fn from(filter: ActionFilter) -> Self {
        Self {
            plan_id: filter
                .plan_id
                .map(|id| ids::decode_link(&id, NodeType::Plan)),
            statuses: filter.statuses,
            levers: filter.levers,
            campaign_id: filter
                .campaign_id
                .map(|id| ids::decode_link(&id, NodeType::Campaign)),
            phases: filter.phases,
            steps: filter.steps,
            stages: filter.stages,
            owner: filter.owner,
            month: filter.month.map(|d| d.0),
            external_ref: filter.external_ref.map(|r| (r.source, r.id)),
        }
    }
}

/// What an action list is sorted by; ties are broken by the actions' IDs, in the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ActionOrderField {
    /// The due date.
    DueDate,
    /// The priority: the ICE score (impact × confidence × ease).
    Priority,
    /// The planned budget.
    Budget,
    /// The creation time.
    CreatedAt,
}

/// The direction of a sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum OrderDirection {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}

/// The order of an action list. A cursor is only valid in the order it was read in.
#[derive(Debug, Clone, Copy, InputObject)]
pub struct ActionOrder {
    /// The sorted field.
    pub field: ActionOrderField,
    /// The direction.
    pub direction: OrderDirection,
}

impl Default for ActionOrder {
    fn default() -> Self {
        Self {
            field: ActionOrderField::DueDate,
            direction: OrderDirection::Asc,
        }
    }
}

impl ActionOrder {
    /// The store's sort column.
    pub fn sort(self) -> ActionSort {
        match self.field {
            ActionOrderField::DueDate => ActionSort::DueDate,
            ActionOrderField::Priority => ActionSort::Priority,
            ActionOrderField::Budget => ActionSort::Budget,
            ActionOrderField::CreatedAt => ActionSort::CreatedAt,
        }
    }

    /// True for `DESC`.
    pub fn descending(self) -> bool {
        self.direction == OrderDirection::Desc
    }

    /// The name of this ordering inside cursors.
    pub fn name(self) -> String {
        let field = match self.field {
            ActionOrderField::DueDate => "DUE_DATE",
            ActionOrderField::Priority => "PRIORITY",
            ActionOrderField::Budget => "BUDGET",
            ActionOrderField::CreatedAt => "CREATED_AT",
        };
        let direction = if self.descending() { "DESC" } else { "ASC" };
        format!("action:{field}:{direction}")
    }
}
