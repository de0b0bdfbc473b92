//! The comparison of a plan with some of its scenarios: for the plan as it is and for each
//! scenario, the totals by lever and by campaign, their differences against the plan, the
//! budget check and the arbitrage under the scenario's ceiling (computed by the arbitrage's own
//! [`propose`](crate::domain::plan::arbitrage::proposal::propose)); with the plan's budget
//! fingerprint, which `applyScenario` checks.
//!
//! Definitions, per column (the plan, or a scenario: the plan's budgets with the scenario's
//! overrides):
//! - by lever: `allocated` is the lever's allocation (none when the plan does not allocate
//!   it), `actions` the planned budgets of the lever's actions that are not cancelled; one line
//!   per lever allocated or used by an action, in lever order;
//! - by campaign: `budget` is the campaign's budget, `actions` the planned budgets of its
//!   actions that are not cancelled; campaigns by start date, then the actions without one
//!   (budget 0);
//! - totals: the sums of the allocations, of the campaign budgets, and of the planned budgets
//!   of the actions that are not cancelled;
//! - every difference is the column's figure minus the plan's (0 in the plan's column);
//! - the arbitrage is computed under the scenario's ceiling, or the plan's budget when it has
//!   none (and for the plan's column), without lever bounds.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use entity::{
    action, action_enums::ActionStatus, campaign, enums::Lever, plan, scenario, scenario_budget,
};
use uuid::Uuid;

use super::{BudgetTarget, PlanBudgets};
use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session,
    plan::{
        arbitrage::{
            proposal::{self, Proposal},
            request_of,
        },
        budget::{self, BudgetCheck},
    },
    validation::Violations,
};
use crate::{
    auth::Permission,
    store::{self, plan::budget::BudgetTotals},
};

/// Most scenarios compared at once.
pub const MAX_COMPARED: usize = 20;

/// A figure of a column and its difference against the plan's, in micros.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figure {
    /// The column's figure.
    pub micros: i128,
    /// The column's figure minus the plan's.
    pub difference_micros: i128,
}

impl Figure {
    fn against(micros: i128, plan: i128) -> Self {
        Self {
            micros,
            difference_micros: micros - plan,
        }
    }
}

/// One lever of a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeverLine {
    /// The lever.
    pub lever: Lever,
    /// Its allocation; `None` when the plan does not allocate the lever.
    pub allocated: Option<Figure>,
    /// The planned budgets of its actions that are not cancelled.
    pub actions: Figure,
}

/// One campaign of a column, or the actions without a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignLine {
    /// The campaign; `None` for the actions without one.
    pub campaign: Option<campaign::Model>,
    /// Its budget (0 for the actions without a campaign).
    pub budget: Figure,
    /// The planned budgets of its actions that are not cancelled.
    pub actions: Figure,
}

/// The totals of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnTotals {
    /// Sum of the lever allocations.
    pub allocated: Figure,
    /// Sum of the campaign budgets.
    pub campaigns: Figure,
    /// Sum of the planned budgets of the actions that are not cancelled.
    pub actions: Figure,
}

/// The plan, or one scenario, in a comparison.
#[derive(Debug, Clone)]
pub struct Column {
    /// The scenario; `None` for the plan as it is.
    pub scenario: Option<scenario::Model>,
    /// The ceiling its arbitrage was computed under.
    pub ceiling_micros: i64,
    /// How many budgets the scenario sets that differ from the plan's (0 for the plan).
    pub changed_budgets: usize,
    /// The totals.
    pub totals: ColumnTotals,
    /// By lever.
    pub by_lever: Vec<LeverLine>,
    /// By campaign.
    pub by_campaign: Vec<CampaignLine>,
    /// The budget check of the column's totals against the plan's budget.
    pub check: BudgetCheck,
    /// The arbitrage of the column's action budgets under its ceiling.
    pub arbitrage: Proposal,
}

