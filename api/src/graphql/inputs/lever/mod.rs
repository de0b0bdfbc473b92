//! Inputs of the lever allocation mutations.

pub mod interaction;

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums::Lever;
use uuid::Uuid;

use crate::domain::external_ref::RawExternalRef;
use crate::graphql::inputs::external_ref::ExternalRefInput;
use crate::graphql::inputs::plan::maybe;
use crate::{
    domain::lever::{AllocationChanges, NewAllocation},
    graphql::scalars::Decimal,
};

/// A new lever allocation of a plan.
#[derive(Debug, InputObject)]
pub struct CreateLeverAllocationInput {
    /// Global ID of the plan.
    pub plan_id: ID,
    /// The lever allocation's fields.
    #[graphql(flatten)]
    pub fields: LeverAllocationFields,
    /// Its reference in the system it is synced from, unique among the tenant's lever allocations
    /// (DUPLICATE otherwise).
    pub external_ref: Option<ExternalRefInput>,
}

impl CreateLeverAllocationInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewAllocation {
        self.fields
            .into_new(plan_id, self.external_ref.map(RawExternalRef::from))
    }
}

/// Creates or changes the lever allocation with an external reference, in the plan named by `planId` or
/// by `planRef` (exactly one): the create's fields, as a whole document. On an update every
/// field is set as the create would set it (an optional field left out is cleared); the plan
/// cannot change (INVALID).
/// Sending the same document again changes nothing (UNCHANGED).
#[derive(Debug, InputObject)]
pub struct UpsertLeverAllocationInput {
    /// The lever allocation's reference in the system it is synced from: the key of the upsert.
    pub external_ref: ExternalRefInput,
    /// The version read, if the lever allocation was read; refused with CONFLICT when it changed since
    /// (or no longer has this reference).
    pub expected_version: Option<i32>,
    /// Global ID of the plan it belongs to (or give `planRef`).
    pub plan_id: Option<ID>,
    /// External reference of the plan it belongs to (or give `planId`).
    pub plan_ref: Option<ExternalRefInput>,
    /// The lever allocation's fields.
    #[graphql(flatten)]
    pub fields: LeverAllocationFields,
}

/// The fields of a lever allocation, as a create or an upsert gives them.
#[derive(Debug, InputObject)]
pub struct LeverAllocationFields {
    /// The lever; a plan allocates each lever once (DUPLICATE otherwise).
    pub lever: Lever,
    /// Planned budget for the lever in the plan's currency, not negative. Allocations above the
    /// plan's budget are accepted with a warning.
    pub budget: Decimal,
    /// Priority from 1 (highest) to 5 (lowest).
    pub priority: i32,
    /// Why the lever gets this budget and priority.
    pub rationale: Option<String>,
}

impl LeverAllocationFields {
    /// The domain input, for the plan `plan_id` (decoded by the resolver), with its reference.
    pub fn into_new(self, plan_id: Uuid, external_ref: Option<RawExternalRef>) -> NewAllocation {
        NewAllocation {
            plan_id,
            external_ref,
            lever: self.lever,
            budget: self.budget.0,
            priority: self.priority,
            rationale: self.rationale,
        }
    }
}

/// Changes to a lever allocation; omitted fields stay as they are.
#[derive(Debug, InputObject)]
pub struct UpdateLeverAllocationInput {
    /// The allocation's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the allocation changed since.
    pub expected_version: i32,
    /// New lever (not already allocated in the plan).
    pub lever: Option<Lever>,
    /// New planned budget, not negative.
    pub budget: Option<Decimal>,
    /// New priority from 1 (highest) to 5 (lowest).
    pub priority: Option<i32>,
    /// New rationale; null clears it.
    pub rationale: MaybeUndefined<String>,
    /// New external reference (unique among the tenant's lever allocations); null removes it.
    pub external_ref: MaybeUndefined<ExternalRefInput>,
}

impl From<UpdateLeverAllocationInput> for AllocationChanges {
    fn from(input: UpdateLeverAllocationInput) -> Self {
        Self {
            external_ref: maybe(input.external_ref).map(|r| r.map(RawExternalRef::from)),
            lever: input.lever,
            budget: input.budget.map(|d| d.0),
            priority: input.priority,
            rationale: maybe(input.rationale),
        }
    }
}

/// The lever allocation to delete.
#[derive(Debug, InputObject)]
pub struct DeleteLeverAllocationInput {
    /// The allocation's global ID.
    pub id: ID,
}
