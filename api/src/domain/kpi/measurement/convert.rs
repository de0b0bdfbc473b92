//! Measurements sent in another currency than the tenant's reporting currency (its
//! `currency`), converted before they are written: the value stored is the converted one (what
//! series, objectives, budget reports and exports sum), and the row keeps the value as sent, its
//! currency, the rate and the rate's day. The rates a batch needs are read in one statement.
//! The rules (which rate serves a day, how the product is rounded) are
//! [`crate::domain::money::exchange`]'s.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use super::{NewMeasurement, checks::Checked};
use crate::domain::{
    DomainResult, FieldErrorCode,
    exchange_rate::rate_of,
    money::{
        AmountError,
        exchange::{self, RATE_LOOKBACK_DAYS, RateTable},
    },
    validation::{FIRST_DATE, Violations},
};
use crate::store;

/// What a converted row keeps of what was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Conversion {
    /// The value as sent, in micros of `currency`.
    pub(super) original_micros: i64,
    /// The currency it was sent in.
    pub(super) currency: String,
    /// The rate used, as stored (an exact decimal string).
    pub(super) rate: String,
    /// The day of the rate used.
    pub(super) rate_date: NaiveDate,
}

/// Converts the rows of the batch whose currency is not the tenant's, in place: their
/// `value_micros` becomes the converted value and their `conversion` says from what. A row
/// without a rate that serves its date is refused with `RATE_MISSING` at its `currency`, naming
/// the pair and the date; one whose converted value leaves the range of an amount with
/// `OUT_OF_RANGE` at its `value`. Reads the tenant and the rates only when a row names a
/// currency (two statements for the whole batch).
pub(super) async fn apply<C: ConnectionTrait>(
    scope: &store::Scoped<C>,
    v: &mut Violations,
    rows: &[NewMeasurement],
    checked: &mut [Checked],
) -> DomainResult<()> {
    if checked.iter().all(|row| row.currency.is_none()) {
        return Ok(());
    }
    let reporting = store::tenant::current(scope).await?.currency;
    let foreign: Vec<usize> = checked
        .iter()
        .enumerate()
        .filter(|(_, row)| row.currency.as_ref().is_some_and(|code| *code != reporting))
        .map(|(index, _)| index)
        .collect();
    let Some((first, last)) = date_span(foreign.iter().map(|index| rows[*index].date)) else {
        return Ok(());
    };
    let froms: Vec<String> = foreign
        .iter()
        .filter_map(|index| checked[*index].currency.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let earliest = exchange::earliest_serving(first).max(FIRST_DATE);
    let mut table = RateTable::default();
    for row in
        store::exchange_rate::for_conversion(scope, &froms, &reporting, earliest, last).await?
    {
        if let Some(rate) = rate_of(&row) {
            table.insert(&row.from_currency, &row.to_currency, row.date, rate);
        }
    }
    for index in foreign {
        let row = &mut checked[index];
        let Some(currency) = row.currency.clone() else {
            continue;
        };
        let date = rows[index].date;
        let at = index.to_string();
        let Some(serving) = table.serving(&currency, &reporting, date) else {
            v.add(
                &["measurements", &at, "currency"],
                FieldErrorCode::RateMissing,
                format!(
                    "no {currency} → {reporting} exchange rate on {date} nor in the \
                     {RATE_LOOKBACK_DAYS} days before; load one with setExchangeRates"
                ),
            );
            continue;
        };
        match exchange::convert(row.value_micros, serving.rate, &reporting) {
            Ok(converted) => {
                row.conversion = Some(Conversion {
                    original_micros: row.value_micros,
                    currency,
                    rate: serving.rate.to_string(),
                    rate_date: serving.date,
                });
                row.value_micros = converted;
            }
            Err(AmountError::TooLarge | AmountError::TooPrecise) => v.add(
                &["measurements", &at, "value"],
                FieldErrorCode::OutOfRange,
                format!("the value converted into {reporting} is too large"),
            ),
        }
    }
    Ok(())
}

/// The first and last of `dates`, or `None` when there are none.
fn date_span(dates: impl Iterator<Item = NaiveDate>) -> Option<(NaiveDate, NaiveDate)> {
    dates.fold(None, |span, date| match span {
        None => Some((date, date)),
        Some((first, last)) => Some((first.min(date), last.max(date))),
    })
}
