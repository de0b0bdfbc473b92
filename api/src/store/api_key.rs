//! API keys. Management goes through the tenant scope like every table; authentication reads a
//! key by its prefix and records its use through [`super::credential`].

use chrono::{DateTime, Utc};
use entity::api_key;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{
    Scoped, StoreError, StoreResult,
    page::{self, Page, PageRequest},
};

/// One page of the tenant's keys, oldest first.
pub async fn list<C: ConnectionTrait>(
    scope: &Scoped<C>,
    request: &PageRequest,
) -> StoreResult<Page<api_key::Model>> {
    page::fetch(scope, scope.select::<api_key::Entity>(), request).await
}

/// How many keys the tenant has.
pub async fn count<C: ConnectionTrait>(scope: &Scoped<C>) -> StoreResult<u64> {
    Ok(scope
        .select::<api_key::Entity>()
        .count(scope.connection())
        .await?)
}

/// Revokes the key `id` at `now`; a key already revoked keeps its first revocation time.
pub async fn revoke<C: ConnectionTrait>(
    scope: &Scoped<C>,
    id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<api_key::Model> {
    api_key::Entity::update_many()
        .col_expr(api_key::Column::RevokedAt, Expr::value(now))
        .col_expr(api_key::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            api_key::Column::Version,
            Expr::col(api_key::Column::Version).add(1),
        )
        .filter(api_key::Column::TenantId.eq(scope.tenant_id()))
        .filter(api_key::Column::Id.eq(id))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(scope.connection())
        .await?;
    scope
        .find::<api_key::Entity>(id)
        .await?
        .ok_or(StoreError::NotFound)
}
