//! Queries on a plan's lever allocations and lever interactions.

use std::collections::HashMap;

use entity::{
    enums::Lever, lever_allocation, lever_enums::LeverInteractionKind, lever_interaction,
};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{Scoped, StoreResult};

/// The lever allocations of each plan, by priority (1 first) then creation, in one statement.
pub async fn allocations_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<lever_allocation::Model>>> {
    let rows = scope
        .select::<lever_allocation::Entity>()
        .filter(scope.one_of(lever_allocation::Column::PlanId, plan_ids.iter().copied()))
        .order_by_asc(lever_allocation::Column::Priority)
        .order_by_asc(lever_allocation::Column::Id)
        .all(scope.connection())
        .await?;
    let mut grouped: HashMap<Uuid, Vec<lever_allocation::Model>> =
        plan_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        grouped.entry(row.plan_id).or_default().push(row);
    }
    Ok(grouped)
}

/// The lever interactions of each plan, in creation order, in one statement.
pub async fn interactions_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<lever_interaction::Model>>> {
    let rows = scope
        .select::<lever_interaction::Entity>()
        .filter(scope.one_of(lever_interaction::Column::PlanId, plan_ids.iter().copied()))
        .order_by_asc(lever_interaction::Column::Id)
        .all(scope.connection())
        .await?;
    let mut grouped: HashMap<Uuid, Vec<lever_interaction::Model>> =
        plan_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        grouped.entry(row.plan_id).or_default().push(row);
    }
    Ok(grouped)
}

/// The plan's allocation of `lever` other than `except`, if any.
pub async fn allocation_of_lever<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
    lever: Lever,
    except: Option<Uuid>,
) -> StoreResult<Option<lever_allocation::Model>> {
    let mut select = scope
        .select::<lever_allocation::Entity>()
        .filter(lever_allocation::Column::PlanId.eq(plan_id))
        .filter(lever_allocation::Column::Lever.eq(lever));
    if let Some(id) = except {
        select = select.filter(lever_allocation::Column::Id.ne(id));
    }
    Ok(select.one(scope.connection()).await?)
}

/// The plan's interaction `from → to` of `kind` other than `except`, if any.
pub async fn same_interaction<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
    (from, to, kind): (Lever, Lever, LeverInteractionKind),
    except: Option<Uuid>,
) -> StoreResult<Option<lever_interaction::Model>> {
    let mut select = scope
        .select::<lever_interaction::Entity>()
        .filter(lever_interaction::Column::PlanId.eq(plan_id))
        .filter(lever_interaction::Column::FromLever.eq(from))
        .filter(lever_interaction::Column::ToLever.eq(to))
        .filter(lever_interaction::Column::Kind.eq(kind));
    if let Some(id) = except {
        select = select.filter(lever_interaction::Column::Id.ne(id));
    }
    Ok(select.one(scope.connection()).await?)
}