/// A plan and some of its scenarios, side by side.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The plan.
    pub plan: plan::Model,
    /// The fingerprint of the plan's budgets, for `applyScenario`.
    pub fingerprint: String,
    /// The plan as it is.
    pub current: Column,
    /// The scenarios, in the order asked (by name when all of them were).
    pub scenarios: Vec<Column>,
    /// The plan's actions as they are, by id (the arbitrage's kept and cut lists name them).
    pub actions: HashMap<Uuid, action::Model>,
}

/// Micros by target for one column, and the figures computed from them.
struct Raw {
    allocated: i128,
    campaigns: i128,
    actions: i128,
    levers: Vec<(Lever, Option<i128>, i128)>,
    by_campaign: Vec<(Option<campaign::Model>, i128, i128)>,
    rows: Vec<action::Model>,
}

fn raw(state: &PlanBudgets, amounts: &BTreeMap<BudgetTarget, i64>) -> Raw {
    let amount = |target: BudgetTarget, own: i64| i128::from(*amounts.get(&target).unwrap_or(&own));
    let rows: Vec<action::Model> = state
        .actions
        .iter()
        .map(|row| {
            let mut row = row.clone();
            row.budget_micros = *amounts
                .get(&BudgetTarget::Action(row.id))
                .unwrap_or(&row.budget_micros);
            row
        })
        .collect();
    let planned: Vec<&action::Model> = rows
        .iter()
        .filter(|row| row.status != ActionStatus::Cancelled)
        .collect();
    let mut allocations: BTreeMap<Lever, i128> = BTreeMap::new();
    for row in &state.allocations {
        *allocations.entry(row.lever).or_insert(0) +=
            amount(BudgetTarget::LeverAllocation(row.id), row.budget_micros);
    }
    let levers: BTreeSet<Lever> = allocations
        .keys()
        .copied()
        .chain(rows.iter().map(|row| row.lever))
        .collect();
    let levers = levers
        .into_iter()
        .map(|lever| {
            let actions: i128 = planned
                .iter()
                .filter(|row| row.lever == lever)
                .map(|row| i128::from(row.budget_micros))
                .sum();
            (lever, allocations.get(&lever).copied(), actions)
        })
        .collect();
    let of_campaign = |id: Option<Uuid>| -> i128 {
        planned
            .iter()
            .filter(|row| row.campaign_id == id)
            .map(|row| i128::from(row.budget_micros))
            .sum()
    };
    let mut by_campaign: Vec<(Option<campaign::Model>, i128, i128)> = state
        .campaigns
        .iter()
        .map(|row| {
            (
                Some(row.clone()),
                amount(BudgetTarget::Campaign(row.id), row.budget_micros),
                of_campaign(Some(row.id)),
            )
        })
        .collect();
    by_campaign.push((None, 0, of_campaign(None)));
    Raw {
        allocated: allocations.values().sum(),
        campaigns: by_campaign.iter().map(|line| line.1).sum(),
        actions: planned
            .iter()
            .map(|row| i128::from(row.budget_micros))
            .sum(),
        levers,
        by_campaign,
        rows,
    }
}

/// The column of `raw` against the plan's `base`; both come from the same rows, so their lines
/// are the same and in the same order.
fn column(
    state: &PlanBudgets,
    scenario: Option<scenario::Model>,
    changed_budgets: usize,
    raw: Raw,
    base: &Raw,
) -> Column {
    let plan = &state.plan;
    let ceiling_micros = scenario
        .as_ref()
        .and_then(|scenario| scenario.ceiling_micros)
        .unwrap_or(plan.budget_micros);
    let by_lever = raw
        .levers
        .iter()
        .zip(&base.levers)
        .map(
            |((lever, allocated, actions), (_, base_allocated, base_actions))| LeverLine {
                lever: *lever,
                allocated: allocated
                    .map(|micros| Figure::against(micros, base_allocated.unwrap_or(0))),
                actions: Figure::against(*actions, *base_actions),
            },
        )
        .collect();
    let by_campaign = raw
        .by_campaign
        .iter()
        .zip(&base.by_campaign)
        .map(
            |((campaign, budget, actions), (_, base_budget, base_actions))| CampaignLine {
                campaign: campaign.clone(),
                budget: Figure::against(*budget, *base_budget),
                actions: Figure::against(*actions, *base_actions),
            },
        )
        .collect();
    let check = budget::check(
        plan.budget_micros,
        &plan.currency,
        BudgetTotals {
            allocated_micros: raw.allocated,
            campaigns_micros: raw.campaigns,
        },
    );
    let arbitrage = proposal::propose(&request_of(&raw.rows, ceiling_micros, Vec::new()));
    Column {
        scenario,
        ceiling_micros,
        changed_budgets,
        totals: ColumnTotals {
            allocated: Figure::against(raw.allocated, base.allocated),
            campaigns: Figure::against(raw.campaigns, base.campaigns),
            actions: Figure::against(raw.actions, base.actions),
        },
        by_lever,
        by_campaign,
        check,
        arbitrage,
    }
}

