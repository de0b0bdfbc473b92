//! Writes and lookups of measurements.

use std::collections::{HashMap, HashSet};

use entity::measurement;
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, DbBackend, DbErr, IntoActiveModel, QueryFilter,
    Statement, Value,
    sea_query::{ArrayType, OnConflict},
};
use uuid::Uuid;

use crate::store::{Scoped, StoreError, StoreResult};

/// The tenant's measurements that already carry one of these (source, external id) keys, by key,
/// in one statement.
async fn by_external_keys<C: ConnectionTrait>(
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

/// Writes a batch of checked rows, all of the scope's tenant: a row whose (source, external id)
/// already exists for the tenant updates it in place (keeping its id and creation time, which
/// are written back into `rows`); the others are inserted with the id and times they carry.
/// Returns, in `rows`' order, whether each row was new.
///
/// On PostgreSQL it is one statement whatever the batch's size, `INSERT … SELECT FROM UNNEST`
/// of one array per column with `ON CONFLICT … DO UPDATE … RETURNING`: prepared once and reused,
/// with no look-up of existing keys before it (the unique index finds the conflicts). SQLite
/// has no arrays: one look-up of the keys the batch carries, then one multi-row upsert.
pub async fn write_batch<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    rows: &mut [measurement::Model],
) -> StoreResult<Vec<bool>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    match scope.connection().get_database_backend() {
        DbBackend::Postgres => write_batch_unnest(scope, rows).await,
        _ => write_batch_rows(scope, rows).await,
    }
}

/// The columns a write sets, in the order of [`UNNEST_UPSERT`]'s arrays (after `tenant_id`).
const UNNEST_UPSERT: &str = r#"
INSERT INTO "measurements" ("tenant_id", "id", "kpi_key", "date", "grain", "value_micros",
    "source", "external_id", "plan_id", "campaign_id", "action_id", "lever", "persona_id",
    "original_value_micros", "original_currency", "exchange_rate", "rate_date",
    "created_at", "updated_at")
SELECT $1, u.id, u.kpi_key, u.date, u.grain, u.value_micros, u.source,
    NULLIF(u.external_id, ''), NULLIF(u.plan_id, $2), NULLIF(u.campaign_id, $2),
    NULLIF(u.action_id, $2), NULLIF(u.lever, ''), NULLIF(u.persona_id, $2),
    CASE WHEN u.converted THEN u.original_value_micros END,
    CASE WHEN u.converted THEN u.original_currency END,
    CASE WHEN u.converted THEN u.exchange_rate END,
    CASE WHEN u.converted THEN u.rate_date END, $3, $3
FROM UNNEST($4::uuid[], $5::text[], $6::date[], $7::text[], $8::int8[], $9::text[],
    $10::text[], $11::uuid[], $12::uuid[], $13::uuid[], $14::text[], $15::uuid[], $16::bool[],
    $17::int8[], $18::text[], $19::text[], $20::date[])
    AS u(id, kpi_key, date, grain, value_micros, source, external_id, plan_id, campaign_id,
         action_id, lever, persona_id, converted, original_value_micros, original_currency,
         exchange_rate, rate_date)
ON CONFLICT ("tenant_id", "source", "external_id") DO UPDATE SET
    "kpi_key" = EXCLUDED."kpi_key", "date" = EXCLUDED."date", "grain" = EXCLUDED."grain",
    "value_micros" = EXCLUDED."value_micros", "plan_id" = EXCLUDED."plan_id",
    "campaign_id" = EXCLUDED."campaign_id", "action_id" = EXCLUDED."action_id",
    "lever" = EXCLUDED."lever", "persona_id" = EXCLUDED."persona_id",
    "original_value_micros" = EXCLUDED."original_value_micros",
    "original_currency" = EXCLUDED."original_currency",
    "exchange_rate" = EXCLUDED."exchange_rate", "rate_date" = EXCLUDED."rate_date",
    "updated_at" = EXCLUDED."updated_at"
RETURNING "id", "source", "external_id", "created_at", (xmax = 0) AS "inserted"
"#;

