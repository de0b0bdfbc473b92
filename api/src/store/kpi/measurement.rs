//! Writes and lookups of measurements.

use std::collections::{HashMap, HashSet};

use entity::measurement;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, sea_query::OnConflict};

use crate::store::{Scoped, StoreResult};

/// The tenant's measurements that already carry one of these (source, external id) keys, by key,
/// in one statement.
pub async fn by_external_keys<C: ConnectionTrait>(
    scope: &Scoped<C>,
    keys: &[(String, String)],
) -> StoreResult<HashMap<(String, String), measurement::Model>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    // Two plain IN lists match the unique index (tenant_id, source, external_id) and plan fast
    // on PostgreSQL, where a list of 1000 (source, external id) tuples takes longer to plan
    // than to run; the few extra pairs they admit are dropped below.
    let sources: HashSet<&str> = keys.iter().map(|(source, _)| source.as_str()).collect();
    let externals: HashSet<&str> = keys.iter().map(|(_, id)| id.as_str()).collect();
    let rows = scope
        .select::<measurement::Entity>()
        .filter(measurement::Column::Source.is_in(sources))
        .filter(measurement::Column::ExternalId.is_in(externals))
        .all(scope.connection())
        .await?;
    let wanted: HashSet<&(String, String)> = keys.iter().collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let key = (row.source.clone(), row.external_id.clone()?);
            wanted.contains(&key).then_some((key, row))
        })
        .collect())
}

/// Writes a batch in one statement: rows whose (source, external id) already exists for the
/// tenant update it in place (same id, same creation time); the others are inserted.
pub async fn upsert<C: ConnectionTrait>(
    scope: &Scoped<C>,
    rows: Vec<measurement::ActiveModel>,
) -> StoreResult<()> {
    use measurement::Column;
    let on_conflict = OnConflict::columns([Column::TenantId, Column::Source, Column::ExternalId])
        .update_columns([
            Column::KpiKey,
            Column::Date,
            Column::Grain,
            Column::ValueMicros,
            Column::PlanId,
            Column::CampaignId,
            Column::ActionId,
            Column::Lever,
            Column::PersonaId,
            Column::OriginalValueMicros,
            Column::OriginalCurrency,
            Column::ExchangeRate,
            Column::RateDate,
            Column::UpdatedAt,
        ])
        .to_owned();
    scope
        .upsert_many::<measurement::Entity, _>(rows, on_conflict)
        .await
}

/// Whether the tenant has any measurement of this KPI (a KPI in use cannot change its nature).
pub async fn exists_for_kpi<C: ConnectionTrait>(
    scope: &Scoped<C>,
    kpi_key: &str,
) -> StoreResult<bool> {
    use sea_orm::PaginatorTrait;
    Ok(scope
        .select::<measurement::Entity>()
        .filter(measurement::Column::KpiKey.eq(kpi_key))
        .count(scope.connection())
        .await?
        > 0)
}

/// Which measurements a list reads; empty lists and `None` do not filter.
#[derive(Debug, Clone, Default)]
pub struct MeasurementFilter {
    /// Only these KPIs.
    pub kpi_keys: Vec<String>,
    /// Only periods starting on or after this day.
    pub from: Option<chrono::NaiveDate>,
    /// Only periods starting on or before this day.
    pub to: Option<chrono::NaiveDate>,
    /// Only this plan's.
    pub plan_id: Option<uuid::Uuid>,
    /// Only these campaigns'.
    pub campaign_ids: Vec<uuid::Uuid>,
    /// Only these levers'.
    pub levers: Vec<entity::enums::Lever>,
    /// Only these personas'.
    pub persona_ids: Vec<uuid::Uuid>,
    /// Only from this source.
    pub source: Option<String>,
}

/// The tenant's measurements matching `filter` (lists and exports read through this).
pub(in crate::store) fn filtered<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &MeasurementFilter,
) -> sea_orm::Select<measurement::Entity> {
    use measurement::Column;
    let mut select = scope.select::<measurement::Entity>();
    if !filter.kpi_keys.is_empty() {
        select = select.filter(Column::KpiKey.is_in(filter.kpi_keys.iter().cloned()));
    }
    if let Some(from) = filter.from {
        select = select.filter(Column::Date.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(Column::Date.lte(to));
    }
    if let Some(plan_id) = filter.plan_id {
        select = select.filter(Column::PlanId.eq(plan_id));
    }
    if !filter.campaign_ids.is_empty() {
        select = select.filter(Column::CampaignId.is_in(filter.campaign_ids.iter().copied()));
    }
    if !filter.levers.is_empty() {
        select = select.filter(Column::Lever.is_in(filter.levers.iter().copied()));
    }
    if !filter.persona_ids.is_empty() {
        select = select.filter(Column::PersonaId.is_in(filter.persona_ids.iter().copied()));
    }
    if let Some(source) = &filter.source {
        select = select.filter(Column::Source.eq(source.as_str()));
    }
    select
}

/// One page of the measurements matching `filter`, in recording order.
pub async fn list<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &MeasurementFilter,
    request: &crate::store::page::PageRequest,
) -> StoreResult<crate::store::page::Page<measurement::Model>> {
    crate::store::page::fetch(scope, filtered(scope, filter), request).await
}

/// How many measurements match `filter`.
pub async fn count<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &MeasurementFilter,
) -> StoreResult<u64> {
    crate::store::page::count(scope, filtered(scope, filter)).await
}
