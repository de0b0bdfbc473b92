//! `Scenario` (a named what-if version of a plan's budgets), its `ScenarioBudget` overrides,
//! and `ScenarioComparison`: the plan and scenarios side by side.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use entity::{enums::Lever, scenario, scenario_budget};
use uuid::Uuid;

use crate::graphql::types::{
    Action, Campaign, LeverAllocation, Plan, PlanWarning,
    plan::arbitrage::{ArbitrageLeverTotals, ArbitrageTotals, ArbitrageWarning, count, decimal},
};
use crate::{
    domain::plan::scenario::{
        BudgetTarget,
        compare::{CampaignLine, Column, Comparison, Figure, LeverLine},
    },
    error::ApiError,
    graphql::{
        context::{loaders, plan_currency},
        scalars::{DateTime, Decimal},
    },
    ids::{self, NodeType},
};

/// A named what-if version of a plan's budgets: the budgets it sets for some of the plan's
/// lever allocations, campaigns and actions (everything else follows the plan), and the
/// ceiling its arbitrage is computed under. Compare it with `scenarioComparison`, write it to
/// the plan with `applyScenario`.
#[derive(Debug, Clone)]
pub struct Scenario(pub scenario::Model);

/// A named what-if version of a plan's budgets: the budgets it sets for some of the plan's
/// lever allocations, campaigns and actions (everything else follows the plan), and the
/// ceiling its arbitrage is computed under. Compare it with `scenarioComparison`, write it to
/// the plan with `applyScenario`.
#[Object]
impl Scenario {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Scenario, self.0.id)
    }

    /// The plan it is a version of.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// Name, unique in the plan.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What the scenario explores.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The budget ceiling its arbitrage is computed under, in the plan's currency; null: the
    /// plan's budget.
    async fn arbitrage_ceiling(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        match self.0.ceiling_micros {
            Some(micros) => {
                let currency = plan_currency(ctx, self.0.plan_id).await?;
                Ok(Some(Decimal::stored_amount(micros, &currency)))
            }
            None => Ok(None),
        }
    }

    /// The budgets the scenario sets, oldest first; the plan's own budget holds for
    /// everything not listed.
    async fn budgets(&self, ctx: &Context<'_>) -> Result<Vec<ScenarioBudget>> {
        let loaders = loaders(ctx)?;
        let (rows, plan) = futures::try_join!(
            loaders.scenario_budgets.load_one(self.0.id),
            loaders.plan.load_one(self.0.plan_id)
        )?;
        let currency = plan.ok_or_else(ApiError::not_found)?.currency;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .filter_map(|row| {
                BudgetTarget::of(&row).map(|target| ScenarioBudget {
                    row,
                    target,
                    currency: currency.clone(),
                })
            })
            .collect())
    }

    /// Version, incremented by every update (budgets included); pass it as `expectedVersion`
    /// to update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the scenario was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the scenario was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// What a scenario's budget is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ScenarioBudgetKind {
    /// A lever allocation's budget.
    LeverAllocation,
    /// A campaign's budget.
    Campaign,
    /// An action's planned budget.
    Action,
}

/// A budget a scenario sets for one lever allocation, campaign or action of its plan.
pub struct ScenarioBudget {
    row: scenario_budget::Model,
    target: BudgetTarget,
    currency: String,
}

/// A budget a scenario sets for one lever allocation, campaign or action of its plan.
#[Object]
impl ScenarioBudget {
    /// What the budget is for.
    async fn kind(&self) -> ScenarioBudgetKind {
        match self.target {
            BudgetTarget::LeverAllocation(_) => ScenarioBudgetKind::LeverAllocation,
            BudgetTarget::Campaign(_) => ScenarioBudgetKind::Campaign,
            BudgetTarget::Action(_) => ScenarioBudgetKind::Action,
        }
    }

    /// The global ID of the lever allocation, campaign or action (as given to
    /// `createScenario` and `updateScenario`).
    async fn target_id(&self) -> ID {
        match self.target {
            BudgetTarget::LeverAllocation(id) => ids::encode(NodeType::LeverAllocation, id),
            BudgetTarget::Campaign(id) => ids::encode(NodeType::Campaign, id),
            BudgetTarget::Action(id) => ids::encode(NodeType::Action, id),
        }
    }

    /// The budget the scenario sets, in the plan's currency.
    async fn budget(&self) -> Decimal {
        Decimal::stored_amount(self.row.budget_micros, &self.currency)
    }

    /// The lever allocation, when the budget is one's.
    async fn lever_allocation(&self, ctx: &Context<'_>) -> Result<Option<LeverAllocation>> {
        match self.target {
            BudgetTarget::LeverAllocation(id) => Ok(loaders(ctx)?
                .lever_allocation
                .load_one(id)
                .await?
                .map(LeverAllocation)),
            _ => Ok(None),
        }
    }

