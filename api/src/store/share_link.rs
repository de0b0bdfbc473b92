//! Share links. Management goes through the tenant scope like every table; using a link reads
//! it by its prefix and records its use through [`super::credential`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::share_link;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
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
pub async fn revoke<C: ConnectionTrait>(
    scope: &Scoped<C>,
    id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<share_link::Model> {
    if scope.plan_id().is_some() {
        return Err(StoreError::NotFound);
    }
    share_link::Entity::update_many()
        .col_expr(share_link::Column::RevokedAt, Expr::value(now))
        .col_expr(share_link::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            share_link::Column::Version,
            Expr::col(share_link::Column::Version).add(1),
        )
        .filter(share_link::Column::TenantId.eq(scope.tenant_id()))
        .filter(share_link::Column::Id.eq(id))
        .filter(share_link::Column::RevokedAt.is_null())
        .exec(scope.connection())
        .await?;
    scope
        .find::<share_link::Entity>(id)
        .await?
        .ok_or(StoreError::NotFound)
}
