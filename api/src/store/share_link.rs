//! Share links. Management goes through the tenant scope like every table; using a link reads
//! it by its prefix before the tenant is known (the one unscoped read of this table, decided by
//! the secret's digest), and records its use.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::share_link;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{Scoped, StoreError, StoreResult, api_key::LAST_USED_GRANULARITY};

/// The links whose secret starts with `prefix`, whatever their tenant (authentication only: the
/// caller must match the digest before trusting any of them).
pub async fn find_by_prefix(
    db: &DatabaseConnection,
    prefix: &str,
) -> StoreResult<Vec<share_link::Model>> {
    Ok(share_link::Entity::find()
        .filter(share_link::Column::Prefix.eq(prefix))
        .all(db)
        .await?)
}

/// The link `id` of `tenant_id` (authentication only: a token a link granted is accepted while
/// the link stands).
pub async fn find_for_authentication(
    db: &DatabaseConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> StoreResult<Option<share_link::Model>> {
    Ok(share_link::Entity::find_by_id((tenant_id, id))
        .one(db)
        .await?)
}

/// Records that the link was used at `now`, unless a use was recorded within the last minute.
pub async fn record_use(
    db: &DatabaseConnection,
    tenant_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    share_link::Entity::update_many()
        .col_expr(share_link::Column::LastUsedAt, Expr::value(now))
        .filter(share_link::Column::TenantId.eq(tenant_id))
        .filter(share_link::Column::Id.eq(id))
        .filter(
            share_link::Column::LastUsedAt
                .is_null()
                .or(share_link::Column::LastUsedAt.lt(now - LAST_USED_GRANULARITY)),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// The links of each plan, oldest first, in one statement whatever the number of plans.
pub async fn by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<share_link::Model>>> {
    let rows = scope
        .select::<share_link::Entity>()
        .filter(share_link::Column::PlanId.is_in(plan_ids.iter().copied()))
        .order_by_asc(share_link::Column::Id)
        .all(scope.connection())
        .await?;
    let mut found: HashMap<Uuid, Vec<share_link::Model>> = HashMap::new();
    for row in rows {
        found.entry(row.plan_id).or_default().push(row);
    }
    Ok(found)
}

/// Revokes the link `id` at `now`; a link already revoked keeps its first revocation time.
pub async fn revoke<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<share_link::Model> {
    if scope.plan_id().is_some() {
        return Err(StoreError::NotFound);
    }
    // Through the scope's versioned update, so that the revocation is in the audit trail;
    // tried again if the row changed between the read and the write.
    for _ in 0..3 {
        let current = scope.get::<share_link::Entity>(id).await?;
        if current.revoked_at.is_some() {
            return Ok(current);
        }
        let revoked = share_link::ActiveModel {
            revoked_at: sea_orm::ActiveValue::Set(Some(now)),
            ..Default::default()
        };
        match scope
            .update_versioned::<share_link::Entity, _>(id, current.version, revoked)
            .await
        {
            Err(StoreError::Conflict) => continue,
            other => return other,
        }
    }
    Err(StoreError::Conflict)
}
