//! The KPI catalogue: built-in definitions, shared by every tenant (no tenant column), plus the
//! tenant's own definitions (tenant-owned, read through the scope). Both come back as
//! `kpi_definition::Model`, so that nothing downstream cares where a KPI was defined.

use entity::{kpi_definition, tenant_kpi_definition};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{Scoped, StoreResult};

/// Every definition the tenant can use, by key.
pub async fn all<C: ConnectionTrait>(scope: &Scoped<C>) -> StoreResult<Vec<kpi_definition::Model>> {
    let mut definitions = kpi_definition::Entity::find()
        .all(scope.connection())
        .await?;
    definitions.extend(
        scope
            .select::<tenant_kpi_definition::Entity>()
            .all(scope.connection())
            .await?
            .into_iter()
            .map(kpi_definition::Model::from),
    );
    definitions.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(definitions)
}

/// The definitions with these keys.
pub async fn by_keys<C: ConnectionTrait>(
    scope: &Scoped<C>,
    keys: &[String],
) -> StoreResult<Vec<kpi_definition::Model>> {
    let mut definitions = kpi_definition::Entity::find()
        .filter(kpi_definition::Column::Key.is_in(keys.iter().cloned()))
        .all(scope.connection())
        .await?;
    definitions.extend(
        scope
            .select::<tenant_kpi_definition::Entity>()
            .filter(tenant_kpi_definition::Column::Key.is_in(keys.iter().cloned()))
            .all(scope.connection())
            .await?
            .into_iter()
            .map(kpi_definition::Model::from),
    );
    Ok(definitions)
}

/// The definitions with these ids.
pub async fn by_ids<C: ConnectionTrait>(
    scope: &Scoped<C>,
    ids: &[Uuid],
) -> StoreResult<Vec<kpi_definition::Model>> {
    let mut definitions = kpi_definition::Entity::find()
        .filter(kpi_definition::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(kpi_definition::Column::Key)
        .all(scope.connection())
        .await?;
    definitions.extend(
        scope
            .find_many::<tenant_kpi_definition::Entity>(ids)
            .await?
            .into_iter()
            .map(kpi_definition::Model::from),
    );
    Ok(definitions)
}
