//! `PlanBudgetCheck` and `PlanWarning`: the plan's budget against its lever allocations and
//! campaign budgets.

use async_graphql::{Enum, SimpleObject};

use crate::{
    domain::plan::budget::{
        BudgetCheck, PlanWarning as DomainWarning, PlanWarningCode as DomainCode,
    },
    error::ApiError,
    graphql::scalars::Decimal,
};

/// What a plan warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum PlanWarningCode {
    /// The lever allocations add up to more than the plan's budget.
    LeverAllocationsExceedBudget,
    /// The campaign budgets add up to more than the plan's budget.
    CampaignBudgetsExceedBudget,
}

/// A warning about a plan. Nothing was refused: plans may be drafted over budget.
#[derive(Debug, Clone, SimpleObject)]
pub struct PlanWarning {
    /// What the warning is about, for programs.
    pub code: PlanWarningCode,
    /// The amounts involved, for people.
    pub message: String,
}

impl PlanWarning {
    /// The warnings a write returned with its row (none when it was refused with user errors).
    pub fn all_of(warnings: Option<Vec<DomainWarning>>) -> Vec<Self> {
        warnings
            .unwrap_or_default()
            .into_iter()
            .map(Self::from)
            .collect()
    }
}

impl From<DomainWarning> for PlanWarning {
    fn from(warning: DomainWarning) -> Self {
        Self {
            code: match warning.code {
                DomainCode::LeverAllocationsExceedBudget => {
                    PlanWarningCode::LeverAllocationsExceedBudget
                }
                DomainCode::CampaignBudgetsExceedBudget => {
                    PlanWarningCode::CampaignBudgetsExceedBudget
                }
            },
            message: warning.message,
        }
    }
}

/// A plan's total budget against the sums of its lever allocations and of its campaign
/// budgets (summed exactly by the database), all in the plan's currency.
#[derive(Debug, Clone, SimpleObject)]
pub struct PlanBudgetCheck {
    /// The plan's total budget.
    pub budget: Decimal,
    /// Sum of the plan's lever allocations.
    pub allocated: Decimal,
    /// Budget left after the lever allocations (negative when they exceed it).
    pub unallocated: Decimal,
    /// Sum of the plan's campaign budgets.
    pub campaign_budgets: Decimal,
    /// What exceeds the budget: LEVER_ALLOCATIONS_EXCEED_BUDGET, CAMPAIGN_BUDGETS_EXCEED_BUDGET.
    pub warnings: Vec<PlanWarning>,
}

impl TryFrom<BudgetCheck> for PlanBudgetCheck {
    type Error = ApiError;

    /// Refused only beyond a decimal's range, which no sum the store computes reaches.
    fn try_from(check: BudgetCheck) -> Result<Self, ApiError> {
        Ok(Self {
            budget: Decimal::stored_amount(check.budget_micros, &check.currency),
            allocated: Decimal::amount(check.allocated_micros, &check.currency)?,
            // Both below 2^96 micros: the difference cannot overflow 128 bits.
            unallocated: Decimal::amount(
                i128::from(check.budget_micros) - check.allocated_micros,
                &check.currency,
            )?,
            campaign_budgets: Decimal::amount(check.campaigns_micros, &check.currency)?,
            warnings: check.warnings.into_iter().map(PlanWarning::from).collect(),
        })
    }
}
