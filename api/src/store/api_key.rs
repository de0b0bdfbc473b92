//! API keys. Management goes through the tenant scope like every table; authentication reads a
//! key by its prefix and records its use through [`super::credential`].

use chrono::{DateTime, Utc};
use entity::api_key;
use sea_orm::{ConnectionTrait, PaginatorTrait};
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
