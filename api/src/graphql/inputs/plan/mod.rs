//! Inputs of plan queries and mutations.

pub mod arbitrage;
pub mod copy;
pub mod objective;
pub mod review;
pub mod scenario;

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums::PlanStatus;

use crate::{
    domain::plan::{NewPlan, PlanChanges},
    graphql::scalars::{Date, Decimal},
    ids::{self, NodeType},
    store,
};

/// Filters of the plan list; all given conditions must hold.
#[derive(Debug, Default, InputObject)]
pub struct PlanFilter {
    /// Only plans in this status.
    pub status: Option<PlanStatus>,
    /// Only plans whose name contains this text (case-insensitive).
    pub name_contains: Option<String>,
    /// Only plans whose period includes this date.
    pub active_on: Option<Date>,
}

impl From<PlanFilter> for store::plan::PlanFilter {
    fn from(filter: PlanFilter) -> Self {
        Self {
            status: filter.status,
            name_contains: filter.name_contains,
            active_on: filter.active_on.map(|d| d.0),
        }
    }
}

/// A new plan.
#[derive(Debug, InputObject)]
pub struct CreatePlanInput {
    /// Name (1 to 200 characters).
    pub name: String,
    /// Optional description.
    pub description: Option<String>,
    /// First day of the period.
    pub period_start: Date,
    /// Last day of the period (inclusive), not before `periodStart`.
    pub period_end: Date,
    /// Currency (ISO 4217) of every amount of the plan; the tenant's currency when omitted.
    pub currency: Option<String>,
    /// Total budget, not negative.
    pub budget: Decimal,
    /// Initial status; DRAFT when omitted.
    pub status: Option<PlanStatus>,
    /// Personas the plan targets (global IDs of the tenant's personas).
    #[graphql(default)]
    pub persona_ids: Vec<ID>,
}

impl From<CreatePlanInput> for NewPlan {
    fn from(input: CreatePlanInput) -> Self {
        Self {
            name: input.name,
            description: input.description,
            period_start: input.period_start.0,
            period_end: input.period_end.0,
            currency: input.currency,
            budget: input.budget.0,
            status: input.status,
            persona_ids: ids::decode_links(&input.persona_ids, NodeType::Persona),
        }
    }
}

/// Changes to a plan; omitted fields stay as they are.
#[derive(Debug, InputObject)]
pub struct UpdatePlanInput {
    /// The plan's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the plan changed since.
    pub expected_version: i32,
    /// New name.
    pub name: Option<String>,
    /// New description; null clears it.
    pub description: MaybeUndefined<String>,
    /// New first day; every campaign and objective must stay inside the period.
    pub period_start: Option<Date>,
    /// New last day; every campaign and objective must stay inside the period.
    pub period_end: Option<Date>,
    /// New currency (ISO 4217).
    pub currency: Option<String>,
    /// New total budget.
    pub budget: Option<Decimal>,
    /// New status.
    pub status: Option<PlanStatus>,
    /// New set of targeted personas (replaces the current set).
    pub persona_ids: Option<Vec<ID>>,
}

impl From<UpdatePlanInput> for PlanChanges {
    fn from(input: UpdatePlanInput) -> Self {
        Self {
            name: input.name,
            description: maybe(input.description),
            period_start: input.period_start.map(|d| d.0),
            period_end: input.period_end.map(|d| d.0),
            currency: input.currency,
            budget: input.budget.map(|d| d.0),
            status: input.status,
            persona_ids: input
                .persona_ids
                .map(|list| ids::decode_links(&list, NodeType::Persona)),
        }
    }
}

/// A tri-state input as the domain's `Option<Option<T>>`: omitted, null, or a value.
pub fn maybe<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(value) => Some(Some(value)),
    }
}

/// The plan to delete.
#[derive(Debug, InputObject)]
pub struct DeletePlanInput {
    /// The plan's global ID. Its campaigns and objectives are deleted with it.
    pub id: ID,
}
