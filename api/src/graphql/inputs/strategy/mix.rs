//! Inputs of `setMarketingMix`.

use async_graphql::{ID, InputObject};
use entity::strategy_enums::MixDimension;

/// The text of one dimension of a plan's marketing mix.
#[derive(Debug, InputObject)]
pub struct SetMarketingMixInput {
    /// Global ID of the plan.
    pub plan_id: ID,
    /// The dimension to set.
    pub dimension: MixDimension,
    /// What the plan says about it (at most 10 000 characters); null or empty clears it.
    pub text: Option<String>,
}
