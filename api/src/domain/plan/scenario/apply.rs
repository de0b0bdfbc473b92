//! Applying a scenario: its budgets written to the plan in one transaction, through the same
//! domain writes as every other budget change (`lever::update_in`, `campaign::update_in`,
//! `campaign::action::update_in`), so that whatever those check also holds here. Refused with
//! CONFLICT, nothing written, when the plan's budget fingerprint is no longer the one the
//! client saw in the comparison (or the scenario's version not the one it expected).

use entity::{action, campaign, lever_allocation, plan, scenario};
use uuid::Uuid;

use super::{BudgetTarget, PlanBudgets};
use crate::domain::{
    DomainError, DomainResult, FieldError, FieldErrorCode, Session,
    campaign::{CampaignChanges, action::ActionChanges},
    lever::AllocationChanges,
    money,
    plan::{
        arbitrage::MAX_FINGERPRINT_CHARS,
        budget::{self, PlanWarning},
    },
    validation::Violations,
};
use crate::{
    auth::Permission,
    store::{self, Scoped},
};
use sea_orm::DatabaseTransaction;

/// What applying a scenario wrote.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The scenario applied.
    pub scenario: scenario::Model,
    /// The plan.
    pub plan: plan::Model,
    /// The lever allocations whose budget changed, as written (version bumped).
    pub allocations: Vec<lever_allocation::Model>,
    /// The campaigns whose budget changed, as written.
    pub campaigns: Vec<campaign::Model>,
    /// The actions whose planned budget changed, as written.
    pub actions: Vec<action::Model>,
    /// The plan's budget warnings after the apply.
    pub warnings: Vec<PlanWarning>,
    /// The plan's budget fingerprint after the apply.
    pub fingerprint: String,
}

/// A refusal by one of the writes (which the comparison's checks should have made
/// impossible), reported at the scenario rather than at the write's own input paths.
fn at_scenario(error: DomainError, target: BudgetTarget) -> DomainError {
    match error {
        DomainError::Invalid(errors) => DomainError::Invalid(
            errors
                .into_iter()
                .map(|error| FieldError {
                    field: vec!["input".into(), "scenarioId".into()],
                    message: format!("the budget for {target:?}: {}", error.message),
                    code: error.code,
                })
                .collect(),
        ),
        other => other,
    }
}

/// Writes the scenario's budgets to its plan (EDITOR or ADMIN), each budget that differs from
/// the plan's through its own domain write (its version bumped), in one transaction, if the
/// plan's budget fingerprint is still `fingerprint` and, when given, the scenario's version
/// `expected_version`: CONFLICT otherwise, with nothing written.
pub async fn apply(
    session: &Session,
    scenario_id: Uuid,
    fingerprint: &str,
    expected_version: Option<i32>,
) -> DomainResult<Applied> {
    let scope = session.scope(Permission::EditPlan)?;
    scope.get::<scenario::Entity>(scenario_id).await?;
    let mut violations = Violations::new();
    if violations.check_text(&["fingerprint"], fingerprint, MAX_FINGERPRINT_CHARS)
        && fingerprint.is_empty()
    {
        violations.add(
            &["fingerprint"],
            FieldErrorCode::Required,
            "must not be empty",
        );
    }
    violations.finish()?;

    let transaction = scope.begin().await?;
    let scenario = transaction.get::<scenario::Entity>(scenario_id).await?;
    if expected_version.is_some_and(|version| version != scenario.version) {
        return Err(DomainError::Conflict);
    }
    let plan = transaction.get::<plan::Entity>(scenario.plan_id).await?;
    let state = PlanBudgets::read(&transaction, plan).await?;
    if state.fingerprint() != fingerprint {
        return Err(DomainError::Conflict);
    }
    let overrides = store::plan::scenario::budgets_by_scenario(&transaction, &[scenario_id])
        .await?
        .remove(&scenario_id)
        .unwrap_or_default();
    let mut applied = Applied {
        scenario,
        plan: state.plan.clone(),
        allocations: Vec::new(),
        campaigns: Vec::new(),
        actions: Vec::new(),
        warnings: Vec::new(),
        fingerprint: String::new(),
    };
    for row in &overrides {
        let Some(target) = BudgetTarget::of(row) else {
            continue;
        };
        if let Some(version) = version_if_differs(&state, target, row.budget_micros) {
            write_budget(
                &transaction,
                session,
                target,
                version,
                row.budget_micros,
                &mut applied,
            )
            .await
            .map_err(|error| at_scenario(error, target))?;
        }
    }
    // The budgets written are audited one by one (as updates); this entry says why.
    transaction
        .audit(vec![store::audit::Entry {
            action: store::audit::SCENARIO_APPLIED.to_owned(),
            object_type: "Scenario".to_owned(),
            object_id: scenario_id,
            plan_id: Some(applied.plan.id),
            before: None,
            after: None,
            changed_fields: Vec::new(),
            details: Some(serde_json::json!({
                "allocations": applied.allocations.len(),
                "campaigns": applied.campaigns.len(),
                "actions": applied.actions.len(),
            })),
        }])
        .await?;
    applied.warnings = budget::of_plan_in(&transaction, applied.plan.id)
        .await?
        .warnings;
    applied.fingerprint = PlanBudgets::read(&transaction, applied.plan.clone())
        .await?
        .fingerprint();
    transaction.commit().await?;
    Ok(applied)
}

/// The version of the plan's row that `target` names, when its budget is not `budget_micros`
/// (`None` when it is, or when the row is gone).
fn version_if_differs(
    state: &PlanBudgets,
    target: BudgetTarget,
    budget_micros: i64,
) -> Option<i32> {
    let (version, current) = match target {
        BudgetTarget::LeverAllocation(id) => state
            .allocations
            .iter()
            .find(|row| row.id == id)
            .map(|row| (row.version, row.budget_micros))?,
        BudgetTarget::Campaign(id) => state
            .campaigns
            .iter()
            .find(|row| row.id == id)
            .map(|row| (row.version, row.budget_micros))?,
        BudgetTarget::Action(id) => state
            .actions
            .iter()
            .find(|row| row.id == id)
            .map(|row| (row.version, row.budget_micros))?,
    };
    (current != budget_micros).then_some(version)
}

/// Writes one budget through its own domain write, and records the row as written.
async fn write_budget(
    transaction: &Scoped<DatabaseTransaction>,
    session: &Session,
    target: BudgetTarget,
    version: i32,
    budget_micros: i64,
    applied: &mut Applied,
) -> DomainResult<()> {
    let budget = Some(money::from_micros(budget_micros));
    match target {
        BudgetTarget::LeverAllocation(id) => {
            let changes = AllocationChanges {
                budget,
                ..Default::default()
            };
            let (written, _) =
                crate::domain::lever::update_in(transaction, session, id, version, changes).await?;
            applied.allocations.push(written);
        }
        BudgetTarget::Campaign(id) => {
            let changes = CampaignChanges {
                budget,
                ..Default::default()
            };
            let (written, _) =
                crate::domain::campaign::update_in(transaction, session, id, version, changes)
                    .await?;
            applied.campaigns.push(written);
        }
        BudgetTarget::Action(id) => {
            let changes = ActionChanges {
                budget,
                ..Default::default()
            };
            let written = crate::domain::campaign::action::update_in(
                transaction,
                session,
                id,
                version,
                changes,
            )
            .await?;
            applied.actions.push(written);
        }
    }
    Ok(())
}
