//! Converting an amount from one currency into another with an exchange rate: the rule of
//! rates (what a rate may be), the rule of conversion (exact, rounded once) and the rule of
//! which rate serves a day.
//!
//! - A **rate** says what one unit of `from` is worth in `to` on a day: 1 USD = 0.92 EUR is
//!   (USD, EUR, 0.92). It is an exact decimal, greater than 0, at most [`MAX_RATE`], with at most
//!   [`MAX_RATE_DECIMALS`] decimal places. Only the direction loaded is used: a EUR→USD rate is
//!   never inverted to convert USD into EUR, and no rate is chained through a third currency.
//! - A **conversion** multiplies the amount (exact micros) by the rate in 128-bit integers, then
//!   rounds once to the minor units of the target currency (ISO 4217: EUR 2, JPY 0, BHD 3;
//!   [`super::currency::minor_units`]), a midpoint away from zero ("half-up" as accountants use
//!   it: 0.125 → 0.13, −0.125 → −0.13), the rule ratios follow too.
//! - The rate of a **day** is the pair's rate dated that day, else the latest one dated up to
//!   [`RATE_LOOKBACK_DAYS`] days before (a Friday's rate serves the weekend and a holiday); an
//!   older one, or one dated after the day, is never used.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use thiserror::Error;

use super::{AmountError, SCALE};

/// Most decimal places of a rate.
pub const MAX_RATE_DECIMALS: u32 = 12;

/// Largest rate accepted (one unit of a currency worth a billion units of another).
pub const MAX_RATE: i64 = 1_000_000_000;

/// How many days before a measurement's date a rate may be dated and still serve it.
pub const RATE_LOOKBACK_DAYS: u64 = 7;

/// Why a rate is refused.
#[derive(Debug, Error, Clone, Copy, PartialEq, Eq)]
pub enum RateError {
    /// Zero or negative.
    #[error("a rate must be greater than 0")]
    NotPositive,
    /// More than [`MAX_RATE_DECIMALS`] decimal places.
    #[error("a rate has at most 12 decimal places")]
    TooPrecise,
    /// Above [`MAX_RATE`].
    #[error("a rate is at most 1000000000")]
    TooLarge,
}

/// Checks a rate and returns it without trailing zeros.
pub fn check_rate(rate: Decimal) -> Result<Decimal, RateError> {
    let rate = rate.normalize();
    if rate <= Decimal::ZERO {
        Err(RateError::NotPositive)
    } else if rate.scale() > MAX_RATE_DECIMALS {
        Err(RateError::TooPrecise)
    } else if rate > Decimal::from(MAX_RATE) {
        Err(RateError::TooLarge)
    } else {
        Ok(rate)
    }
}

/// `10^exponent` in 128 bits (exponents up to 38 fit).
fn power_of_ten(exponent: u32) -> i128 {
    10_i128.pow(exponent)
}

/// `numerator / divisor` rounded to the nearest integer, a midpoint away from zero
/// (`divisor > 0`).
fn divide_rounded(numerator: i128, divisor: i128) -> i128 {
    let quotient = numerator / divisor;
    let remainder = numerator % divisor;
    if remainder.abs() * 2 >= divisor {
        quotient + numerator.signum()
    } else {
        quotient
    }
}

/// Converts `micros` of a currency into micros of `to_currency` at `rate` (a rate that passed
/// [`check_rate`]): the exact product, rounded once to the minor units of `to_currency`
/// (at most the 6 decimals an amount keeps), a midpoint away from zero. `TooLarge` when the
/// result leaves the range of a stored amount.
pub fn convert(micros: i64, rate: Decimal, to_currency: &str) -> Result<i64, AmountError> {
    let rate = rate.normalize();
    let rate_scale = rate.scale();
    // The exact product, in units of 10^-(6 + rate_scale). A product beyond 128 bits is far
    // beyond the range of an amount.
    let product = i128::from(micros)
        .checked_mul(rate.mantissa())
        .ok_or(AmountError::TooLarge)?;
    let kept = super::currency::minor_units(to_currency).min(SCALE);
    // Rounded to `kept` decimals, then back to micros.
    let rounded = divide_rounded(product, power_of_ten(SCALE + rate_scale - kept));
    let converted = rounded
        .checked_mul(power_of_ten(SCALE - kept))
        .ok_or(AmountError::TooLarge)?;
    i64::try_from(converted).map_err(|_| AmountError::TooLarge)
}

/// A rate that serves a day: the rate and the day it is dated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatedRate {
    /// The day the rate is dated (the day asked, or up to [`RATE_LOOKBACK_DAYS`] before).
    pub date: NaiveDate,
    /// Units of the target currency per unit of the source currency.
    pub rate: Decimal,
}

/// Rates by (from, to) pair and day, loaded for a batch, answering which rate serves a day.
#[derive(Debug, Clone, Default)]
pub struct RateTable {
    rates: HashMap<(String, String), BTreeMap<NaiveDate, Decimal>>,
}