/// The comparison of `state` with `scenarios` and their overrides: pure, no statement.
pub fn build(
    state: &PlanBudgets,
    scenarios: Vec<scenario::Model>,
    overrides: &HashMap<Uuid, Vec<scenario_budget::Model>>,
) -> Comparison {
    let plan_amounts = state.amounts();
    let base = raw(state, &plan_amounts);
    let columns = scenarios
        .into_iter()
        .map(|scenario| {
            let mut amounts = plan_amounts.clone();
            let mut changed = 0;
            for row in overrides.get(&scenario.id).into_iter().flatten() {
                if let Some(target) = BudgetTarget::of(row)
                    && let Some(own) = amounts.get_mut(&target)
                {
                    if *own != row.budget_micros {
                        changed += 1;
                    }
                    *own = row.budget_micros;
                }
            }
            let raw = raw(state, &amounts);
            column(state, Some(scenario), changed, raw, &base)
        })
        .collect();
    let current = column(state, None, 0, raw(state, &plan_amounts), &base);
    Comparison {
        plan: state.plan.clone(),
        fingerprint: state.fingerprint(),
        current,
        scenarios: columns,
        actions: state
            .actions
            .iter()
            .map(|row| (row.id, row.clone()))
            .collect(),
    }
}

/// Compares the plan with `scenario_ids` (all its scenarios when `None`), read as the caller
/// (VIEWER may). NOT_FOUND when the plan, or one of the scenarios, is not the tenant's or not
/// of this plan; invalid input beyond [`MAX_COMPARED`] scenarios. Six statements, however many
/// scenarios and rows.
pub async fn compare(
    session: &Session,
    plan_id: Uuid,
    scenario_ids: Option<Vec<Uuid>>,
) -> DomainResult<Comparison> {
    let scope = session.scope(Permission::ReadPlan)?;
    let plan = scope.get::<plan::Entity>(plan_id).await?;
    let scenarios = match scenario_ids {
        None => store::plan::scenario::scenarios_by_plan(&scope, &[plan_id])
            .await?
            .remove(&plan_id)
            .unwrap_or_default(),
        Some(ids) => {
            let ids = crate::domain::validation::unique(&ids);
            if ids.len() > MAX_COMPARED {
                let mut violations = Violations::for_argument("scenarioIds");
                violations.add(
                    &[],
                    FieldErrorCode::TooLong,
                    format!("at most {MAX_COMPARED} scenarios at once"),
                );
                violations.finish()?;
            }
            let mut found: HashMap<Uuid, scenario::Model> = scope
                .find_many::<scenario::Entity>(&ids)
                .await?
                .into_iter()
                .filter(|row| row.plan_id == plan_id)
                .map(|row| (row.id, row))
                .collect();
            ids.iter()
                .map(|id| found.remove(id).ok_or(DomainError::NotFound))
                .collect::<DomainResult<Vec<_>>>()?
        }
    };
    let state = PlanBudgets::read(&scope, plan).await?;
    let ids: Vec<Uuid> = scenarios.iter().map(|row| row.id).collect();
    let overrides = store::plan::scenario::budgets_by_scenario(&scope, &ids).await?;
    Ok(build(&state, scenarios, &overrides))
}