    /// The campaign, when the budget is one's.
    async fn campaign(&self, ctx: &Context<'_>) -> Result<Option<Campaign>> {
        match self.target {
            BudgetTarget::Campaign(id) => Ok(loaders(ctx)?
                .campaign
                .load_one(id)
                .await?
                .map(Campaign::from)),
            _ => Ok(None),
        }
    }

    /// The action, when the budget is one's.
    async fn action(&self, ctx: &Context<'_>) -> Result<Option<Action>> {
        match self.target {
            BudgetTarget::Action(id) => Ok(loaders(ctx)?.action.load_one(id).await?.map(Action)),
            _ => Ok(None),
        }
    }
}

/// A plan and some of its scenarios side by side: totals by lever and by campaign, their
/// differences against the plan, the budget warnings and the arbitrage under each.
pub struct ScenarioComparison(pub Arc<Comparison>);

/// A plan and some of its scenarios side by side: totals by lever and by campaign, their
/// differences against the plan, the budget warnings and the arbitrage under each.
#[Object]
impl ScenarioComparison {
    /// The plan.
    async fn plan(&self) -> Plan {
        Plan(self.0.plan.clone())
    }

    /// The fingerprint of the plan's budgets (the plan's and every lever allocation's,
    /// campaign's and action's version): pass it to `applyScenario`, which refuses with
    /// CONFLICT when the plan changed since.
    async fn fingerprint(&self) -> &str {
        &self.0.fingerprint
    }

    /// The plan as it is (every difference 0).
    async fn current(&self) -> ScenarioColumn {
        ScenarioColumn {
            comparison: self.0.clone(),
            index: None,
        }
    }

    /// The scenarios, in the order asked (by name when none were named).
    async fn scenarios(&self) -> Vec<ScenarioColumn> {
        (0..self.0.scenarios.len())
            .map(|index| ScenarioColumn {
                comparison: self.0.clone(),
                index: Some(index),
            })
            .collect()
    }
}

/// The plan, or one scenario, in a comparison.
pub struct ScenarioColumn {
    comparison: Arc<Comparison>,
    /// The scenario's place in the comparison; `None` for the plan.
    index: Option<usize>,
}

impl ScenarioColumn {
    fn column(&self) -> &Column {
        self.index
            .and_then(|index| self.comparison.scenarios.get(index))
            .unwrap_or(&self.comparison.current)
    }

    fn currency(&self) -> &str {
        &self.comparison.plan.currency
    }

    fn amount(&self, micros: i128) -> Decimal {
        decimal(micros, self.currency())
    }

    fn actions_of(&self, ids: impl Iterator<Item = Uuid>) -> Vec<Action> {
        ids.filter_map(|id| self.comparison.actions.get(&id).cloned())
            .map(Action)
            .collect()
    }
}

/// The plan, or one scenario, in a comparison. Every amount is in the plan's currency; every
/// difference is this column's figure minus the plan's.
#[Object]
impl ScenarioColumn {
    /// The scenario; null for the plan as it is.
    async fn scenario(&self) -> Option<Scenario> {
        self.column().scenario.clone().map(Scenario)
    }

    /// How many of the scenario's budgets differ from the plan's (what `applyScenario`
    /// would write); 0 for the plan.
    async fn changed_budgets(&self) -> i32 {
        count(self.column().changed_budgets)
    }

    /// The totals of the lever allocations, campaign budgets and action budgets.
    async fn totals(&self) -> ScenarioTotals {
        let totals = &self.column().totals;
        ScenarioTotals {
            allocated: self.amount(totals.allocated.micros),
            allocated_difference: self.amount(totals.allocated.difference_micros),
            campaigns: self.amount(totals.campaigns.micros),
            campaigns_difference: self.amount(totals.campaigns.difference_micros),
            actions: self.amount(totals.actions.micros),
            actions_difference: self.amount(totals.actions.difference_micros),
        }
    }

    /// One line per lever allocated or used by an action, in the order of the `Lever` enum.
    async fn by_lever(&self) -> Vec<ScenarioLeverTotals> {
        self.column()
            .by_lever
            .iter()
            .map(|line: &LeverLine| ScenarioLeverTotals {
                lever: line.lever,
                allocated: line.allocated.map(|figure| self.amount(figure.micros)),
                allocated_difference: self.amount(
                    line.allocated
                        .map(|figure: Figure| figure.difference_micros)
                        .unwrap_or(0),
                ),
                actions: self.amount(line.actions.micros),
                actions_difference: self.amount(line.actions.difference_micros),
            })
            .collect()
    }

