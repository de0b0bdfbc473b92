//! The budget report of a plan: planned against actual, by lever, by campaign and by month,
//! with the variance, in micros of the plan's currency; its warnings are those of the budget
//! check ([`crate::domain::plan::budget::check`]).
//!
//! Definitions, one per breakdown:
//! - by lever: planned is the lever's allocation where the plan allocates it, otherwise the
//!   sum of the planned budgets of the lever's actions that are not cancelled;
//! - by campaign: planned is the campaign's budget (0 for the actions without a campaign);
//! - by month: planned is the sum of the planned budgets of the actions starting in the month
//!   that are not cancelled;
//! - in total: planned is the plan's budget.
//!
//! Actual is always the sum of the actual costs of the actions (cancelled ones included); the
//! spend measured by the KPI `spend` is reported beside it, in the reporting currency
//! ([`crate::domain::plan::budget::spend`]).

use chrono::NaiveDate;
use entity::{campaign, enums::Lever, lever_allocation, plan};
use rust_decimal::Decimal;

use crate::domain::{
    DomainResult,
    money::AmountError,
    plan::budget::{self, BudgetCheck},
    plan::calendar::months_between,
    ratio,
};
use crate::store::{
    plan::budget::BudgetTotals,
    plan::calendar::{GroupKey, GroupSum},
};

/// Planned against actual, in micros (sums, exact beyond 64 bits).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BudgetLine {
    /// What was planned.
    pub planned_micros: i128,
    /// What was spent.
    pub actual_micros: i128,
}

impl BudgetLine {
    /// Actual − planned, in micros (positive when over budget). Both are sums below 2^96
    /// micros, so the difference cannot overflow 128 bits.
    pub fn variance_micros(&self) -> i128 {
        self.actual_micros - self.planned_micros
    }

    /// The variance as a fraction of planned, rounded as every ratio is
    /// ([`crate::domain::ratio`]); `None` when nothing was planned, `TooLarge` beyond a
    /// decimal's range.
    pub fn variance_ratio(&self) -> Result<Option<Decimal>, AmountError> {
        if self.planned_micros == 0 {
            return Ok(None);
        }
        // In micros on both sides: the unit cancels out.
        let whole = |micros: i128| {
            Decimal::try_from_i128_with_scale(micros, 0).map_err(|_| AmountError::TooLarge)
        };
        whole(self.variance_micros())?
            .checked_div(whole(self.planned_micros)?)
            .map(|value| Some(ratio::rounded(value)))
            .ok_or(AmountError::TooLarge)
    }
}

/// Where a lever's planned amount comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlannedSource {
    /// The plan's allocation to the lever.
    Allocation,
    /// The sum of the lever's action budgets (the lever has no allocation).
    Actions,
}

/// One lever of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeverLine {
    /// The lever.
    pub lever: Lever,
    /// Where `line.planned_micros` comes from.
    pub source: PlannedSource,
    /// Planned and actual.
    pub line: BudgetLine,
}

/// One campaign of the report, or the actions without a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignLine {
    /// The campaign; `None` for the actions without one.
    pub campaign: Option<campaign::Model>,
    /// Planned and actual.
    pub line: BudgetLine,
}

/// One month of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthLine {
    /// First day of the month.
    pub month: NaiveDate,
    /// Planned and actual.
    pub line: BudgetLine,
}

/// The budget report of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetReport {
    /// The plan's budget against all its actions' costs.
    pub total: BudgetLine,
    /// Levers allocated or used by an action, in lever order.
    pub by_lever: Vec<LeverLine>,
    /// Campaigns by start date, then the actions without a campaign.
    pub by_campaign: Vec<CampaignLine>,
    /// Every month of the plan's period, in order.
    pub by_month: Vec<MonthLine>,
    /// The budget check and its warnings.
    pub check: BudgetCheck,
}

fn line_of(sums: &[GroupSum], key: GroupKey) -> BudgetLine {
    sums.iter()
        .find(|sum| sum.key == key)
        .map(|sum| BudgetLine {
            planned_micros: sum.planned_micros,
            actual_micros: sum.actual_micros,
        })
        .unwrap_or_default()
}

