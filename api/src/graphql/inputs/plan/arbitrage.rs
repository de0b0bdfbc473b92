//! Inputs of the `arbitrage` query and the `applyArbitrage` mutation.

use async_graphql::{ID, InputObject};
use entity::enums::Lever;
use uuid::Uuid;

use crate::{
    domain::plan::arbitrage::{ArbitrageParams, LeverBoundParams},
    graphql::scalars::Decimal,
};

/// Spending bounds for one lever, counting its DONE actions' budgets plus the kept actions.
#[derive(Debug, InputObject)]
pub struct LeverBoundInput {
    /// The lever; each lever may be bounded once (DUPLICATE otherwise).
    pub lever: Lever,
    /// Spend the proposal tries to reach on this lever (its actions are kept first, in rank
    /// order, while they fit); when it cannot, a LEVER_MIN_NOT_MET warning says by how much.
    /// Not negative, not above `maxSpend`.
    pub min_spend: Option<Decimal>,
    /// Spend the lever must not exceed. Not negative.
    pub max_spend: Option<Decimal>,
}

impl From<LeverBoundInput> for LeverBoundParams {
    fn from(input: LeverBoundInput) -> Self {
        Self {
            lever: input.lever,
            min_spend: input.min_spend.map(|d| d.0),
            max_spend: input.max_spend.map(|d| d.0),
        }
    }
}

/// What to arbitrate: a plan, a budget ceiling and optional bounds per lever.
#[derive(Debug, InputObject)]
pub struct ArbitrageInput {
    /// Global ID of the plan.
    pub plan_id: ID,
    /// The most the plan may spend, in the plan's currency, DONE actions' budgets included.
    /// Not negative.
    pub ceiling: Decimal,
    /// Optional minimum and maximum spend per lever.
    pub lever_bounds: Option<Vec<LeverBoundInput>>,
}

impl ArbitrageInput {
    /// The domain parameters, for the plan `plan_id` (decoded by the resolver).
    pub fn into_params(self, plan_id: Uuid) -> ArbitrageParams {
        params(plan_id, self.ceiling, self.lever_bounds)
    }
}

fn params(
    plan_id: Uuid,
    ceiling: Decimal,
    bounds: Option<Vec<LeverBoundInput>>,
) -> ArbitrageParams {
    ArbitrageParams {
        plan_id,
        ceiling: ceiling.0,
        lever_bounds: bounds
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect(),
    }
}

/// An arbitrage to apply: the same plan, ceiling and bounds as the proposal read, and its
/// `planVersion`.
#[derive(Debug, InputObject)]
pub struct ApplyArbitrageInput {
    /// Global ID of the plan.
    pub plan_id: ID,
    /// The ceiling of the proposal.
    pub ceiling: Decimal,
    /// The lever bounds of the proposal.
    pub lever_bounds: Option<Vec<LeverBoundInput>>,
    /// The proposal's `planVersion`: the apply is refused with CONFLICT when the plan, its
    /// actions, the ceiling or the bounds differ from what the proposal was computed from.
    pub fingerprint: String,
}

impl ApplyArbitrageInput {
    /// The domain parameters and the expected fingerprint.
    pub fn into_params(self, plan_id: Uuid) -> (ArbitrageParams, String) {
        (
            params(plan_id, self.ceiling, self.lever_bounds),
            self.fingerprint,
        )
    }
}
