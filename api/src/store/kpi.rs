//! The KPI catalogue. Built-in definitions are shared by every tenant (no tenant column), so
//! these reads take a scope only for its connection; tenant-defined KPIs will live in a tenant-owned table.

use entity::kpi_definition;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{Scoped, StoreResult};

/// Every built-in definition, by key.
pub async fn all<C: ConnectionTrait>(scope: &Scoped<C>) -> StoreResult<Vec<kpi_definition::Model>> {
    Ok(kpi_definition::Entity::find()
        .order_by_asc(kpi_definition::Column::Key)
        .all(scope.connection())
        .await?)
}

/// The definitions with these keys.
pub async fn by_keys<C: ConnectionTrait>(
    scope: &Scoped<C>,
    keys: &[String],
) -> StoreResult<Vec<kpi_definition::Model>> {
    Ok(kpi_definition::Entity::find()
        .filter(kpi_definition::Column::Key.is_in(keys.iter().cloned()))
        .all(scope.connection())
        .await?)
}

/// The definitions with these ids.
pub async fn by_ids<C: ConnectionTrait>(
    scope: &Scoped<C>,
    ids: &[Uuid],
) -> StoreResult<Vec<kpi_definition::Model>> {
    Ok(kpi_definition::Entity::find()
        .filter(kpi_definition::Column::Id.is_in(ids.iter().copied()))
        .all(scope.connection())
        .await?)
}
