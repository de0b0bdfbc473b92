//! `BudgetReport` and its lines: a plan's planned amounts against its actual costs, by lever,
//! by campaign and by month.

use async_graphql::{Enum, Object, Result, SimpleObject};
use entity::enums::Lever;

use crate::graphql::types::{Campaign, PlanWarning};
use crate::{
    domain::plan::budget::report::{self, BudgetLine as DomainLine},
    error::ApiError,
    graphql::scalars::{Date, Decimal},
};

/// Planned against actual, with the variance, in the plan's currency.
#[derive(Debug, Clone, SimpleObject)]
pub struct BudgetFigures {
    /// What was planned (its definition depends on the line: see the line's type).
    pub planned: Decimal,
    /// What was spent: the sum of the actual costs of the actions concerned, cancelled actions
    /// included (spend measurements do not exist yet).
    pub actual: Decimal,
    /// actual − planned: positive when over budget, negative when under.
    pub variance: Decimal,
    /// variance ÷ planned, a plain fraction (0.25 is 25 % over) rounded as every ratio is, to
    /// 12 decimal places (a midpoint away from zero); null when planned is 0.
    pub variance_ratio: Option<Decimal>,
}

impl BudgetFigures {
    /// The figures of `line`, amounts in `currency`; refused only beyond a decimal's range
    /// (sums below 2^96 micros always fit).
    fn of(line: DomainLine, currency: &str) -> Result<Self, ApiError> {
        let ratio = line.variance_ratio().map_err(|_| {
            ApiError::bad_input(
                "a variance leaves the range of an exact decimal (28 significant digits)",
            )
        })?;
        Ok(Self {
            planned: Decimal::amount(line.planned_micros, currency)?,
            actual: Decimal::amount(line.actual_micros, currency)?,
            variance: Decimal::amount(line.variance_micros(), currency)?,
            variance_ratio: ratio.map(Decimal::plain),
        })
    }
}

/// Where the planned amount of a lever comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum PlannedSource {
    /// The plan's lever allocation.
    Allocation,
    /// The sum of the planned budgets of the lever's actions that are not cancelled, because
    /// the plan has no allocation for the lever.
    Actions,
}

/// One lever of the budget report. Planned is the plan's allocation to the lever where one
/// exists, otherwise the sum of the planned budgets of the lever's actions that are not
/// cancelled; actual is the sum of the actual costs of the lever's actions.
#[derive(Debug, Clone, SimpleObject)]
pub struct LeverBudgetLine {
    /// The lever.
    pub lever: Lever,
    /// Where `planned` comes from.
    pub planned_source: PlannedSource,
    /// Planned, actual and variance.
    #[graphql(flatten)]
    pub figures: BudgetFigures,
}

/// One campaign of the budget report, or the actions without a campaign. Planned is the
/// campaign's budget (0 for the actions without a campaign); actual is the sum of the actual
/// costs of its actions.
#[derive(Debug, Clone, SimpleObject)]
pub struct CampaignBudgetLine {
    /// The campaign; null for the line of the actions without a campaign (always last).
    pub campaign: Option<Campaign>,
    /// Planned, actual and variance.
    #[graphql(flatten)]
    pub figures: BudgetFigures,
}

/// One month of the budget report. Planned is the sum of the planned budgets of the actions
/// starting in the month that are not cancelled; actual is the sum of the actual costs of the
/// actions starting in the month.
#[derive(Debug, Clone, SimpleObject)]
pub struct MonthBudgetLine {
    /// The month's first day.
    pub month: Date,
    /// Planned, actual and variance.
    #[graphql(flatten)]
    pub figures: BudgetFigures,
}

/// A plan's planned amounts against its actual costs, by lever, by campaign and by month, all
/// in the plan's currency and summed exactly by the database. Actual amounts come from the
/// actual costs recorded on actions (spend measurements do not exist yet).
#[derive(Debug, Clone)]
pub struct BudgetReport {
    /// The plan's currency.
    pub currency: String,
    /// The report.
    pub report: report::BudgetReport,
}

/// A plan's planned amounts against its actual costs, by lever, by campaign and by month, all
/// in the plan's currency and summed exactly by the database. Actual amounts come from the
/// actual costs recorded on actions (spend measurements do not exist yet).
#[Object]
impl BudgetReport {
    /// Currency (ISO 4217) of every amount of the report.
    async fn currency(&self) -> &str {
        &self.currency
    }

    /// The whole plan: planned is the plan's budget, actual the actual costs of all its
    /// actions.
    async fn total(&self) -> Result<BudgetFigures> {
        Ok(BudgetFigures::of(self.report.total, &self.currency)?)
    }

    /// One line per lever the plan allocates or one of its actions uses, in the order of
    /// `Lever`.
    async fn by_lever(&self) -> Result<Vec<LeverBudgetLine>> {
        self.report
            .by_lever
            .iter()
            .map(|line| {
                Ok(LeverBudgetLine {
                    lever: line.lever,
                    planned_source: match line.source {
                        report::PlannedSource::Allocation => PlannedSource::Allocation,
                        report::PlannedSource::Actions => PlannedSource::Actions,
                    },
                    figures: BudgetFigures::of(line.line, &self.currency)?,
                })
            })
            .collect()
    }

    /// One line per campaign by start date (then ID), then a last line, always present, for
    /// the actions without a campaign.
    async fn by_campaign(&self) -> Result<Vec<CampaignBudgetLine>> {
        self.report
            .by_campaign
            .iter()
            .map(|line| {
                Ok(CampaignBudgetLine {
                    campaign: line.campaign.clone().map(Campaign),
                    figures: BudgetFigures::of(line.line, &self.currency)?,
                })
            })
            .collect()
    }

    /// One line per month of the plan's period, in order, empty months included; an action
    /// counts in the month of its start date.
    async fn by_month(&self) -> Result<Vec<MonthBudgetLine>> {
        self.report
            .by_month
            .iter()
            .map(|line| {
                Ok(MonthBudgetLine {
                    month: Date(line.month),
                    figures: BudgetFigures::of(line.line, &self.currency)?,
                })
            })
            .collect()
    }

    /// The warnings of the plan's budget check (`Plan.budgetCheck`): lever allocations or
    /// campaign budgets adding up to more than the plan's budget.
    async fn warnings(&self) -> Vec<PlanWarning> {
        self.report
            .check
            .warnings
            .iter()
            .cloned()
            .map(PlanWarning::from)
            .collect()
    }
}
