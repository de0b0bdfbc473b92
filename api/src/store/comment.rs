//! Queries on comments: the threads of many targets and the replies of many threads, a page
//! each in one statement, and their counts in one `GROUP BY`.

use std::collections::HashMap;

use entity::{
    TenantOwned, action, campaign,
    comment::{self, CommentTarget},
    objective,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, PaginatorTrait, QueryFilter, Select,
    sea_query::{Query, SelectStatement},
};
use uuid::Uuid;

use crate::store::{
    Scoped, StoreResult,
    page::{self, Page, PageRequest},
};

/// The first comments of threads (open ones only unless `include_resolved`).
fn thread_starts<C: ConnectionTrait>(
    scope: &Scoped<C>,
    include_resolved: bool,
) -> Select<comment::Entity> {
    let select = scope
        .select::<comment::Entity>()
        .filter(comment::Column::ThreadId.is_null());
    if include_resolved {
        select
    } else {
        select.filter(comment::Column::ResolvedAt.is_null())
    }
}

/// One page of threads (their first comments, oldest first) for each target of type `target`
/// in `targets`, in one statement.
pub async fn threads_by_target<C: ConnectionTrait>(
    scope: &Scoped<C>,
    target: CommentTarget,
    targets: &[Uuid],
    include_resolved: bool,
    request: &PageRequest,
) -> StoreResult<HashMap<Uuid, Page<comment::Model>>> {
    page::fetch_by_parent_in::<comment::Entity, _>(
        scope,
        thread_starts(scope, include_resolved),
        target.column(),
        targets,
        request,
    )
    .await
}

/// How many threads each target of type `target` in `targets` has (open ones only unless
/// `include_resolved`), in one statement.
pub async fn thread_counts_by_target<C: ConnectionTrait>(
    scope: &Scoped<C>,
    target: CommentTarget,
    targets: &[Uuid],
    include_resolved: bool,
) -> StoreResult<HashMap<Uuid, u64>> {
    page::count_by_parent_in::<comment::Entity, _>(
        scope,
        thread_starts(scope, include_resolved),
        target.column(),
        targets,
    )
    .await
}

/// How many threads are still open on plan `plan_id` and on its campaigns, actions and
/// objectives, in one statement (an approval waits for them to be resolved).
pub async fn open_threads_of_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
) -> StoreResult<u64> {
    fn ids_of_plan<E: TenantOwned>(
        id: E::Column,
        plan: E::Column,
        tenant_id: Uuid,
        plan_id: Uuid,
    ) -> SelectStatement {
        Query::select()
            .column(id)
            .from(E::default())
            .and_where(E::tenant_column().eq(tenant_id))
            .and_where(plan.eq(plan_id))
            .to_owned()
    }
    let tenant_id = scope.tenant_id();
    let on_the_plan = Condition::any()
        .add(comment::Column::PlanId.eq(plan_id))
        .add(
            comment::Column::CampaignId.in_subquery(ids_of_plan::<campaign::Entity>(
                campaign::Column::Id,
                campaign::Column::PlanId,
                tenant_id,
                plan_id,
            )),
        )
        .add(
            comment::Column::ActionId.in_subquery(ids_of_plan::<action::Entity>(
                action::Column::Id,
                action::Column::PlanId,
                tenant_id,
                plan_id,
            )),
        )
        .add(
            comment::Column::ObjectiveId.in_subquery(ids_of_plan::<objective::Entity>(
                objective::Column::Id,
                objective::Column::PlanId,
                tenant_id,
                plan_id,
            )),
        );
    Ok(thread_starts(scope, false)
        .filter(on_the_plan)
        .count(scope.connection())
        .await?)
}

/// One page of replies (oldest first) for each thread in `threads` (ids of first comments), in
/// one statement.
pub async fn replies_by_thread<C: ConnectionTrait>(
    scope: &Scoped<C>,
    threads: &[Uuid],
    request: &PageRequest,
) -> StoreResult<HashMap<Uuid, Page<comment::Model>>> {
    page::fetch_by_parent::<comment::Entity, _>(scope, comment::Column::ThreadId, threads, request)
        .await
}

/// How many replies each thread in `threads` has, in one statement.
pub async fn reply_counts_by_thread<C: ConnectionTrait>(
    scope: &Scoped<C>,
    threads: &[Uuid],
) -> StoreResult<HashMap<Uuid, u64>> {
    page::count_by_parent::<comment::Entity, _>(scope, comment::Column::ThreadId, threads).await
}
