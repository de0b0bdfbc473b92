//! Writes and lookups of measurements.

use std::collections::HashMap;

use entity::measurement;
use sea_orm::{
    ColumnTrait, ConnectionTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use super::{Scoped, StoreResult};

/// The tenant's measurements that already carry one of these (source, external id) keys, by key,
/// in one statement.
pub async fn by_external_keys<C: ConnectionTrait>(
    scope: &Scoped<C>,
    keys: &[(String, String)],
) -> StoreResult<HashMap<(String, String), measurement::Model>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let pairs = keys.iter().map(|(source, external_id)| {
        Expr::tuple([
            Expr::value(source.clone()),
            Expr::value(external_id.clone()),
        ])
    });
    let rows = scope
        .select::<measurement::Entity>()
        .filter(
            Expr::tuple([
                Expr::col(measurement::Column::Source),
                Expr::col(measurement::Column::ExternalId),
            ])
            .is_in(pairs),
        )
        .all(scope.connection())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let key = (row.source.clone(), row.external_id.clone()?);
            Some((key, row))
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