/// [`write_batch`] on PostgreSQL. The arrays are bound without NULL elements (sea-query binds
/// arrays of plain values): an absent id is the nil UUID, an absent text the empty string, and
/// the statement turns them back into NULL. Neither can be a real value: ids are v7 UUIDs, and
/// validation refuses an empty external id, and levers are enum names. The four columns of a
/// currency conversion are set together or not at all: `converted` says which, and the others
/// carry placeholders where it is false.
async fn write_batch_unnest<C: ConnectionTrait>(
    scope: &Scoped<C>,
    rows: &mut [measurement::Model],
) -> StoreResult<Vec<bool>> {
    fn array(kind: ArrayType, values: Vec<Value>) -> Value {
        Value::Array(kind, Some(Box::new(values)))
    }
    fn id_or_nil(id: Option<Uuid>) -> Value {
        Value::from(id.unwrap_or(Uuid::nil()))
    }
    let now = rows[0].updated_at;
    let values = vec![
        Value::from(scope.tenant_id()),
        Value::from(Uuid::nil()),
        Value::from(now),
        array(
            ArrayType::Uuid,
            rows.iter().map(|row| Value::from(row.id)).collect(),
        ),
        array(
            ArrayType::String,
            rows.iter()
                .map(|row| Value::from(row.kpi_key.as_str()))
                .collect(),
        ),
        array(
            ArrayType::ChronoDate,
            rows.iter().map(|row| Value::from(row.date)).collect(),
        ),
        array(
            ArrayType::String,
            rows.iter()
                .map(|row| Value::from(row.grain.to_value()))
                .collect(),
        ),
        array(
            ArrayType::BigInt,
            rows.iter()
                .map(|row| Value::from(row.value_micros))
                .collect(),
        ),
        array(
            ArrayType::String,
            rows.iter()
                .map(|row| Value::from(row.source.as_str()))
                .collect(),
        ),
        array(
            ArrayType::String,
            rows.iter()
                .map(|row| Value::from(row.external_id.as_deref().unwrap_or("")))
                .collect(),
        ),
        array(
            ArrayType::Uuid,
            rows.iter().map(|row| id_or_nil(row.plan_id)).collect(),
        ),
        array(
            ArrayType::Uuid,
            rows.iter().map(|row| id_or_nil(row.campaign_id)).collect(),
        ),
        array(
            ArrayType::Uuid,
            rows.iter().map(|row| id_or_nil(row.action_id)).collect(),
        ),
        array(
            ArrayType::String,
            rows.iter()
                .map(|row| Value::from(row.lever.map(|lever| lever.to_value()).unwrap_or_default()))
                .collect(),
        ),
        array(
            ArrayType::Uuid,
            rows.iter().map(|row| id_or_nil(row.persona_id)).collect(),
        ),
        array(
            ArrayType::Bool,
            rows.iter()
                .map(|row| Value::from(row.original_currency.is_some()))
                .collect(),
        ),
        array(
            ArrayType::BigInt,
            rows.iter()
                .map(|row| Value::from(row.original_value_micros.unwrap_or_default()))
                .collect(),
        ),
        array(
            ArrayType::String,
            rows.iter()
                .map(|row| Value::from(row.original_currency.as_deref().unwrap_or("")))
                .collect(),
        ),
        array(
            ArrayType::String,
            rows.iter()
                .map(|row| Value::from(row.exchange_rate.as_deref().unwrap_or("")))
                .collect(),
        ),
        array(
            ArrayType::ChronoDate,
            rows.iter()
                .map(|row| Value::from(row.rate_date.unwrap_or(row.date)))
                .collect(),
        ),
    ];
    let written = scope
        .connection()
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            UNNEST_UPSERT,
            values,
        ))
        .await?;
    // RETURNING gives no input order: a row with an external id is found by it (unique in the
    // batch, checked before), one without by the id it was inserted with.
    let mut by_key: HashMap<(String, String), (Uuid, chrono::DateTime<chrono::Utc>, bool)> =
        HashMap::with_capacity(written.len());
    let mut by_id: HashMap<Uuid, bool> = HashMap::new();
    for result in written {
        let id: Uuid = result.try_get("", "id")?;
        let inserted: bool = result.try_get("", "inserted")?;
        match result.try_get::<Option<String>>("", "external_id")? {
            Some(external_id) => {
                let source: String = result.try_get("", "source")?;
                let created_at = result.try_get("", "created_at")?;
                by_key.insert((source, external_id), (id, created_at, inserted));
            }
            None => {
                by_id.insert(id, inserted);
            }
        }
    }
    let mut inserted = Vec::with_capacity(rows.len());
    for row in rows.iter_mut() {
        let was_new = match &row.external_id {
            Some(external_id) => {
                let key = (row.source.clone(), external_id.clone());
                let (id, created_at, was_new) = by_key.get(&key).copied().ok_or_else(|| {
                    StoreError::Database(DbErr::Custom(
                        "a measurement's upsert returned no row".into(),
                    ))
                })?;
                row.id = id;
                row.created_at = created_at;
                was_new
            }
            None => by_id.get(&row.id).copied().ok_or_else(|| {
                StoreError::Database(DbErr::Custom(
                    "a measurement's insert returned no row".into(),
                ))
            })?,
        };
        inserted.push(was_new);
    }
    Ok(inserted)
}

/// [`write_batch`] on SQLite: the existing keys in one statement, then one multi-row upsert.
async fn write_batch_rows<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    rows: &mut [measurement::Model],
) -> StoreResult<Vec<bool>> {
    use measurement::Column;
    let keys: Vec<(String, String)> = rows
        .iter()
        .filter_map(|row| Some((row.source.clone(), row.external_id.clone()?)))
        .collect();
    let existing = by_external_keys(scope, &keys).await?;
    let mut inserted = Vec::with_capacity(rows.len());
    for row in rows.iter_mut() {
        let previous = row
            .external_id
            .as_ref()
            .and_then(|id| existing.get(&(row.source.clone(), id.clone())));
        if let Some(previous) = previous {
            row.id = previous.id;
            row.created_at = previous.created_at;
        }
        inserted.push(previous.is_none());
    }
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
    let writes = rows
        .iter()
        .map(|row| row.clone().into_active_model())
        .collect();
    scope
        .upsert_many::<measurement::Entity, _>(writes, on_conflict)
        .await?;
    Ok(inserted)
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