/// The sums the database computed for one plan, per grouping.
#[derive(Debug, Clone, Copy)]
pub struct ReportSums<'a> {
    /// Per lever.
    pub by_lever: &'a [GroupSum],
    /// Per campaign (and none).
    pub by_campaign: &'a [GroupSum],
    /// Per start month.
    pub by_month: &'a [GroupSum],
}

/// The report of `plan` from its allocations, its campaigns (by start date), the sums of its
/// actions and its budget totals. Refused (invalid input) for a plan whose period spans more
/// months than a report lists (see [`crate::domain::plan::calendar::MAX_MONTHS`]).
pub fn build(
    plan: &plan::Model,
    allocations: &[lever_allocation::Model],
    campaigns: &[campaign::Model],
    sums: ReportSums<'_>,
    totals: BudgetTotals,
) -> DomainResult<BudgetReport> {
    let mut levers: Vec<Lever> = allocations
        .iter()
        .map(|a| a.lever)
        .chain(sums.by_lever.iter().filter_map(|sum| match sum.key {
            GroupKey::Lever(lever) => Some(lever),
            _ => None,
        }))
        .collect();
    levers.sort();
    levers.dedup();
    let by_lever = levers
        .into_iter()
        .map(|lever| {
            let from_actions = line_of(sums.by_lever, GroupKey::Lever(lever));
            match allocations.iter().find(|a| a.lever == lever) {
                Some(allocation) => LeverLine {
                    lever,
                    source: PlannedSource::Allocation,
                    line: BudgetLine {
                        planned_micros: allocation.budget_micros.into(),
                        actual_micros: from_actions.actual_micros,
                    },
                },
                None => LeverLine {
                    lever,
                    source: PlannedSource::Actions,
                    line: from_actions,
                },
            }
        })
        .collect();
    let mut by_campaign: Vec<CampaignLine> = campaigns
        .iter()
        .map(|campaign| CampaignLine {
            campaign: Some(campaign.clone()),
            line: BudgetLine {
                planned_micros: campaign.budget_micros.into(),
                actual_micros: line_of(sums.by_campaign, GroupKey::Campaign(Some(campaign.id)))
                    .actual_micros,
            },
        })
        .collect();
    by_campaign.push(CampaignLine {
        campaign: None,
        line: BudgetLine {
            planned_micros: 0,
            actual_micros: line_of(sums.by_campaign, GroupKey::Campaign(None)).actual_micros,
        },
    });
    let by_month = months_between(plan.period_start, plan.period_end)?
        .into_iter()
        .map(|month| MonthLine {
            month,
            line: line_of(sums.by_month, GroupKey::Month(month)),
        })
        .collect();
    // Every action is in exactly one campaign group (or the group without one). Fewer than
    // 2^31 groups of less than 2^96 each: the sum never comes near saturating.
    let actual_micros = sums
        .by_campaign
        .iter()
        .fold(0i128, |total, sum| total.saturating_add(sum.actual_micros));
    Ok(BudgetReport {
        total: BudgetLine {
            planned_micros: plan.budget_micros.into(),
            actual_micros,
        },
        by_lever,
        by_campaign,
        by_month,
        check: budget::check(plan.budget_micros, &plan.currency, totals),
    })
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_default()
    }

    #[test]
    fn variance_and_ratio() {
        let line = BudgetLine {
            planned_micros: 300_000,
            actual_micros: 400_000,
        };
        assert_eq!(line.variance_micros(), 100_000);
        assert_eq!(line.variance_ratio(), Ok(Some(dec("0.333333333333"))));
        let unplanned = BudgetLine {
            planned_micros: 0,
            actual_micros: 5,
        };
        assert_eq!(unplanned.variance_micros(), 5);
        assert_eq!(unplanned.variance_ratio(), Ok(None));
        // Beyond 64 bits of micros: still exact.
        let huge = BudgetLine {
            planned_micros: 1,
            actual_micros: 3 * i128::from(i64::MAX),
        };
        assert_eq!(huge.variance_micros(), 3 * i128::from(i64::MAX) - 1);
        assert_eq!(huge.variance_ratio(), Ok(Some(dec("27670116110564327420"))));
    }
}
