//! Inputs of objective mutations.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums::ObjectiveKind;
use uuid::Uuid;

use crate::graphql::inputs::external_ref::ExternalRefInput;
use crate::graphql::inputs::plan::maybe;
use crate::{
    domain::external_ref::RawExternalRef,
    domain::plan::objective::{NewObjective, ObjectiveChanges},
    graphql::scalars::{Date, Decimal},
};

/// A new SMART objective. `kpiKey`, `target` and `deadline` are required: when one is missing
/// the payload says so in `userErrors`.
#[derive(Debug, InputObject)]
pub struct CreateObjectiveInput {
    /// Global ID of the plan it belongs to.
    pub plan_id: ID,
    /// The objective's fields.
    #[graphql(flatten)]
    pub fields: ObjectiveFields,
    /// Its reference in the system it is synced from, unique among the tenant's objectives
    /// (DUPLICATE otherwise).
    pub external_ref: Option<ExternalRefInput>,
}

impl CreateObjectiveInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewObjective {
        self.fields
            .into_new(plan_id, self.external_ref.map(RawExternalRef::from))
    }
}

/// Creates or changes the objective with an external reference, in the plan named by `planId`
/// or by `planRef` (exactly one): the create's fields, as a whole document. On an update every
/// field is set as the create would set it (an optional field left out is cleared); the plan
/// cannot change (INVALID). Sending the same document again changes nothing (UNCHANGED).
#[derive(Debug, InputObject)]
pub struct UpsertObjectiveInput {
    /// The objective's reference in the system it is synced from: the key of the upsert.
    pub external_ref: ExternalRefInput,
    /// The version read, if the objective was read; refused with CONFLICT when it changed
    /// since (or no longer has this reference).
    pub expected_version: Option<i32>,
    /// Global ID of the plan it belongs to (or give `planRef`).
    pub plan_id: Option<ID>,
    /// External reference of the plan it belongs to (or give `planId`).
    pub plan_ref: Option<ExternalRefInput>,
    /// The objective's fields.
    #[graphql(flatten)]
    pub fields: ObjectiveFields,
}

/// The fields of an objective, as a create or an upsert gives them.
#[derive(Debug, InputObject)]
pub struct ObjectiveFields {
    /// Short title (Specific).
    pub title: String,
    /// The full statement (Specific).
    pub statement: Option<String>,
    /// Family: awareness, traffic, conversion or loyalty.
    pub kind: ObjectiveKind,
    /// Key of the KPI that measures it (Measurable); required.
    pub kpi_key: Option<String>,
    /// The KPI's value at the plan's start.
    pub baseline: Option<Decimal>,
    /// The value to reach (Measurable); required.
    pub target: Option<Decimal>,
    /// Why the target is achievable and realistic.
    pub rationale: Option<String>,
    /// The date to reach it by, inside the plan's period (Time-bound); required.
    pub deadline: Option<Date>,
}

impl ObjectiveFields {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid, external_ref: Option<RawExternalRef>) -> NewObjective {
        NewObjective {
            plan_id,
            title: self.title,
            statement: self.statement,
            kind: self.kind,
            kpi_key: self.kpi_key,
            baseline: self.baseline.map(|d| d.0),
            target: self.target.map(|d| d.0),
            rationale: self.rationale,
            deadline: self.deadline.map(|d| d.0),
            external_ref,
        }
    }
}

/// Changes to an objective; omitted fields stay as they are, null clears an optional field.
#[derive(Debug, InputObject)]
pub struct UpdateObjectiveInput {
    /// The objective's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the objective changed since.
    pub expected_version: i32,
    /// New title.
    pub title: Option<String>,
    /// New statement.
    pub statement: MaybeUndefined<String>,
    /// New family.
    pub kind: Option<ObjectiveKind>,
    /// New KPI key.
    pub kpi_key: Option<String>,
    /// New baseline.
    pub baseline: MaybeUndefined<Decimal>,
    /// New target.
    pub target: Option<Decimal>,
    /// New rationale.
    pub rationale: MaybeUndefined<String>,
    /// New deadline, inside the plan's period.
    pub deadline: Option<Date>,
    /// New external reference (unique among the tenant's objectives); null removes it.
    pub external_ref: MaybeUndefined<ExternalRefInput>,
}

impl From<UpdateObjectiveInput> for ObjectiveChanges {
    fn from(input: UpdateObjectiveInput) -> Self {
        Self {
            title: input.title,
            statement: maybe(input.statement),
            kind: input.kind,
            kpi_key: input.kpi_key,
            baseline: maybe(input.baseline).map(|value| value.map(|d| d.0)),
            target: input.target.map(|d| d.0),
            rationale: maybe(input.rationale),
            deadline: input.deadline.map(|d| d.0),
            external_ref: maybe(input.external_ref).map(|r| r.map(RawExternalRef::from)),
        }
    }
}

/// The objective to delete.
#[derive(Debug, InputObject)]
pub struct DeleteObjectiveInput {
    /// The objective's global ID.
    pub id: ID,
}
