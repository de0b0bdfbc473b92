//! Inputs of the scenario mutations.

use async_graphql::{ID, InputObject, MaybeUndefined};
use uuid::Uuid;

use crate::graphql::inputs::plan::maybe;
use crate::{
    domain::plan::scenario::{BudgetInput, BudgetTarget, NewScenario, ScenarioChanges},
    graphql::scalars::Decimal,
    ids::{self, NodeType},
};

/// The target inside the global ID of a lever allocation, campaign or action; `None` for any
/// other ID (reported as not found by the domain, like a row of another plan or tenant).
fn target_of(id: &str) -> Option<BudgetTarget> {
    match ids::decode(id)? {
        (NodeType::LeverAllocation, uuid) => Some(BudgetTarget::LeverAllocation(uuid)),
        (NodeType::Campaign, uuid) => Some(BudgetTarget::Campaign(uuid)),
        (NodeType::Action, uuid) => Some(BudgetTarget::Action(uuid)),
        _ => None,
    }
}

/// A budget a scenario sets for one lever allocation, campaign or action of its plan.
#[derive(Debug, InputObject)]
pub struct ScenarioBudgetInput {
    /// The global ID of a lever allocation, campaign or action of the scenario's plan
    /// (NOT_FOUND otherwise, including another plan's or tenant's); each at most once.
    pub id: ID,
    /// The budget in the plan's currency: not negative, at most 6 decimal places, as the
    /// plan's own budgets.
    pub budget: Decimal,
}

impl From<ScenarioBudgetInput> for BudgetInput {
    fn from(input: ScenarioBudgetInput) -> Self {
        Self {
            target: target_of(&input.id),
            budget: input.budget.0,
        }
    }
}

/// A new scenario of a plan.
#[derive(Debug, InputObject)]
pub struct CreateScenarioInput {
    /// Global ID of the plan.
    pub plan_id: ID,
    /// Name, unique in the plan (DUPLICATE otherwise).
    pub name: String,
    /// What the scenario explores.
    pub description: Option<String>,
    /// The budget ceiling its arbitrage is computed under; omitted: the plan's budget.
    pub arbitrage_ceiling: Option<Decimal>,
    /// True to start with every budget of the plan as it is now (a snapshot, which later
    /// changes to the plan do not move); false (the default) to set only `budgets`, everything
    /// else following the plan.
    #[graphql(default)]
    pub from_plan: bool,
    /// Budgets to set (over the plan's copy when `fromPlan`).
    #[graphql(default)]
    pub budgets: Vec<ScenarioBudgetInput>,
}

impl CreateScenarioInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewScenario {
        NewScenario {
            plan_id,
            name: self.name,
            description: self.description,
            arbitrage_ceiling: self.arbitrage_ceiling.map(|d| d.0),
            from_plan: self.from_plan,
            budgets: self.budgets.into_iter().map(Into::into).collect(),
        }
    }
}

/// Changes to a scenario; omitted fields stay as they are.
#[derive(Debug, InputObject)]
pub struct UpdateScenarioInput {
    /// The scenario's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the scenario changed since.
    pub expected_version: i32,
    /// New name, unique in the plan.
    pub name: Option<String>,
    /// New description; null clears it.
    pub description: MaybeUndefined<String>,
    /// New arbitrage ceiling; null: the plan's budget again.
    pub arbitrage_ceiling: MaybeUndefined<Decimal>,
    /// Budgets to set, each added or replacing the scenario's own for the same target.
    #[graphql(default)]
    pub set_budgets: Vec<ScenarioBudgetInput>,
    /// Global IDs of lever allocations, campaigns or actions whose budget the scenario no
    /// longer sets: they follow the plan again.
    #[graphql(default)]
    pub clear_budgets: Vec<ID>,
}

impl From<UpdateScenarioInput> for ScenarioChanges {
    fn from(input: UpdateScenarioInput) -> Self {
        Self {
            name: input.name,
            description: maybe(input.description),
            arbitrage_ceiling: maybe(input.arbitrage_ceiling).map(|c| c.map(|d| d.0)),
            set_budgets: input.set_budgets.into_iter().map(Into::into).collect(),
            clear_budgets: input.clear_budgets.iter().map(|id| target_of(id)).collect(),
        }
    }
}

/// The scenario to delete.
#[derive(Debug, InputObject)]
pub struct DeleteScenarioInput {
    /// The scenario's global ID. Its budgets are deleted with it; the plan is left as it is.
    pub id: ID,
}

/// A scenario to write to its plan.
#[derive(Debug, InputObject)]
pub struct ApplyScenarioInput {
    /// The scenario's global ID.
    pub scenario_id: ID,
    /// The `fingerprint` of the `scenarioComparison` the decision was made on: refused with
    /// CONFLICT, nothing written, when the plan's budgets changed since.
    pub fingerprint: String,
    /// The scenario's version read with it; when given, refused with CONFLICT if the
    /// scenario changed since.
    pub expected_version: Option<i32>,
}
