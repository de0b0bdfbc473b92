//! `BudgetReport` and its lines: a plan's planned amounts against its actual costs, by lever,
//! by campaign and by month.

use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use entity::enums::Lever;
use uuid::Uuid;

use crate::graphql::types::{Campaign, PlanWarning};
use crate::{
    domain::plan::budget::{
        report::{self, BudgetLine as DomainLine},
        spend,
    },
    error::ApiError,
    graphql::{
        context::loaders,
        scalars::{Date, Decimal},
    },
};

/// Planned against actual, with the variance, in the plan's currency.
#[derive(Debug, Clone, SimpleObject)]
pub struct BudgetFigures {
    /// What was planned (its definition depends on the line: see the line's type).
    pub planned: Decimal,
    /// What was spent: the sum of the actual costs of the actions concerned, cancelled actions
    /// included (the spend measured by the KPI `spend` is in `BudgetReport.measuredSpend`).
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
/// actual costs recorded on actions; the spend measured by the KPI `spend` is in
/// `measuredSpend`, in the reporting currency.
#[derive(Debug, Clone)]
pub struct BudgetReport {
    /// The plan's currency.
    pub currency: String,
    /// The report.
    pub report: report::BudgetReport,
    /// The plan.
    pub plan_id: Uuid,
    /// The plan's budget, in micros of its currency.
    pub budget_micros: i64,
}

/// A plan's planned amounts against its actual costs, by lever, by campaign and by month, all
/// in the plan's currency and summed exactly by the database. Actual amounts come from the
/// actual costs recorded on actions; the spend measured by the KPI `spend` is in
/// `measuredSpend`, in the reporting currency.
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
                    campaign: line.campaign.clone().map(Campaign::from),
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

    /// The spend measured for the plan (measurements of the KPI `spend` tied to its campaigns
    /// and actions), in the tenant's reporting currency, with the exchange rates that converted
    /// the values sent in other currencies. Null, with a FORBIDDEN error, for an API key
    /// without READ_KPIS.
    async fn measured_spend(&self, ctx: &Context<'_>) -> Result<Option<MeasuredSpend>> {
        let (reporting, groups) = loaders(ctx)?
            .plan_spend
            .load_one(self.plan_id)
            .await?
            .unwrap_or_default();
        if reporting.is_empty() {
            return Ok(None);
        }
        Ok(Some(MeasuredSpend(spend::build(
            &reporting,
            &self.currency,
            self.budget_micros,
            &groups,
        ))))
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

/// The spend measured for a plan, in the tenant's reporting currency: the measurements of the
/// KPI `spend` tied to the plan's campaigns and actions, as stored (values sent in another
/// currency were converted when recorded, with the rate of their date, rounded once to the
/// reporting currency's minor units).
pub struct MeasuredSpend(spend::MeasuredSpend);

/// The spend measured for a plan, in the tenant's reporting currency: the measurements of the
/// KPI `spend` tied to the plan's campaigns and actions, as stored (values sent in another
/// currency were converted when recorded, with the rate of their date, rounded once to the
/// reporting currency's minor units).
#[Object]
impl MeasuredSpend {
    /// The reporting currency (the tenant's `currency`, ISO 4217): every amount here but
    /// `conversions.original` is in it.
    async fn currency(&self) -> &str {
        &self.0.currency
    }

    /// All the plan's measured spend.
    async fn total(&self) -> Result<Decimal> {
        Ok(Decimal::amount(self.0.total_micros, &self.0.currency)?)
    }

    /// The part of `total` recorded in the reporting currency (not converted).
    async fn direct(&self) -> Result<Decimal> {
        Ok(Decimal::amount(self.0.direct_micros, &self.0.currency)?)
    }

    /// The plan's budget, when the plan's currency is the reporting currency; null for a plan
    /// budgeted in another currency (its budget is never converted).
    async fn budget(&self) -> Result<Option<Decimal>> {
        self.0
            .against_budget
            .map(|line| Decimal::amount(line.planned_micros, &self.0.currency))
            .transpose()
            .map_err(Into::into)
    }

    /// total − budget: positive when the measured spend exceeds the budget; null without
    /// `budget`.
    async fn variance(&self) -> Result<Option<Decimal>> {
        self.0
            .against_budget
            .map(|line| Decimal::amount(line.variance_micros(), &self.0.currency))
            .transpose()
            .map_err(Into::into)
    }

    /// variance ÷ budget, a plain fraction rounded as every ratio is (12 decimal places, a
    /// midpoint away from zero); null without `budget` or when it is 0.
    async fn variance_ratio(&self) -> Result<Option<Decimal>> {
        let Some(line) = self.0.against_budget else {
            return Ok(None);
        };
        let ratio = line.variance_ratio().map_err(|_| {
            ApiError::bad_input(
                "a variance leaves the range of an exact decimal (28 significant digits)",
            )
        })?;
        Ok(ratio.map(Decimal::plain))
    }

    /// What each exchange rate converted: one line per original currency, rate and rate day,
    /// by currency then day.
    async fn conversions(&self) -> Result<Vec<SpendConversion>> {
        self.0
            .conversions
            .iter()
            .map(|conversion| {
                Ok(SpendConversion {
                    from_currency: conversion.from_currency.clone(),
                    rate_date: Date(conversion.rate_date),
                    rate: Decimal::plain(conversion.rate),
                    original: Decimal::amount(
                        conversion.original_micros,
                        &conversion.from_currency,
                    )?,
                    converted: Decimal::amount(conversion.converted_micros, &self.0.currency)?,
                    measurements: i32::try_from(conversion.measurements).unwrap_or(i32::MAX),
                })
            })
            .collect()
    }
}

/// Spend sent in one currency and converted at one exchange rate.
#[derive(Debug, Clone, SimpleObject)]
pub struct SpendConversion {
    /// The currency the values were sent in (ISO 4217).
    pub from_currency: String,
    /// The day of the rate used.
    pub rate_date: Date,
    /// The rate used: units of the reporting currency per unit of `fromCurrency`.
    pub rate: Decimal,
    /// The sum of the values as sent, in `fromCurrency`.
    pub original: Decimal,
    /// The sum of the converted values, in the reporting currency (each value was converted
    /// and rounded on its own, so this may differ from `original × rate` by the roundings).
    pub converted: Decimal,
    /// How many measurements.
    pub measurements: i32,
}
