//! Scenarios: named what-if versions of a plan's budgets. A scenario belongs to one plan (its
//! name unique there), may carry a budget ceiling for its arbitrage, and holds **overrides**:
//! the budgets it sets for some of the plan's lever allocations, campaigns and actions.
//! Whatever it does not set follows the plan as the plan is when it is read. Created
//! `from_plan`, it starts with an override for every budget of the plan (a snapshot, which
//! later changes to the plan do not move).
//!
//! [`compare`] puts scenarios side by side with the plan (totals by lever and by campaign, the
//! differences, the arbitrage under each), and [`apply`] writes one scenario's budgets to the
//! plan in one transaction, refused with CONFLICT when the plan changed since the comparison
//! its fingerprint came from.

pub mod apply;
pub mod compare;

use std::collections::{BTreeMap, HashSet};

use entity::{action, campaign, lever_allocation, plan, scenario, scenario_budget};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use crate::domain::{
    DomainResult, FieldErrorCode, Session,
    plan::arbitrage::fnv1a,
    validation::{Violations, duplicate_as_violation},
};
use crate::{
    auth::Permission,
    store::{self, Scoped},
};

/// Most budgets one input may set or clear.
pub const MAX_BUDGET_ITEMS: usize = 10_000;

const DUPLICATE_NAME: &str = "the plan already has a scenario with this name";

const NOT_IN_PLAN: &str =
    "no lever allocation, campaign or action of the scenario's plan has this ID";

/// What a scenario sets a budget for: a row of its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BudgetTarget {
    /// A lever allocation's budget.
    LeverAllocation(Uuid),
    /// A campaign's budget.
    Campaign(Uuid),
    /// An action's planned budget.
    Action(Uuid),
}

impl BudgetTarget {
    /// The target of an override row.
    pub fn of(row: &scenario_budget::Model) -> Option<Self> {
        match (row.lever_allocation_id, row.campaign_id, row.action_id) {
            (Some(id), None, None) => Some(Self::LeverAllocation(id)),
            (None, Some(id), None) => Some(Self::Campaign(id)),
            (None, None, Some(id)) => Some(Self::Action(id)),
            _ => None,
        }
    }

    fn row(self, scenario_id: Uuid, budget_micros: i64) -> scenario_budget::ActiveModel {
        let (allocation, campaign, action) = match self {
            Self::LeverAllocation(id) => (Some(id), None, None),
            Self::Campaign(id) => (None, Some(id), None),
            Self::Action(id) => (None, None, Some(id)),
        };
        scenario_budget::ActiveModel {
            scenario_id: Set(scenario_id),
            lever_allocation_id: Set(allocation),
            campaign_id: Set(campaign),
            action_id: Set(action),
            budget_micros: Set(budget_micros),
            ..Default::default()
        }
    }
}

/// One budget a scenario sets. `target` is `None` for an ID that names no lever allocation,
/// campaign or action at all (reported as not found, like one of another plan or tenant).
#[derive(Debug, Clone)]
pub struct BudgetInput {
    /// What the budget is for.
    pub target: Option<BudgetTarget>,
    /// The budget, not negative.
    pub budget: Decimal,
}

/// What a new scenario is made of.
#[derive(Debug, Clone)]
pub struct NewScenario {
    /// The plan.
    pub plan_id: Uuid,
    /// Name, unique in the plan.
    pub name: String,
    /// What it explores.
    pub description: Option<String>,
    /// The ceiling of its arbitrage; `None`: the plan's budget.
    pub arbitrage_ceiling: Option<Decimal>,
    /// Start with every budget of the plan as it is now.
    pub from_plan: bool,
    /// Budgets to set (over the plan's copy when `from_plan`).
    pub budgets: Vec<BudgetInput>,
}

/// Changes to a scenario; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ScenarioChanges {
    /// New name.
    pub name: Option<String>,
    /// New description (`Some(None)` clears it).
    pub description: Option<Option<String>>,
    /// New ceiling (`Some(None)`: the plan's budget again).
    pub arbitrage_ceiling: Option<Option<Decimal>>,
    /// Budgets to set (added, or replacing the scenario's own for the same target).
    pub set_budgets: Vec<BudgetInput>,
    /// Targets whose budget the scenario no longer sets (they follow the plan again).
    pub clear_budgets: Vec<Option<BudgetTarget>>,
}

/// A plan with every row that carries one of its budgets, as read together.
#[derive(Debug, Clone)]
pub struct PlanBudgets {
    /// The plan.
    pub plan: plan::Model,
    /// Its lever allocations, by priority.
    pub allocations: Vec<lever_allocation::Model>,
    /// Its campaigns, by start date.
    pub campaigns: Vec<campaign::Model>,
    /// Its actions, by id.
    pub actions: Vec<action::Model>,
}

