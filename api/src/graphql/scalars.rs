//! The custom scalars of API.md: `Date`, `DateTime` and `Decimal` (a string, never a float).

use std::str::FromStr;

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};

use crate::error::ApiError;

/// A calendar date, `YYYY-MM-DD` (ISO 8601), such as `2026-03-01`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub chrono::NaiveDate);

/// A calendar date, `YYYY-MM-DD` (ISO 8601), such as `2026-03-01`, from 0001-01-01 to
/// 9999-12-31.
#[Scalar(name = "Date")]
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
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// An instant in UTC, RFC 3339 (`2026-03-01T09:30:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime(pub chrono::DateTime<chrono::Utc>);

/// An instant, RFC 3339 (`2026-03-01T09:30:00Z`); returned in UTC.
#[Scalar(name = "DateTime")]
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
        Value::String(self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

/// An exact decimal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Decimal(pub rust_decimal::Decimal);

impl Decimal {
    /// An amount of micros, which a sum may take beyond 64 bits, as an exact decimal; refused
    /// with `BAD_USER_INPUT` beyond a decimal's range (±(2^96 − 1) micros, about ±7.9 × 10^22
    /// units) rather than rounded. Sums the store computes always fit.
    pub fn of_micros(micros: i128) -> Result<Self, ApiError> {
        crate::domain::money::from_wide_micros(micros)
            .map(Decimal)
            .map_err(|_| {
                ApiError::bad_input(
                    "an amount leaves the range of an exact decimal (28 significant digits)",
                )
            })
    }
}

/// An exact decimal number written as a string, such as `"1250.50"`. Money and measured values
/// are never floats; at most 6 decimal places are stored. Integers are accepted as input too.
#[Scalar(name = "Decimal")]
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

    fn to_value(&self) -> Value {
        Value::String(self.0.normalize().to_string())
    }
}
