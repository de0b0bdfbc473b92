//! Share links. Management goes through the tenant scope like every table; using a link reads
//! it by its prefix and records its use through [`super::credential`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::share_link;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{Scoped, StoreError, StoreResult};

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