impl PlanBudgets {
    /// Reads the plan's allocations, campaigns and actions (three statements).
    pub async fn read<C: ConnectionTrait>(
        scope: &Scoped<C>,
        plan: plan::Model,
    ) -> DomainResult<Self> {
        let ids = [plan.id];
        let allocations = store::lever::allocations_by_plan(scope, &ids)
            .await?
            .remove(&plan.id)
            .unwrap_or_default();
        let campaigns = store::plan::calendar::campaigns_by_plan(scope, &ids)
            .await?
            .remove(&plan.id)
            .unwrap_or_default();
        let actions = store::campaign::action::all_of_plan(scope, plan.id).await?;
        Ok(Self {
            plan,
            allocations,
            campaigns,
            actions,
        })
    }

    /// The plan's own budget for `target`, or `None` when the target is not the plan's.
    pub fn amount_of(&self, target: BudgetTarget) -> Option<i64> {
        match target {
            BudgetTarget::LeverAllocation(id) => self
                .allocations
                .iter()
                .find(|row| row.id == id)
                .map(|row| row.budget_micros),
            BudgetTarget::Campaign(id) => self
                .campaigns
                .iter()
                .find(|row| row.id == id)
                .map(|row| row.budget_micros),
            BudgetTarget::Action(id) => self
                .actions
                .iter()
                .find(|row| row.id == id)
                .map(|row| row.budget_micros),
        }
    }

    /// Every budget of the plan, by target.
    pub fn amounts(&self) -> BTreeMap<BudgetTarget, i64> {
        let allocations = self
            .allocations
            .iter()
            .map(|row| (BudgetTarget::LeverAllocation(row.id), row.budget_micros));
        let campaigns = self
            .campaigns
            .iter()
            .map(|row| (BudgetTarget::Campaign(row.id), row.budget_micros));
        let actions = self
            .actions
            .iter()
            .map(|row| (BudgetTarget::Action(row.id), row.budget_micros));
        allocations.chain(campaigns).chain(actions).collect()
    }

    /// The fingerprint of the plan's budgets: the plan's id and version and every lever
    /// allocation, campaign and action of the plan by id with its version (any change to one
    /// bumps it; an added or deleted one changes the set), hashed as the arbitrage's is
    /// (FNV-1a, 16 hexadecimal digits). Two reads give the same fingerprint exactly when
    /// every budget (and everything else of these rows) is the same.
    pub fn fingerprint(&self) -> String {
        let mut rows: Vec<(&str, Uuid, i32)> = self
            .allocations
            .iter()
            .map(|row| ("allocation", row.id, row.version))
            .chain(
                self.campaigns
                    .iter()
                    .map(|row| ("campaign", row.id, row.version)),
            )
            .chain(
                self.actions
                    .iter()
                    .map(|row| ("action", row.id, row.version)),
            )
            .collect();
        rows.sort_unstable();
        let mut text = format!(
            "scenario budgets of plan {} v{}\n",
            self.plan.id, self.plan.version
        );
        for (kind, id, version) in rows {
            text.push_str(&format!("{kind} {id} v{version}\n"));
        }
        format!("{:016x}", fnv1a(text.as_bytes()))
    }
}

/// Checks the budgets of `items` (at `list` in the input) against the plan: each target must
/// be a row of the plan (`NOT_FOUND` otherwise: another plan's or tenant's ID as a missing
/// one), at most once in the input (`DUPLICATE`), each amount as a plan's own budget (not
/// negative, at most six decimals). Adds the valid ones to `amounts`.
fn check_budgets(
    violations: &mut Violations,
    list: &str,
    items: &[BudgetInput],
    state: &PlanBudgets,
    seen: &mut HashSet<BudgetTarget>,
    amounts: &mut BTreeMap<BudgetTarget, i64>,
) {
    if items.len() > MAX_BUDGET_ITEMS {
        violations.add(
            &[list],
            FieldErrorCode::TooLong,
            format!("at most {MAX_BUDGET_ITEMS} budgets"),
        );
        return;
    }
    for (index, item) in items.iter().enumerate() {
        let index = index.to_string();
        let micros = violations.money_at(&[list, &index, "budget"], item.budget);
        match item.target {
            Some(target) if state.amount_of(target).is_some() => {
                if !seen.insert(target) {
                    violations.add(
                        &[list, &index, "id"],
                        FieldErrorCode::Duplicate,
                        "each budget may be given once",
                    );
                } else {
                    amounts.insert(target, micros);
                }
            }
            _ => violations.add(&[list, &index, "id"], FieldErrorCode::NotFound, NOT_IN_PLAN),
        }
    }
}

/// Checks a scenario's name: required, at most 200 characters, unique in the plan (other than
/// `except`); returns it trimmed.
async fn check_fields<C: ConnectionTrait>(
    scope: &Scoped<C>,
    violations: &mut Violations,
    plan_id: Uuid,
    except: Option<Uuid>,
    name: &str,
) -> DomainResult<String> {
    let name = violations.name("name", name);
    if !violations.has(&["name"])
        && store::plan::scenario::with_name(scope, plan_id, &name, except)
            .await?
            .is_some()
    {
        violations.add(&["name"], FieldErrorCode::Duplicate, DUPLICATE_NAME);
    }
    Ok(name)
}

