//! Inputs of the lever allocation mutations.

pub mod interaction;

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums::Lever;
use uuid::Uuid;

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

impl CreateLeverAllocationInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewAllocation {
        NewAllocation {
            plan_id,
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
}

impl From<UpdateLeverAllocationInput> for AllocationChanges {
    fn from(input: UpdateLeverAllocationInput) -> Self {
        Self {
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
