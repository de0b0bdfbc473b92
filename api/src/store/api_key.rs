//! API keys. Management goes through the tenant scope like every table; authentication reads a
//! key by its prefix before the tenant is known (the one unscoped read of this table, decided
//! by the secret's digest), and records its use.

use chrono::{DateTime, Duration, Utc};
use entity::api_key;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{
    Scoped, StoreError, StoreResult,
    page::{self, Page, PageRequest},
};

/// How long a recorded last use stands before the next use overwrites it.
pub const LAST_USED_GRANULARITY: Duration = Duration::seconds(60);

/// The keys whose secret starts with `prefix`, whatever their tenant (authentication only: the
/// caller must match the digest before trusting any of them).
pub async fn find_by_prefix(
    db: &DatabaseConnection,
    prefix: &str,
) -> StoreResult<Vec<api_key::Model>> {
    Ok(api_key::Entity::find()
        .filter(api_key::Column::Prefix.eq(prefix))
        .all(db)
        .await?)
}

/// The key `id` of `tenant_id` (authentication only: to check that a key which authenticated a
/// long-lived connection still stands).
pub async fn find_for_authentication(
    db: &DatabaseConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> StoreResult<Option<api_key::Model>> {
    Ok(api_key::Entity::find_by_id((tenant_id, id)).one(db).await?)
}

/// Records that the key was used at `now`, unless a use was recorded within the last minute:
/// the comparison is in the statement, so most requests write nothing.
pub async fn record_use(
    db: &DatabaseConnection,
    tenant_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    api_key::Entity::update_many()
        .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
        .filter(api_key::Column::TenantId.eq(tenant_id))
        .filter(api_key::Column::Id.eq(id))
        .filter(
            api_key::Column::LastUsedAt
                .is_null()
                .or(api_key::Column::LastUsedAt.lt(now - LAST_USED_GRANULARITY)),
        )
        .exec(db)
        .await?;
    Ok(())
}

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
pub async fn revoke<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<api_key::Model> {
    // Through the scope's versioned update, so that the revocation is in the audit trail;
    // tried again if the row changed between the read and the write.
    for _ in 0..3 {
        let current = scope.get::<api_key::Entity>(id).await?;
        if current.revoked_at.is_some() {
            return Ok(current);
        }
        let revoked = api_key::ActiveModel {
            revoked_at: sea_orm::ActiveValue::Set(Some(now)),
            ..Default::default()
        };
        match scope
            .update_versioned::<api_key::Entity, _>(id, current.version, revoked)
            .await
        {
            Err(StoreError::Conflict) => continue,
            other => return other,
        }
    }
    Err(StoreError::Conflict)
}
