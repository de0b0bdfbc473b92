//! The measured spend of a plan, in the tenant's reporting currency: the measurements of the KPI
//! `spend` tied to the plan (through their campaign or action), summed as stored, that is
//! converted into the reporting currency when they were sent in another, with the rates used
//! and what they converted. Compared with the plan's budget when the plan's currency is the
//! reporting currency (a plan budgeted in another currency gets no comparison: its budget is
//! never converted).

use rust_decimal::Decimal;

use crate::domain::plan::budget::report::BudgetLine;
use crate::store::plan::budget::SpendGroup;

/// What one rate converted: the values of one currency converted at one rate of one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendConversion {
    /// The currency the values were sent in.
    pub from_currency: String,
    /// The day of the rate.
    pub rate_date: chrono::NaiveDate,
    /// The rate (units of the reporting currency per unit of `from_currency`).
    pub rate: Decimal,
    /// The sum of the values as sent, in micros of `from_currency`.
    pub original_micros: i128,
    /// The sum of the converted values, in micros of the reporting currency.
    pub converted_micros: i128,
    /// How many measurements.
    pub measurements: i64,
}

/// A plan's measured spend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasuredSpend {
    /// The reporting currency (the tenant's), which every amount but the originals is in.
    pub currency: String,
    /// Spend in total, in micros of `currency`.
    pub total_micros: i128,
    /// Of which recorded in `currency` directly.
    pub direct_micros: i128,
    /// The plan's budget against the total, when the plan's currency is `currency`.
    pub against_budget: Option<BudgetLine>,
    /// The conversions, by currency then rate date.
    pub conversions: Vec<SpendConversion>,
}

/// The measured spend of a plan of budget `budget_micros` in `plan_currency`, from its spend
/// groups, in the tenant's `reporting` currency.
pub fn build(
    reporting: &str,
    plan_currency: &str,
    budget_micros: i64,
    groups: &[SpendGroup],
) -> MeasuredSpend {
    // Fewer than 2^31 groups of less than 2^96 each: never near saturating.
    let total_micros = groups.iter().fold(0i128, |total, group| {
        total.saturating_add(group.converted_micros)
    });
    let direct_micros = groups
        .iter()
        .filter(|group| group.original_currency.is_none())
        .fold(0i128, |total, group| {
            total.saturating_add(group.converted_micros)
        });
    let mut conversions: Vec<SpendConversion> = groups
        .iter()
        .filter_map(|group| {
            let currency = group.original_currency.clone()?;
            let (rate, rate_date) = group.rate.clone()?;
            Some(SpendConversion {
                from_currency: currency,
                rate_date,
                rate: rate.parse().ok()?,
                original_micros: group.original_micros,
                converted_micros: group.converted_micros,
                measurements: group.measurements,
            })
        })
        .collect();
    conversions.sort_by(|a, b| {
        (&a.from_currency, a.rate_date, a.rate).cmp(&(&b.from_currency, b.rate_date, b.rate))
    });
    MeasuredSpend {
        currency: reporting.to_owned(),
        total_micros,
        direct_micros,
        against_budget: (plan_currency == reporting).then_some(BudgetLine {
            planned_micros: budget_micros.into(),
            actual_micros: total_micros,
        }),
        conversions,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn group(currency: Option<&str>, rate: Option<(&str, u32)>, converted: i128) -> SpendGroup {
        SpendGroup {
            original_currency: currency.map(str::to_owned),
            rate: rate.map(|(rate, day)| {
                (
                    rate.to_owned(),
                    NaiveDate::from_ymd_opt(2027, 3, day).unwrap_or_default(),
                )
            }),
            converted_micros: converted,
            original_micros: converted * 2,
            measurements: 1,
        }
    }

    #[test]
    fn spend_adds_up_with_the_rates_used_in_order() {
        let spend = build(
            "EUR",
            "EUR",
            1_000_000_000,
            &[
                group(Some("USD"), Some(("0.93", 8)), 930_000),
                group(None, None, 5_000_000),
                group(Some("USD"), Some(("0.92", 5)), 920_000),
            ],
        );
        assert_eq!(spend.total_micros, 6_850_000);
        assert_eq!(spend.direct_micros, 5_000_000);
        assert_eq!(
            spend.against_budget.map(|line| line.variance_micros()),
            Some(6_850_000 - 1_000_000_000)
        );
        let days: Vec<u32> = spend
            .conversions
            .iter()
            .map(|c| chrono::Datelike::day(&c.rate_date))
            .collect();
        assert_eq!(days, vec![5, 8]);
        assert_eq!(spend.conversions[0].original_micros, 1_840_000);
    }

    #[test]
    fn a_plan_in_another_currency_is_not_compared() {
        let spend = build("EUR", "USD", 1_000_000, &[group(None, None, 5)]);
        assert_eq!(spend.against_budget, None);
        assert_eq!(spend.total_micros, 5);
    }
}
