//! Queries on plans and on the personas a plan targets.

pub mod budget;
pub mod calendar;
pub mod contents;
pub mod objective;
pub mod review;
pub mod scenario;

use std::collections::HashMap;

use entity::{campaign, enums::PlanStatus, persona, plan, plan_persona};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, QueryFilter, QuerySelect, Select,
    sea_query::{Expr, ExprTrait, Func},
};
use uuid::Uuid;

use crate::store::{
    Scoped, StoreResult,
    page::{self, Page, PageRequest},
};

/// Filters of the plan list.
#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    /// Only plans in this status.
    pub status: Option<PlanStatus>,
    /// Only plans whose name contains this text (case-insensitive on ASCII letters).
    pub name_contains: Option<String>,
    /// Only plans whose period overlaps this date.
    pub active_on: Option<chrono::NaiveDate>,
    /// Only the plan with this external reference `(source, id)`.
    pub external_ref: Option<(String, String)>,
}

fn filtered<C: ConnectionTrait>(scope: &Scoped<C>, filter: &PlanFilter) -> Select<plan::Entity> {
    let mut select = scope.select::<plan::Entity>();
    if let Some(status) = filter.status {
        select = select.filter(plan::Column::Status.eq(status));
    }
    if let Some(text) = &filter.name_contains {
        select = select.filter(
            Expr::expr(Func::lower(Expr::col(plan::Column::Name))).like(
                sea_orm::sea_query::LikeExpr::new(format!(
                    "%{}%",
                    escape_like(&text.to_lowercase())
                ))
                .escape('\\'),
            ),
        );
    }
    if let Some(day) = filter.active_on {
        select = select
            .filter(plan::Column::PeriodStart.lte(day))
            .filter(plan::Column::PeriodEnd.gte(day));
    }
    if let Some((source, id)) = &filter.external_ref {
        select = crate::store::external_ref::filter(select, source, id);
    }
    select
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// One page of the tenant's plans.
pub async fn list<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &PlanFilter,
    request: &PageRequest,
) -> StoreResult<Page<plan::Model>> {
    page::fetch(scope, filtered(scope, filter), request).await
}

/// How many plans match the filter.
pub async fn count<C: ConnectionTrait>(scope: &Scoped<C>, filter: &PlanFilter) -> StoreResult<u64> {
    page::count(scope, filtered(scope, filter)).await
}

/// Replaces the personas a plan targets.
pub async fn set_personas<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    plan_id: Uuid,
    persona_ids: &[Uuid],
) -> StoreResult<()> {
    let rows = persona_ids
        .iter()
        .map(|persona_id| plan_persona::ActiveModel {
            plan_id: Set(plan_id),
            persona_id: Set(*persona_id),
            ..Default::default()
        })
        .collect();
    scope
        .replace_children::<plan_persona::Entity, _>(plan_persona::Column::PlanId, plan_id, rows)
        .await
}

/// The ids of the personas a plan targets.
pub async fn persona_ids<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
) -> StoreResult<Vec<Uuid>> {
    Ok(scope
        .select::<plan_persona::Entity>()
        .filter(plan_persona::Column::PlanId.eq(plan_id))
        .all(scope.connection())
        .await?
        .into_iter()
        .map(|link| link.persona_id)
        .collect())
}

/// The personas targeted by each plan, in two statements whatever the number of plans.
pub async fn personas_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<std::sync::Arc<persona::Model>>>> {
    let links: Vec<(Uuid, Uuid)> = scope
        .select::<plan_persona::Entity>()
        .select_only()
        .columns([
            plan_persona::Column::PlanId,
            plan_persona::Column::PersonaId,
        ])
        .filter(scope.one_of(plan_persona::Column::PlanId, plan_ids.iter().copied()))
        .into_tuple()
        .all(scope.connection())
        .await?;
    crate::store::strategy::persona::group_linked(scope, plan_ids, &links).await
}

/// The currency of each plan among `plan_ids` (absent: not the tenant's, or gone).
pub async fn currencies<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<Vec<(Uuid, String)>> {
    Ok(scope
        .select::<plan::Entity>()
        .select_only()
        .columns([plan::Column::Id, plan::Column::Currency])
        .filter(scope.one_of(plan::Column::Id, plan_ids.iter().copied()))
        .into_tuple()
        .all(scope.connection())
        .await?)
}

/// How many campaigns and objectives of the plan fall outside `[start, end]`.
pub async fn children_outside_period<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
) -> StoreResult<(u64, u64)> {
    let campaigns = page::count(
        scope,
        scope
            .select::<campaign::Entity>()
            .filter(campaign::Column::PlanId.eq(plan_id))
            .filter(
                Condition::any()
                    .add(campaign::Column::StartDate.lt(start))
                    .add(campaign::Column::EndDate.gt(end)),
            ),
    )
    .await?;
    let objectives = page::count(
        scope,
        scope
            .select::<entity::objective::Entity>()
            .filter(entity::objective::Column::PlanId.eq(plan_id))
            .filter(
                Condition::any()
                    .add(entity::objective::Column::Deadline.lt(start))
                    .add(entity::objective::Column::Deadline.gt(end)),
            ),
    )
    .await?;
    Ok((campaigns, objectives))
}
