//! Queries on the content plan: filtered pages of a plan's content items by publish date, their
//! counts, and detaching content from an action about to be deleted.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    action_enums::{ContentStatus, FunnelStage},
    content_item,
    enums::Lever,
};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::store::{
    Scoped, StoreResult,
    page::{self, OrderedPageRequest, Page, SortKind, SortValue},
};

/// Filters of a content list; every set field must match (`None` matches anything, an empty
/// list matches nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ContentFilter {
    /// Only content for this persona.
    pub persona_id: Option<Uuid>,
    /// Only content carried by one of these levers.
    pub levers: Option<Vec<Lever>>,
    /// Only content serving one of these funnel stages.
    pub stages: Option<Vec<FunnelStage>>,
    /// Only content in one of these statuses.
    pub statuses: Option<Vec<ContentStatus>>,
    /// Only content published between these two days, both included.
    pub published_between: Option<(NaiveDate, NaiveDate)>,
}

/// The column content lists are sorted by: the publish date (ties broken by id).
pub const SORT_COLUMN: content_item::Column = content_item::Column::PublishDate;

/// The type of [`SORT_COLUMN`], which the cursors of content lists carry.
pub const SORT_KIND: SortKind = SortKind::Date;

/// A content item's value in [`SORT_COLUMN`], for its cursor.
pub fn sort_value(row: &content_item::Model) -> SortValue {
    SortValue::Date(row.publish_date)
}

fn filtered<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &ContentFilter,
) -> Select<content_item::Entity> {
    let mut select = scope.select::<content_item::Entity>();
    if let Some(persona_id) = filter.persona_id {
        select = select.filter(content_item::Column::PersonaId.eq(persona_id));
    }
    if let Some(levers) = &filter.levers {
        select = select.filter(content_item::Column::Lever.is_in(levers.iter().copied()));
    }
    if let Some(stages) = &filter.stages {
        select = select.filter(content_item::Column::FunnelStage.is_in(stages.iter().copied()));
    }
    if let Some(statuses) = &filter.statuses {
        select = select.filter(content_item::Column::Status.is_in(statuses.iter().copied()));
    }
    if let Some((from, to)) = filter.published_between {
        select = select
            .filter(content_item::Column::PublishDate.gte(from))
            .filter(content_item::Column::PublishDate.lte(to));
    }
    select
}

/// One page of matching content items for each plan, in one statement.
pub async fn pages_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
    filter: &ContentFilter,
    request: &OrderedPageRequest,
) -> StoreResult<HashMap<Uuid, Page<content_item::Model>>> {
    page::fetch_ordered_by_parent(
        scope,
        filtered(scope, filter),
        content_item::Column::PlanId,
        plan_ids,
        SORT_COLUMN,
        request,
    )
    .await
}

/// How many matching content items each plan has, in one statement.
pub async fn counts_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
    filter: &ContentFilter,
) -> StoreResult<HashMap<Uuid, u64>> {
    page::count_by_parent_in(
        scope,
        filtered(scope, filter),
        content_item::Column::PlanId,
        plan_ids,
    )
    .await
}

/// Detaches every content item of an action from it (a new version of each), so that the action
/// can be deleted while its content stays in the plan.
pub async fn detach_from_action<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    action_id: Uuid,
) -> StoreResult<u64> {
    scope
        .detach::<content_item::Entity>(content_item::Column::ActionId, action_id)
        .await
}

/// How many content items of the plan are published outside `[start, end]`.
pub async fn count_outside_period<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
    start: NaiveDate,
    end: NaiveDate,
) -> StoreResult<u64> {
    page::count(
        scope,
        scope
            .select::<content_item::Entity>()
            .filter(content_item::Column::PlanId.eq(plan_id))
            .filter(
                Condition::any()
                    .add(content_item::Column::PublishDate.lt(start))
                    .add(content_item::Column::PublishDate.gt(end)),
            ),
    )
    .await
}
