//! `createScenario`, `updateScenario`, `deleteScenario`, `applyScenario`.

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::plan::scenario::{
            ApplyScenarioInput, CreateScenarioInput, DeleteScenarioInput, UpdateScenarioInput,
        },
        types::{Action, Campaign, LeverAllocation, Plan, PlanWarning, Scenario},
    },
    ids::{self, NodeType},
    payload,
};

payload!(
    CreateScenarioPayload,
    scenario,
    Scenario,
    "The result of `createScenario`.",
    "The new scenario; null when there are user errors."
);
payload!(
    UpdateScenarioPayload,
    scenario,
    Scenario,
    "The result of `updateScenario`.",
    "The scenario as changed; null when there are user errors."
);
payload!(
    DeleteScenarioPayload,
    deleted_id,
    ID,
    "The result of `deleteScenario`.",
    "The global ID of the deleted scenario; null when there are user errors."
);

/// The result of `applyScenario`.
#[derive(SimpleObject)]
pub struct ApplyScenarioPayload {
    /// The scenario applied; null when there are user errors.
    pub scenario: Option<Scenario>,
    /// The plan; null when there are user errors.
    pub plan: Option<Plan>,
    /// The lever allocations whose budget was changed (version bumped).
    pub updated_lever_allocations: Vec<LeverAllocation>,
    /// The campaigns whose budget was changed (version bumped).
    pub updated_campaigns: Vec<Campaign>,
    /// The actions whose planned budget was changed (version bumped).
    pub updated_actions: Vec<Action>,
    /// The plan's budget warnings after the apply.
    pub warnings: Vec<PlanWarning>,
    /// The plan's budget fingerprint after the apply (a new `scenarioComparison` gives the
    /// same); null when there are user errors.
    pub fingerprint: Option<String>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// Mutations of scenarios.
#[derive(Default)]
pub struct ScenarioMutation;

#[Object]
impl ScenarioMutation {
    /// Creates a what-if scenario of a plan's budgets (EDITOR or ADMIN), optionally starting
    /// from a copy of every budget of the plan (`fromPlan`); NOT_FOUND when the plan is not
    /// the tenant's.
    async fn create_scenario(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan, the name and the budgets.")] input: CreateScenarioInput,
    ) -> Result<CreateScenarioPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (created, user_errors) = into_payload(
            domain::plan::scenario::create(session(ctx)?, input.into_new(plan_id)).await,
        )?;
        Ok(CreateScenarioPayload {
            scenario: created.map(Scenario),
            user_errors,
        })
    }

    /// Changes a scenario: its name, description, ceiling, and the budgets it sets or no
    /// longer sets (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_scenario(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The scenario and the changes.")] input: UpdateScenarioInput,
    ) -> Result<UpdateScenarioPayload> {
        let id = ids::decode_as(&input.id, NodeType::Scenario)?;
        let version = input.expected_version;
        let (updated, user_errors) = into_payload(
            domain::plan::scenario::update(session(ctx)?, id, version, input.into()).await,
        )?;
        Ok(UpdateScenarioPayload {
            scenario: updated.map(Scenario),
            user_errors,
        })
    }

    /// Deletes a scenario with its budgets (ADMIN); the plan is left as it is.
    async fn delete_scenario(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The scenario to delete.")] input: DeleteScenarioInput,
    ) -> Result<DeleteScenarioPayload> {
        let id = ids::decode_as(&input.id, NodeType::Scenario)?;
        let (deleted, user_errors) =
            into_payload(domain::plan::scenario::delete(session(ctx)?, id).await)?;
        Ok(DeleteScenarioPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::Scenario, id)),
            user_errors,
        })
    }

    /// Writes a scenario's budgets to its plan (EDITOR or ADMIN), in one transaction: every
    /// lever allocation, campaign and action whose budget the scenario sets differently is
    /// updated through the same write as `updateLeverAllocation`, `updateCampaign` and
    /// `updateAction` (version bumped). The arbitrage is not applied (`applyArbitrage` does
    /// that). Refused with CONFLICT, nothing written, when `fingerprint` is no longer the
    /// plan's (a lever allocation, campaign or action changed, was added or deleted since the
    /// comparison) or the scenario is no longer at `expectedVersion`; NOT_FOUND when the
    /// scenario is not the tenant's.
    async fn apply_scenario(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The scenario and the comparison's fingerprint.")]
        input: ApplyScenarioInput,
    ) -> Result<ApplyScenarioPayload> {
        let id = ids::decode_as(&input.scenario_id, NodeType::Scenario)?;
        let (applied, user_errors) = into_payload(
            domain::plan::scenario::apply::apply(
                session(ctx)?,
                id,
                &input.fingerprint,
                input.expected_version,
            )
            .await,
        )?;
        Ok(match applied {
            Some(applied) => ApplyScenarioPayload {
                scenario: Some(Scenario(applied.scenario)),
                plan: Some(Plan(applied.plan)),
                updated_lever_allocations: applied
                    .allocations
                    .into_iter()
                    .map(LeverAllocation)
                    .collect(),
                updated_campaigns: applied.campaigns.into_iter().map(Campaign::from).collect(),
                updated_actions: applied.actions.into_iter().map(Action).collect(),
                warnings: applied
                    .warnings
                    .into_iter()
                    .map(PlanWarning::from)
                    .collect(),
                fingerprint: Some(applied.fingerprint),
                user_errors,
            },
            None => ApplyScenarioPayload {
                scenario: None,
                plan: None,
                updated_lever_allocations: Vec::new(),
                updated_campaigns: Vec::new(),
                updated_actions: Vec::new(),
                warnings: Vec::new(),
                fingerprint: None,
                user_errors,
            },
        })
    }
}
