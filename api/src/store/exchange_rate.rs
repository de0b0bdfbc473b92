//! Writes and lookups of the tenant's exchange rates.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::exchange_rate;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, sea_query::OnConflict};

use crate::store::{
    Scoped, StoreResult,
    page::{self, Page, PageRequest},
};

/// A rate's natural key: its day, its source currency and its target currency.
pub type RateKey = (NaiveDate, String, String);

/// The tenant's rates that already carry one of these keys, by key, in one statement.
pub async fn by_keys<C: ConnectionTrait>(
    scope: &Scoped<C>,
    keys: &[RateKey],
) -> StoreResult<HashMap<RateKey, exchange_rate::Model>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    use exchange_rate::Column;
    // Three plain IN lists, which the unique index serves; the few extra rows they admit are
    // dropped below.
    let dates: HashSet<NaiveDate> = keys.iter().map(|(date, _, _)| *date).collect();
    let froms: HashSet<&str> = keys.iter().map(|(_, from, _)| from.as_str()).collect();
    let tos: HashSet<&str> = keys.iter().map(|(_, _, to)| to.as_str()).collect();
    let rows = scope
        .select::<exchange_rate::Entity>()
        .filter(Column::FromCurrency.is_in(froms))
        .filter(Column::ToCurrency.is_in(tos))
        .filter(Column::Date.is_in(dates))
        .all(scope.connection())
        .await?;
    let wanted: HashSet<&RateKey> = keys.iter().collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let key = (row.date, row.from_currency.clone(), row.to_currency.clone());
            wanted.contains(&key).then_some((key, row))
        })
        .collect())
}

/// Writes rates in one statement: a rate whose (date, from, to) the tenant already has replaces
/// its value in place (same id, same creation time).
pub async fn upsert<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    rows: Vec<exchange_rate::ActiveModel>,
) -> StoreResult<()> {
    use exchange_rate::Column;
    let on_conflict = OnConflict::columns([
        Column::TenantId,
        Column::FromCurrency,
        Column::ToCurrency,
        Column::Date,
    ])
    .update_columns([Column::Rate, Column::UpdatedAt])
    .to_owned();
    scope
        .upsert_many::<exchange_rate::Entity, _>(rows, on_conflict)
        .await
}

/// Every rate of the tenant converting one of `froms` into `to`, dated from `first` to `last`
/// (both included), in one statement: what a batch of measurements may need.
pub async fn for_conversion<C: ConnectionTrait>(
    scope: &Scoped<C>,
    froms: &[String],
    to: &str,
    first: NaiveDate,
    last: NaiveDate,
) -> StoreResult<Vec<exchange_rate::Model>> {
    if froms.is_empty() {
        return Ok(Vec::new());
    }
    use exchange_rate::Column;
    Ok(scope
        .select::<exchange_rate::Entity>()
        .filter(Column::ToCurrency.eq(to))
        .filter(Column::FromCurrency.is_in(froms.iter().map(String::as_str)))
        .filter(Column::Date.between(first, last))
        .all(scope.connection())
        .await?)
}

/// Which rates a list reads; `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct RateFilter {
    /// Only rates from this currency.
    pub from: Option<String>,
    /// Only rates into this currency.
    pub to: Option<String>,
    /// Only rates dated on or after this day.
    pub from_date: Option<NaiveDate>,
    /// Only rates dated on or before this day.
    pub to_date: Option<NaiveDate>,
}

fn filtered<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &RateFilter,
) -> sea_orm::Select<exchange_rate::Entity> {
    use exchange_rate::Column;
    let mut select = scope.select::<exchange_rate::Entity>();
    if let Some(from) = &filter.from {
        select = select.filter(Column::FromCurrency.eq(from.as_str()));
    }
    if let Some(to) = &filter.to {
        select = select.filter(Column::ToCurrency.eq(to.as_str()));
    }
    if let Some(first) = filter.from_date {
        select = select.filter(Column::Date.gte(first));
    }
    if let Some(last) = filter.to_date {
        select = select.filter(Column::Date.lte(last));
    }
    select
}

/// One page of the rates matching `filter`, in the order they were first loaded.
pub async fn list<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &RateFilter,
    request: &PageRequest,
) -> StoreResult<Page<exchange_rate::Model>> {
    page::fetch(scope, filtered(scope, filter), request).await
}

/// How many rates match `filter`.
pub async fn count<C: ConnectionTrait>(scope: &Scoped<C>, filter: &RateFilter) -> StoreResult<u64> {
    page::count(scope, filtered(scope, filter)).await
}
