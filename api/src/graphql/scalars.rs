//! The custom scalars of API.md: `Date`, `DateTime` and `Decimal` (a string, never a float).

use std::str::FromStr;

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};

use crate::{domain::money, error::ApiError};

/// A calendar date, `YYYY-MM-DD` (ISO 8601), such as `2026-03-01`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub chrono::NaiveDate);

/// A calendar date without a time zone, `YYYY-MM-DD` (ISO 8601, RFC 3339's `full-date`), such
/// as `2026-03-01`, from 0001-01-01 to 9999-12-31.
#[Scalar(
    name = "Date",
    specified_by_url = "https://scalars.graphql.org/andimarek/local-date"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => crate::domain::validation::parse_date(text)
                .map(Date)
                .ok_or_else(|| {
                    InputValueError::custom(format!(
                        "`{text}` is not a date: use YYYY-MM-DD, from 0001-01-01 to 9999-12-31"
                    ))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        // Digit by digit (a day-grained series writes thousands; see `iso_date`).
        Value::String(crate::iso_date::format(self.0))
    }
}

/// An instant in UTC, RFC 3339 (`2026-03-01T09:30:00.000Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime(pub chrono::DateTime<chrono::Utc>);

/// An instant, RFC 3339 `date-time`. Returned in UTC with exactly three decimals of a second
/// (`2026-03-01T09:30:00.000Z`), as the specification requires. Accepted with any offset and
/// any number of decimals of a second (`2026-03-01T10:30:00+01:00`,
/// `2026-03-01T09:30:00.000001Z`).
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://scalars.graphql.org/andimarek/date-time"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => chrono::DateTime::parse_from_rfc3339(text)
                .map(|instant| DateTime(instant.with_timezone(&chrono::Utc)))
                .map_err(|_| {
                    InputValueError::custom(format!("`{text}` is not an RFC 3339 date-time"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    }
}

/// An exact decimal number, written out at the scale its producer chose: money through
/// [`Decimal::amount`] (at least its currency's minor units), everything else through
/// [`Decimal::plain`] (no trailing zeros). Inputs read `.0`; outputs never build it directly,
/// so that no value reaches a client without one of the two rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Decimal(pub rust_decimal::Decimal);

impl Decimal {
    /// An amount of money of `currency` (micros, which a sum may take beyond 64 bits), as
    /// [`money::amount`] writes it; refused with `BAD_USER_INPUT` beyond a decimal's range
    /// (±(2^96 − 1) micros, about ±7.9 × 10^22 units) rather than rounded. Sums the store
    /// computes always fit.
    pub fn amount(micros: i128, currency: &str) -> Result<Self, ApiError> {
        money::amount(micros, currency).map(Decimal).map_err(|_| {
            ApiError::bad_input(
                "an amount leaves the range of an exact decimal (28 significant digits)",
            )
        })
    }

    /// One stored amount of money of `currency`, as [`money::amount`] writes it.
    pub fn stored_amount(micros: i64, currency: &str) -> Self {
        Decimal(money::stored_amount(micros, currency))
    }

    /// A value that is not money (a measurement, a KPI value, a ratio already rounded by
    /// [`crate::domain::ratio`], a formula's scale), without trailing zeros: `0.034`, `40`.
    pub fn plain(value: rust_decimal::Decimal) -> Self {
        Decimal(value.normalize())
    }

    /// One stored value that is not money (micros), without trailing zeros.
    pub fn stored_plain(micros: i64) -> Self {
        Decimal::plain(money::from_micros(micros))
    }
}

/// An exact decimal number written as a string, such as `"1250.50"`: an optional `-`, digits,
/// and a `.` followed by digits when there are decimals, never an exponent (the lexical form of
/// XML Schema's `decimal`). Money and measured values are never floats; at most 6 decimal
/// places are stored. An amount of money comes back with at least its currency's minor-unit
/// digits (ISO 4217: `"300.00"` in EUR, `"1500"` in JPY) and every significant digit it was
/// sent with; other values come back without trailing zeros, ratios rounded to 12 decimal
/// places. As input, a string (scientific notation such as `"1.5e3"` accepted) or a JSON
/// integer. The whole rule: docs/scalars.md.
#[Scalar(
    name = "Decimal",
    specified_by_url = "https://www.w3.org/TR/xmlschema11-2/#decimal"
)]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        let text = match &value {
            Value::String(text) => text.trim().to_owned(),
            Value::Number(number) if number.is_i64() || number.is_u64() => number.to_string(),
            _ => {
                return Err(InputValueError::custom(
                    "a Decimal is written as a string, such as \"1250.50\"",
                ));
            }
        };
        rust_decimal::Decimal::from_str(&text)
            .or_else(|_| rust_decimal::Decimal::from_scientific(&text))
            .map(Decimal)
            .map_err(|_| InputValueError::custom(format!("`{text}` is not a decimal number")))
    }

    /// Written at the value's own scale: [`Decimal::amount`] and [`Decimal::plain`] chose it.
    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_yyyy_mm_dd() {
        for (y, m, d) in [(1, 1, 1), (999, 12, 31), (2027, 3, 1), (9999, 12, 31)] {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
            assert_eq!(
                Date(date).to_value(),
                Value::String(date.format("%Y-%m-%d").to_string())
            );
        }
        let written = Date(chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap_or_default());
        assert_eq!(written.to_value(), Value::String("2027-03-01".to_owned()));
    }
}
