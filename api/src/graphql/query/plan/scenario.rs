//! `scenarioComparison`: a plan and its scenarios side by side.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    error::ApiError,
    graphql::{context::session, types::ScenarioComparison},
    ids::{self, NodeType},
};

/// The scenario comparison query.
#[derive(Default)]
pub struct ScenarioQuery;

#[Object]
impl ScenarioQuery {
    /// Compares a plan with some of its scenarios (any role): for the plan as it is and for
    /// each scenario (the plan's budgets with the scenario's), the totals by lever and by
    /// campaign, their differences against the plan, the budget warnings, and the arbitrage
    /// under the scenario's ceiling (the plan's budget for the plan, and for a scenario
    /// without one); with the plan's budget `fingerprint` that `applyScenario` takes. Changes
    /// nothing. NOT_FOUND when the plan or one of the scenarios is not the tenant's, or a
    /// scenario is not of this plan; BAD_USER_INPUT beyond 20 scenarios.
    async fn scenario_comparison(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the plan.")] plan_id: ID,
        #[graphql(
            desc = "Global IDs of the plan's scenarios to compare, in the order to show them (at most 20); omitted: all of them, by name."
        )]
        scenario_ids: Option<Vec<ID>>,
    ) -> Result<ScenarioComparison> {
        let plan_id = ids::decode_as(&plan_id, NodeType::Plan)?;
        let scenario_ids = scenario_ids
            .map(|ids| {
                ids.iter()
                    .map(|id| ids::decode_as(id, NodeType::Scenario))
                    .collect::<Result<Vec<_>, ApiError>>()
            })
            .transpose()?;
        let comparison =
            domain::plan::scenario::compare::compare(session(ctx)?, plan_id, scenario_ids)
                .await
                .map_err(ApiError::from)?;
        Ok(ScenarioComparison(Arc::new(comparison)))
    }
}