impl RateTable {
    /// Adds the rate of `from` in `to` on `date`.
    pub fn insert(&mut self, from: &str, to: &str, date: NaiveDate, rate: Decimal) {
        self.rates
            .entry((from.to_owned(), to.to_owned()))
            .or_default()
            .insert(date, rate);
    }

    /// The rate that serves `date` for converting `from` into `to`: dated that day, else the
    /// latest dated up to [`RATE_LOOKBACK_DAYS`] days before; `None` when there is none.
    pub fn serving(&self, from: &str, to: &str, date: NaiveDate) -> Option<DatedRate> {
        let earliest = date
            .checked_sub_days(Days::new(RATE_LOOKBACK_DAYS))
            .unwrap_or(NaiveDate::MIN);
        self.rates
            .get(&(from.to_owned(), to.to_owned()))?
            .range(earliest..=date)
            .next_back()
            .map(|(date, rate)| DatedRate {
                date: *date,
                rate: *rate,
            })
    }
}

/// The first day whose rate may serve a measurement dated `date`.
pub fn earliest_serving(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(RATE_LOOKBACK_DAYS))
        .unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::from_str(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    fn micros(text: &str) -> i64 {
        super::super::to_micros(dec(text)).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    #[test]
    fn rates_are_positive_bounded_and_at_most_12_decimals() {
        assert_eq!(check_rate(dec("0.9250")), Ok(dec("0.925")));
        assert_eq!(check_rate(dec("0")), Err(RateError::NotPositive));
        assert_eq!(check_rate(dec("-1.1")), Err(RateError::NotPositive));
        assert_eq!(check_rate(dec("0.000000000001")), Ok(dec("0.000000000001")));
        assert_eq!(
            check_rate(dec("0.0000000000001")),
            Err(RateError::TooPrecise)
        );
        assert_eq!(check_rate(dec("1000000000")), Ok(dec("1000000000")));
        assert_eq!(check_rate(dec("1000000000.5")), Err(RateError::TooLarge));
    }

    #[test]
    fn conversions_are_exact_then_rounded_once_half_away_from_zero() {
        // 1234.56 USD × 0.9215 EUR/USD = 1137.64704 EUR exactly → 1137.65.
        assert_eq!(
            convert(micros("1234.56"), dec("0.9215"), "EUR"),
            Ok(micros("1137.65"))
        );
        // A midpoint: 0.25 × 0.5 = 0.125 → 0.13, and −0.13 for the negative.
        assert_eq!(convert(micros("0.25"), dec("0.5"), "EUR"), Ok(130_000));
        assert_eq!(convert(micros("-0.25"), dec("0.5"), "EUR"), Ok(-130_000));
        // Just under a midpoint stays down: no rounding happens before the last one.
        assert_eq!(
            convert(micros("0.25"), dec("0.499999999999"), "EUR"),
            Ok(120_000)
        );
        // JPY has no minor units, BHD three.
        assert_eq!(
            convert(micros("10.50"), dec("155.5"), "JPY"),
            Ok(micros("1633"))
        );
        assert_eq!(
            convert(micros("10"), dec("0.3769"), "BHD"),
            Ok(micros("3.769"))
        );
        // Twelve decimals of rate and six of amount: the product is exact before rounding.
        assert_eq!(
            convert(micros("0.000001"), dec("0.000000000001"), "EUR"),
            Ok(0)
        );
    }

    #[test]
    fn conversions_beyond_an_amount_are_refused() {
        assert_eq!(
            convert(i64::MAX, dec("2"), "EUR"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(
            convert(i64::MAX, dec("1000000000"), "EUR"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(
            convert(i64::MIN, dec("999999999.999999999999"), "EUR"),
            Err(AmountError::TooLarge)
        );
    }

    #[test]
    fn the_rate_of_the_day_or_the_latest_of_the_seven_before() {
        let mut table = RateTable::default();
        table.insert("USD", "EUR", day("2027-03-05"), dec("0.92"));
        table.insert("USD", "EUR", day("2027-03-08"), dec("0.93"));
        table.insert("EUR", "USD", day("2027-03-07"), dec("1.1"));
        let serving = |date: &str| table.serving("USD", "EUR", day(date));
        assert_eq!(
            serving("2027-03-08"),
            Some(DatedRate {
                date: day("2027-03-08"),
                rate: dec("0.93")
            })
        );
        // The weekend takes Friday's rate, never Monday's nor the reverse pair's.
        assert_eq!(
            serving("2027-03-07"),
            Some(DatedRate {
                date: day("2027-03-05"),
                rate: dec("0.92")
            })
        );
        assert_eq!(
            serving("2027-03-12").map(|r| r.date),
            Some(day("2027-03-08"))
        );
        assert_eq!(
            serving("2027-03-15").map(|r| r.date),
            Some(day("2027-03-08"))
        );
        assert_eq!(serving("2027-03-16"), None, "8 days after the last rate");
        assert_eq!(serving("2027-03-04"), None, "before the first rate");
        assert_eq!(table.serving("GBP", "EUR", day("2027-03-08")), None);
        assert_eq!(earliest_serving(day("2027-03-08")), day("2027-03-01"));
        assert_eq!(earliest_serving(NaiveDate::MIN), NaiveDate::MIN);
    }
}
