//! `ExchangeRate`: what one unit of a currency is worth in another on a day.

use async_graphql::{Object, Result};
use entity::exchange_rate;

use crate::connection;
use crate::{
    domain::exchange_rate::rate_of,
    error::ApiError,
    graphql::scalars::{Date, DateTime, Decimal},
};

/// One exchange rate of the tenant: 1 `from` = `rate` `to` on `date`. Measurements sent in
/// `from` are converted into the reporting currency `to` with it.
#[derive(Debug, Clone)]
pub struct ExchangeRate(pub exchange_rate::Model);

connection!(
    ExchangeRateConnection,
    ExchangeRateEdge,
    ExchangeRate,
    exchange_rate::Model,
    "A page of exchange rates, in the order they were first loaded.",
    "An exchange rate in a page of exchange rates."
);

/// One exchange rate of the tenant: 1 `from` = `rate` `to` on `date`. Measurements sent in
/// `from` are converted into the reporting currency `to` with it.
#[Object]
impl ExchangeRate {
    /// The day the rate applies to (it also serves the 7 days after, until a later one).
    async fn date(&self) -> Date {
        Date(self.0.date)
    }

    /// The currency converted from (ISO 4217).
    async fn from(&self) -> &str {
        &self.0.from_currency
    }

    /// The currency converted to (ISO 4217).
    async fn to(&self) -> &str {
        &self.0.to_currency
    }

    /// Units of `to` per unit of `from`, exact (at most 12 decimal places), without trailing
    /// zeros.
    async fn rate(&self) -> Result<Decimal> {
        rate_of(&self.0).map(Decimal::plain).ok_or_else(|| {
            ApiError::internal(&format_args!(
                "exchange rate {} is not a decimal",
                self.0.id
            ))
            .into()
        })
    }

    /// When the rate was last loaded.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
