//! Queries on plans' review histories.

use std::collections::HashMap;

use entity::{plan, plan_review_event};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::store::{Scoped, StoreError, StoreResult};

/// The review events of each plan, oldest first, in one statement.
pub async fn events_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<plan_review_event::Model>>> {
    let rows = scope
        .select::<plan_review_event::Entity>()
        .filter(plan_review_event::Column::PlanId.is_in(plan_ids.iter().copied()))
        .order_by_asc(plan_review_event::Column::PlanId)
        .order_by_asc(plan_review_event::Column::Sequence)
        .all(scope.connection())
        .await?;
    let mut grouped: HashMap<Uuid, Vec<plan_review_event::Model>> =
        plan_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        grouped.entry(row.plan_id).or_default().push(row);
    }
    Ok(grouped)
}

/// The review events of one plan, oldest first.
pub async fn events_of_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
) -> StoreResult<Vec<plan_review_event::Model>> {
    Ok(events_by_plan(scope, &[plan_id])
        .await?
        .remove(&plan_id)
        .unwrap_or_default())
}

/// Checks that the plan `plan_id` is at `expected_version` and holds it there until the
/// transaction `scope` ends: an update that changes nothing but takes the row's lock on
/// PostgreSQL (SQLite's write transactions already run one at a time), so that no edit of the
/// plan commits between this check and the review event written after it. Reports
/// [`StoreError::NotFound`] or [`StoreError::Conflict`].
pub async fn hold_plan_version<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
    expected_version: i32,
) -> StoreResult<()> {
    let result = plan::Entity::update_many()
        .col_expr(
            plan::Column::Version,
            Expr::col(plan::Column::Version).add(0),
        )
        .filter(plan::Column::TenantId.eq(scope.tenant_id()))
        .filter(plan::Column::Id.eq(plan_id))
        .filter(plan::Column::Version.eq(expected_version))
        .exec(scope.connection())
        .await?;
    if result.rows_affected == 0 {
        return Err(match scope.find::<plan::Entity>(plan_id).await? {
            Some(_) => StoreError::Conflict,
            None => StoreError::NotFound,
        });
    }
    Ok(())
}