    /// One line per campaign, by start date, then one for the actions without a campaign.
    async fn by_campaign(&self) -> Vec<ScenarioCampaignTotals> {
        self.column()
            .by_campaign
            .iter()
            .map(|line: &CampaignLine| ScenarioCampaignTotals {
                campaign: line.campaign.clone().map(Campaign::from),
                budget: self.amount(line.budget.micros),
                budget_difference: self.amount(line.budget.difference_micros),
                actions: self.amount(line.actions.micros),
                actions_difference: self.amount(line.actions.difference_micros),
            })
            .collect()
    }

    /// The budget check of this column's allocations and campaign budgets against the plan's
    /// budget: what would exceed it.
    async fn warnings(&self) -> Vec<PlanWarning> {
        self.column()
            .check
            .warnings
            .iter()
            .cloned()
            .map(PlanWarning::from)
            .collect()
    }

    /// The arbitrage of this column's action budgets (the rule of the `arbitrage` query,
    /// without lever bounds) under the scenario's `arbitrageCeiling`, or the plan's budget.
    async fn arbitrage(&self) -> ScenarioArbitrage {
        let proposal = &self.column().arbitrage;
        ScenarioArbitrage {
            ceiling: Decimal::stored_amount(self.column().ceiling_micros, self.currency()),
            committed: self.amount(proposal.committed_micros),
            remaining: self.amount(proposal.remaining_micros),
            kept: ArbitrageTotals::of(proposal.kept_totals, self.currency()),
            cut: ArbitrageTotals::of(proposal.cut_totals, self.currency()),
            kept_actions: self.actions_of(proposal.kept.iter().map(|c| c.id)),
            cut_actions: self.actions_of(proposal.cut.iter().map(|c| c.id)),
            levers: proposal
                .levers
                .iter()
                .map(|totals| ArbitrageLeverTotals::of(totals, self.currency()))
                .collect(),
            warnings: proposal
                .warnings
                .iter()
                .map(|warning| ArbitrageWarning::of(warning, self.currency()))
                .collect(),
        }
    }
}

/// A column's totals and their differences against the plan's.
#[derive(SimpleObject)]
pub struct ScenarioTotals {
    /// Sum of the lever allocations.
    pub allocated: Decimal,
    /// `allocated` minus the plan's.
    pub allocated_difference: Decimal,
    /// Sum of the campaign budgets.
    pub campaigns: Decimal,
    /// `campaigns` minus the plan's.
    pub campaigns_difference: Decimal,
    /// Sum of the planned budgets of the actions that are not cancelled.
    pub actions: Decimal,
    /// `actions` minus the plan's.
    pub actions_difference: Decimal,
}

/// One lever of a column.
#[derive(SimpleObject)]
pub struct ScenarioLeverTotals {
    /// The lever.
    pub lever: Lever,
    /// Its allocation; null when the plan does not allocate the lever.
    pub allocated: Option<Decimal>,
    /// `allocated` minus the plan's (0 when not allocated).
    pub allocated_difference: Decimal,
    /// The planned budgets of its actions that are not cancelled.
    pub actions: Decimal,
    /// `actions` minus the plan's.
    pub actions_difference: Decimal,
}

/// One campaign of a column, or the actions without a campaign.
#[derive(SimpleObject)]
pub struct ScenarioCampaignTotals {
    /// The campaign; null for the actions without one.
    pub campaign: Option<Campaign>,
    /// Its budget (0 for the actions without a campaign).
    pub budget: Decimal,
    /// `budget` minus the plan's.
    pub budget_difference: Decimal,
    /// The planned budgets of its actions that are not cancelled.
    pub actions: Decimal,
    /// `actions` minus the plan's.
    pub actions_difference: Decimal,
}

/// The arbitrage of a column: which of the plan's actions would be kept under its ceiling,
/// their budgets being the column's. Nothing is applied: `applyScenario` writes budgets only;
/// `applyArbitrage` cancels actions.
#[derive(SimpleObject)]
pub struct ScenarioArbitrage {
    /// The ceiling: the scenario's `arbitrageCeiling`, or the plan's budget.
    pub ceiling: Decimal,
    /// The budgets of DONE actions, already spent: counted against the ceiling.
    pub committed: Decimal,
    /// The ceiling minus the committed and the kept budgets.
    pub remaining: Decimal,
    /// Totals of the kept actions (at the column's budgets).
    pub kept: ArbitrageTotals,
    /// Totals of the cut actions (at the column's budgets).
    pub cut: ArbitrageTotals,
    /// The kept actions, in rank order, as they are in the plan (their `budget` is the
    /// plan's).
    pub kept_actions: Vec<Action>,
    /// The cut actions, in rank order, as they are in the plan.
    pub cut_actions: Vec<Action>,
    /// Totals per lever, in the order of the `Lever` enum.
    pub levers: Vec<ArbitrageLeverTotals>,
    /// What the arbitrage could not satisfy.
    pub warnings: Vec<ArbitrageWarning>,
}
