//! `arbitrage`: which actions of a plan to keep under a budget ceiling.

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    error::ApiError,
    graphql::{
        context::session, inputs::plan::arbitrage::ArbitrageInput, types::ArbitrageProposal,
    },
    ids::{self, NodeType},
};

/// The budget arbitrage query.
#[derive(Default)]
pub struct ArbitrageQuery;

#[Object]
impl ArbitrageQuery {
    /// Proposes which actions of a plan to keep under a budget ceiling, with optional minimum
    /// and maximum spend per lever; changes nothing (any role). DONE actions' budgets are
    /// already spent and count against the ceiling and their lever; CANCELLED actions are
    /// ignored; every other action is a candidate. Candidates are kept zero-cost first, then by
    /// ICE score per unit of planned budget (exact, highest first; ties: earlier due date, then
    /// older action), levers with a minimum served first, never above the ceiling or a lever's
    /// maximum; an unreachable minimum is reported in `warnings`. Ranking by ratio alone can be
    /// arbitrarily far from the best total ICE score (one large high-score action can beat
    /// several small ones), so the ranking is also tried starting with each action, and the
    /// best run is kept: without lever bounds its total ICE score is at least half the best
    /// possible; with bounds there is no such guarantee. NOT_FOUND when the plan is not the
    /// tenant's; BAD_USER_INPUT for a negative ceiling or bound, a minimum above its maximum, or
    /// a lever bounded twice.
    async fn arbitrage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan, the ceiling and the lever bounds.")] input: ArbitrageInput,
    ) -> Result<ArbitrageProposal> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let params = input.into_params(plan_id);
        let arbitrage = domain::plan::arbitrage::propose(session(ctx)?, &params)
            .await
            .map_err(ApiError::from)?;
        Ok(ArbitrageProposal(arbitrage))
    }
}
