//! Inputs of objective mutations.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums::ObjectiveKind;
use uuid::Uuid;

use crate::graphql::inputs::plan::maybe;
use crate::{
    domain::plan::objective::{NewObjective, ObjectiveChanges},
    graphql::scalars::{Date, Decimal},
};

/// A new SMART objective. `kpiKey`, `target` and `deadline` are required: when one is missing
/// the payload says so in `userErrors`.
#[derive(Debug, InputObject)]
pub struct CreateObjectiveInput {
    /// Global ID of the plan it belongs to.
    pub plan_id: ID,
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

impl CreateObjectiveInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewObjective {
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
        }
    }
}

/// The objective to delete.
#[derive(Debug, InputObject)]
pub struct DeleteObjectiveInput {
    /// The objective's global ID.
    pub id: ID,
}
