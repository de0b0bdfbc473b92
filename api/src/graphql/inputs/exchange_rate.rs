//! Inputs of `setExchangeRates` and `exchangeRates`.

use async_graphql::InputObject;

use crate::{
    domain::exchange_rate::NewRate,
    graphql::scalars::{Date, Decimal},
};

/// Rates to load, as a list, as a CSV text, or both (at most 1000 together), written all
/// together or not at all.
#[derive(Debug, InputObject)]
pub struct SetExchangeRatesInput {
    /// The rates, each reported at `["input", "rates", "<index>", "<field>"]`.
    pub rates: Option<Vec<ExchangeRateInput>>,
    /// A CSV text: the header `date,from,to,rate`, then one rate per line
    /// (`2027-03-01,USD,EUR,0.9215`); problems are reported at `["input", "csv", "<line>"]`,
    /// lines counted from 1 (the header).
    pub csv: Option<String>,
}

/// One rate: 1 `from` = `rate` `to` on `date`.
#[derive(Debug, InputObject)]
pub struct ExchangeRateInput {
    /// The day it applies to.
    pub date: Date,
    /// The currency converted from (ISO 4217, three capital letters).
    pub from: String,
    /// The currency converted to (ISO 4217), different from `from`.
    pub to: String,
    /// Units of `to` per unit of `from`: greater than 0, at most 1000000000, at most 12 decimal
    /// places.
    pub rate: Decimal,
}

impl From<ExchangeRateInput> for NewRate {
    fn from(input: ExchangeRateInput) -> Self {
        Self {
            date: input.date.0,
            from: input.from,
            to: input.to,
            rate: input.rate.0,
        }
    }
}

/// Which exchange rates to list; every condition given must hold.
#[derive(Debug, Default, InputObject)]
pub struct ExchangeRateFilter {
    /// Only rates from this currency.
    pub from: Option<String>,
    /// Only rates into this currency.
    pub to: Option<String>,
    /// Only rates dated on or after this day.
    pub from_date: Option<Date>,
    /// Only rates dated on or before this day.
    pub to_date: Option<Date>,
}

impl From<ExchangeRateFilter> for crate::store::exchange_rate::RateFilter {
    fn from(filter: ExchangeRateFilter) -> Self {
        Self {
            from: filter.from,
            to: filter.to,
            from_date: filter.from_date.map(|date| date.0),
            to_date: filter.to_date.map(|date| date.0),
        }
    }
}
