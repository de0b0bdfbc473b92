//! The plan's budget check: lever allocations and campaign budgets against the plan's total.
//! Exceeding is allowed (plans are drafted that way) but reported as warnings.

pub mod report;
pub mod spend;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::domain::{DomainResult, Session, money};
use crate::{
    auth::Permission,
    store::{self, Scoped, plan::budget::BudgetTotals},
};

/// What a budget warning is about, for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanWarningCode {
    /// The lever allocations add up to more than the plan's budget.
    LeverAllocationsExceedBudget,
    /// The campaign budgets add up to more than the plan's budget.
    CampaignBudgetsExceedBudget,
}

/// A warning about a plan: not an error, nothing was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanWarning {
    /// What it is about.
    pub code: PlanWarningCode,
    /// The amounts involved, for a person.
    pub message: String,
}

/// A plan's budget against what is allocated and planned, in micros of the plan's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetCheck {
    /// The plan's currency (ISO 4217), which every amount is written in.
    pub currency: String,
    /// The plan's total budget.
    pub budget_micros: i64,
    /// Sum of the lever allocations (exact beyond 64 bits).
    pub allocated_micros: i128,
    /// Sum of the campaign budgets (exact beyond 64 bits).
    pub campaigns_micros: i128,
    /// What exceeds the budget.
    pub warnings: Vec<PlanWarning>,
}

/// An amount of micros for a message, as [`money::amount`] writes it, or the micros themselves
/// beyond a decimal's range.
fn written(micros: i128, currency: &str) -> String {
    money::amount(micros, currency)
        .map(|amount| amount.to_string())
        .unwrap_or_else(|_| format!("{micros} millionths"))
}

/// Compares the totals with the plan's budget.
pub fn check(budget_micros: i64, currency: &str, totals: BudgetTotals) -> BudgetCheck {
    let budget = money::stored_amount(budget_micros, currency);
    let mut warnings = Vec::new();
    let mut compare = |total: i128, code: PlanWarningCode, what: &str| {
        if total > i128::from(budget_micros) {
            let total_decimal = written(total, currency);
            let excess = written(total - i128::from(budget_micros), currency);
            warnings.push(PlanWarning {
                code,
                message: format!(
                    "{what} total {total_decimal} {currency}, {excess} {currency} over the plan's budget of {budget} {currency}"
                ),
            });
        }
    };
    compare(
        totals.allocated_micros,
        PlanWarningCode::LeverAllocationsExceedBudget,
        "lever allocations",
    );
    compare(
        totals.campaigns_micros,
        PlanWarningCode::CampaignBudgetsExceedBudget,
        "campaign budgets",
    );
    BudgetCheck {
        currency: currency.to_owned(),
        budget_micros,
        allocated_micros: totals.allocated_micros,
        campaigns_micros: totals.campaigns_micros,
        warnings,
    }
}

/// The budget check of one plan, read as the caller.
pub async fn of_plan(session: &Session, plan_id: Uuid) -> DomainResult<BudgetCheck> {
    of_plan_in(&session.scope(Permission::ReadPlan)?, plan_id).await
}

/// The budget check of one plan read through `scope`: a write passes its own transaction, so
/// that the warnings it returns describe the plan as that write leaves it.
pub async fn of_plan_in<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
) -> DomainResult<BudgetCheck> {
    let plan = scope.get::<entity::plan::Entity>(plan_id).await?;
    let totals = store::plan::budget::totals_by_plan(scope, &[plan_id])
        .await?
        .remove(&plan_id)
        .unwrap_or_default();
    Ok(check(plan.budget_micros, &plan.currency, totals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_budget_has_no_warning() {
        let check = check(
            100_000_000,
            "EUR",
            BudgetTotals {
                allocated_micros: 100_000_000,
                campaigns_micros: 0,
            },
        );
        assert_eq!(check.warnings, vec![]);
    }

    #[test]
    fn each_excess_is_reported_with_its_amounts() {
        let check = check(
            100_000_000,
            "EUR",
            BudgetTotals {
                allocated_micros: 120_500_000,
                campaigns_micros: 100_000_001,
            },
        );
        assert_eq!(
            check.warnings,
            vec![
                PlanWarning {
                    code: PlanWarningCode::LeverAllocationsExceedBudget,
                    message: "lever allocations total 120.50 EUR, 20.50 EUR over the plan's budget of 100.00 EUR".into(),
                },
                PlanWarning {
                    code: PlanWarningCode::CampaignBudgetsExceedBudget,
                    message: "campaign budgets total 100.000001 EUR, 0.000001 EUR over the plan's budget of 100.00 EUR".into(),
                },
            ]
        );
    }
}
