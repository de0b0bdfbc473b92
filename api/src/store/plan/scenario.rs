//! Queries on a plan's scenarios and their budget overrides.

use std::collections::HashMap;

use entity::{scenario, scenario_budget};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::store::{Scoped, StoreResult};

/// The scenarios of each plan, by name, in one statement.
pub async fn scenarios_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<scenario::Model>>> {
    let mut grouped: HashMap<Uuid, Vec<scenario::Model>> =
        plan_ids.iter().map(|id| (*id, Vec::new())).collect();
    if plan_ids.is_empty() {
        return Ok(grouped);
    }
    let rows = scope
        .select::<scenario::Entity>()
        .filter(scenario::Column::PlanId.is_in(plan_ids.iter().copied()))
        .order_by_asc(scenario::Column::Name)
        .order_by_asc(scenario::Column::Id)
        .all(scope.connection())
        .await?;
    for row in rows {
        grouped.entry(row.plan_id).or_default().push(row);
    }
    Ok(grouped)
}

/// The budget overrides of each scenario, oldest first, in one statement.
pub async fn budgets_by_scenario<C: ConnectionTrait>(
    scope: &Scoped<C>,
    scenario_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<scenario_budget::Model>>> {
    let mut grouped: HashMap<Uuid, Vec<scenario_budget::Model>> =
        scenario_ids.iter().map(|id| (*id, Vec::new())).collect();
    if scenario_ids.is_empty() {
        return Ok(grouped);
    }
    let rows = scope
        .select::<scenario_budget::Entity>()
        .filter(scenario_budget::Column::ScenarioId.is_in(scenario_ids.iter().copied()))
        .order_by_asc(scenario_budget::Column::Id)
        .all(scope.connection())
        .await?;
    for row in rows {
        grouped.entry(row.scenario_id).or_default().push(row);
    }
    Ok(grouped)
}

/// The plan's scenario named `name` other than `except`, if any.
pub async fn with_name<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
    name: &str,
    except: Option<Uuid>,
) -> StoreResult<Option<scenario::Model>> {
    let mut select = scope
        .select::<scenario::Entity>()
        .filter(scenario::Column::PlanId.eq(plan_id))
        .filter(scenario::Column::Name.eq(name));
    if let Some(id) = except {
        select = select.filter(scenario::Column::Id.ne(id));
    }
    Ok(select.one(scope.connection()).await?)
}
