//! Queries on objectives.

use std::collections::HashMap;

use entity::objective;
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::store::{Scoped, StoreResult};

/// The objectives of each plan, by deadline then creation, in one statement.
pub async fn by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<objective::Model>>> {
    let rows = scope
        .select::<objective::Entity>()
        .filter(scope.one_of(objective::Column::PlanId, plan_ids.iter().copied()))
        .order_by_asc(objective::Column::Deadline)
        .order_by_asc(objective::Column::Id)
        .all(scope.connection())
        .await?;
    let mut grouped: HashMap<Uuid, Vec<objective::Model>> =
        plan_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        grouped.entry(row.plan_id).or_default().push(row);
    }
    Ok(grouped)
}
