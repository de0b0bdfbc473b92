//! Queries on comments: the threads of many targets and the replies of many threads, a page
//! each in one statement, and their counts in one `GROUP BY`.

use std::collections::HashMap;

use entity::comment::{self, CommentTarget};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, Select};
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