/// Creates a scenario of a plan with its budgets, in one transaction.
pub async fn create(session: &Session, input: NewScenario) -> DomainResult<scenario::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(input.plan_id).await?;
    let transaction = scope.begin().await?;
    let mut violations = Violations::new();
    let name = check_fields(&transaction, &mut violations, plan.id, None, &input.name).await?;
    let description = violations.text("description", input.description.as_deref());
    let ceiling = input
        .arbitrage_ceiling
        .map(|ceiling| violations.money("arbitrageCeiling", ceiling));
    let state = PlanBudgets::read(&transaction, plan).await?;
    let mut amounts = if input.from_plan {
        state.amounts()
    } else {
        BTreeMap::new()
    };
    check_budgets(
        &mut violations,
        "budgets",
        &input.budgets,
        &state,
        &mut HashSet::new(),
        &mut amounts,
    );
    violations.finish()?;

    let inserted = transaction
        .insert(scenario::ActiveModel {
            plan_id: Set(state.plan.id),
            name: Set(name),
            description: Set(description),
            ceiling_micros: Set(ceiling),
            ..Default::default()
        })
        .await;
    let created = duplicate_as_violation(inserted, "name", DUPLICATE_NAME)?;
    let rows = amounts
        .into_iter()
        .map(|(target, micros)| target.row(created.id, micros))
        .collect();
    transaction
        .insert_many::<scenario_budget::Entity, _>(rows)
        .await?;
    transaction.commit().await?;
    Ok(created)
}

/// Applies changes to a scenario if its version is `expected_version` (its version is bumped
/// by any change, budgets included), in one transaction.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: ScenarioChanges,
) -> DomainResult<scenario::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    scope.get::<scenario::Entity>(id).await?;
    let transaction = scope.begin().await?;
    let current = transaction.get::<scenario::Entity>(id).await?;
    let mut violations = Violations::new();
    let mut row = scenario::ActiveModel {
        ..Default::default()
    };
    if let Some(name) = &changes.name {
        row.name = Set(check_fields(
            &transaction,
            &mut violations,
            current.plan_id,
            Some(id),
            name,
        )
        .await?);
    }
    if let Some(description) = &changes.description {
        row.description = Set(violations.text("description", description.as_deref()));
    }
    if let Some(ceiling) = changes.arbitrage_ceiling {
        row.ceiling_micros =
            Set(ceiling.map(|ceiling| violations.money("arbitrageCeiling", ceiling)));
    }
    let budgets_change = !changes.set_budgets.is_empty() || !changes.clear_budgets.is_empty();
    let mut amounts = BTreeMap::new();
    if budgets_change {
        let plan = transaction.get::<plan::Entity>(current.plan_id).await?;
        let state = PlanBudgets::read(&transaction, plan).await?;
        amounts = store::plan::scenario::budgets_by_scenario(&transaction, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default()
            .iter()
            .filter_map(|row| BudgetTarget::of(row).map(|target| (target, row.budget_micros)))
            .collect();
        let mut seen = HashSet::new();
        check_budgets(
            &mut violations,
            "setBudgets",
            &changes.set_budgets,
            &state,
            &mut seen,
            &mut amounts,
        );
        if changes.clear_budgets.len() > MAX_BUDGET_ITEMS {
            violations.add(
                &["clearBudgets"],
                FieldErrorCode::TooLong,
                format!("at most {MAX_BUDGET_ITEMS} budgets"),
            );
        } else {
            for (index, target) in changes.clear_budgets.iter().enumerate() {
                let path = ["clearBudgets", &index.to_string()];
                match target {
                    Some(target) if state.amount_of(*target).is_some() => {
                        if seen.insert(*target) {
                            amounts.remove(target);
                        } else {
                            violations.add(
                                &path,
                                FieldErrorCode::Duplicate,
                                "a budget may be set or cleared once",
                            );
                        }
                    }
                    _ => violations.add(&path, FieldErrorCode::NotFound, NOT_IN_PLAN),
                }
            }
        }
    }
    violations.finish()?;

    let updated = duplicate_as_violation(
        transaction
            .update_versioned::<scenario::Entity, _>(id, expected_version, row)
            .await,
        "name",
        DUPLICATE_NAME,
    )?;
    if budgets_change {
        let rows = amounts
            .into_iter()
            .map(|(target, micros)| target.row(id, micros))
            .collect();
        transaction
            .replace_children::<scenario_budget::Entity, _>(
                scenario_budget::Column::ScenarioId,
                id,
                rows,
            )
            .await?;
    }
    transaction.commit().await?;
    Ok(updated)
}

/// Deletes a scenario with its budgets (ADMIN, as every delete of a plan's parts); the plan is
/// left as it is.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    scope.delete::<scenario::Entity>(id).await?;
    Ok(id)
}
