//! Inputs of plan queries and mutations.

pub mod arbitrage;
pub mod copy;
pub mod objective;
pub mod review;
pub mod scenario;

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums::PlanStatus;

use crate::graphql::inputs::external_ref::ExternalRefInput;
use crate::{
    domain::{
        external_ref::RawExternalRef,
        plan::{NewPlan, PlanChanges},
    },
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
    /// Only the plan with this external reference (at most one).
    pub external_ref: Option<ExternalRefInput>,
}

impl From<PlanFilter> for store::plan::PlanFilter {
    fn from(filter: PlanFilter) -> Self {
        Self {
            status: filter.status,
            name_contains: filter.name_contains,
            active_on: filter.active_on.map(|d| d.0),
            external_ref: filter.external_ref.map(|r| (r.source, r.id)),
        }
    }
}

/// A new plan.
#[derive(Debug, InputObject)]
pub struct CreatePlanInput {
    /// The plan's fields.
    #[graphql(flatten)]
    pub fields: PlanFields,
    /// Its reference in the system it is synced from, unique among the tenant's plans
    /// (DUPLICATE otherwise).
    pub external_ref: Option<ExternalRefInput>,
}

impl From<CreatePlanInput> for NewPlan {
    fn from(input: CreatePlanInput) -> Self {
        input
            .fields
            .into_new(input.external_ref.map(RawExternalRef::from))
    }
}

/// Creates or changes the plan with an external reference: the create's fields, as a whole
/// document. On an update every field is set as the create would set it (a field left out
/// takes the create's default: no description, no personas), except `status` and `currency`,
/// which are kept when left out. Sending the same document again changes nothing (UNCHANGED).
#[derive(Debug, InputObject)]
pub struct UpsertPlanInput {
    /// The plan's reference in the system it is synced from: the key of the upsert.
    pub external_ref: ExternalRefInput,
    /// The version read, if the plan was read; refused with CONFLICT when the plan changed
    /// since (or no longer has this reference).
    pub expected_version: Option<i32>,
    /// The plan's fields.
    #[graphql(flatten)]
    pub fields: PlanFields,
}

/// The fields of a plan, as a create or an upsert gives them.
#[derive(Debug, InputObject)]
pub struct PlanFields {
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

impl PlanFields {
    /// The domain's new plan, with its reference.
    pub fn into_new(self, external_ref: Option<RawExternalRef>) -> NewPlan {
        NewPlan {
            name: self.name,
            description: self.description,
            period_start: self.period_start.0,
            period_end: self.period_end.0,
            currency: self.currency,
            budget: self.budget.0,
            status: self.status,
            persona_ids: ids::decode_links(&self.persona_ids, NodeType::Persona),
            external_ref,
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
    /// New external reference (unique among the tenant's plans); null removes it.
    pub external_ref: MaybeUndefined<ExternalRefInput>,
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
            external_ref: maybe(input.external_ref).map(|r| r.map(RawExternalRef::from)),
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
