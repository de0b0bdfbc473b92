//! Keyset pagination on the time-ordered UUID v7 `id`: stable under inserts, one indexed range
//! scan per page, and the same SQL on SQLite and PostgreSQL.
//!
//! [`fetch_by_parent`] reads one page for each of many parents in a single statement (a window
//! function ranks the children of each parent), which is what the DataLoaders of nested lists use.
//!
//! [`fetch_ordered`] and [`fetch_ordered_by_parent`] do the same for a list sorted by another
//! column: the keyset is then `(sort value, id)`, the id breaking ties, and a cursor carries
//! both (see [`KeysetPosition`]).

mod ordered;

use std::collections::HashMap;

use entity::Identified;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, IdenStatic, ModelTrait,
    QueryFilter, QueryOrder, QueryResult, QuerySelect, QueryTrait, Select,
    sea_query::{Alias, Asterisk, Expr, ExprTrait, Order, Query, ValueType},
};
use uuid::Uuid;

use super::{Scoped, StoreError, StoreResult};

pub use ordered::{
    KeysetPosition, OrderedPageRequest, SortKind, SortValue, fetch_ordered, fetch_ordered_by_parent,
};

/// Which slice of a list to read. Built by the API from `first/after/last/before`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageRequest {
    /// Only rows after this id.
    pub after: Option<Uuid>,
    /// Only rows before this id.
    pub before: Option<Uuid>,
    /// How many rows at most.
    pub limit: u64,
    /// Take the last `limit` rows of the range instead of the first (`last: n`).
    pub from_end: bool,
}

/// One page of rows, in ascending id order.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// More rows follow the last one.
    pub has_next: bool,
    /// More rows precede the first one.
    pub has_previous: bool,
}

impl<T> Page<T> {
    fn from_overfetch(mut items: Vec<T>, request: &PageRequest) -> Self {
        let overflow = items.len() as u64 > request.limit;
        items.truncate(request.limit as usize);
        if request.from_end {
            items.reverse();
            Page {
                items,
                has_next: request.before.is_some(),
                has_previous: overflow,
            }
        } else {
            Page {
                items,
                has_next: overflow,
                has_previous: request.after.is_some(),
            }
        }
    }

    /// A page with no rows (for a parent without children).
    pub fn empty(request: &PageRequest) -> Self {
        Self::from_overfetch(Vec::new(), request)
    }
}

/// Reads a column holding a UUID from a model.
pub(super) fn uuid_of<M: ModelTrait>(
    model: &M,
    column: <M::Entity as EntityTrait>::Column,
) -> StoreResult<Uuid> {
    <Uuid as ValueType>::try_from(model.get(column)).map_err(|_| {
        StoreError::Database(sea_orm::DbErr::Type(format!(
            "column {} is not a UUID",
            column.as_str()
        )))
    })
}

fn with_cursor<E: Identified>(select: Select<E>, request: &PageRequest) -> Select<E> {
    let mut select = select;
    if let Some(after) = request.after {
        select = select.filter(E::id_column().gt(after));
    }
    if let Some(before) = request.before {
        select = select.filter(E::id_column().lt(before));
    }
    select
}

fn direction(request: &PageRequest) -> Order {
    if request.from_end {
        Order::Desc
    } else {
        Order::Asc
    }
}

/// Reads one page of `select` (already scoped and filtered by the caller).
pub async fn fetch<E, C>(
    scope: &Scoped<C>,
    select: Select<E>,
    request: &PageRequest,
) -> StoreResult<Page<E::Model>>
where
    E: Identified,
    C: ConnectionTrait,
{
    let rows = with_cursor(select, request)
        .order_by(E::id_column(), direction(request))
        .limit(request.limit + 1)
        .all(scope.connection())
        .await?;
    Ok(Page::from_overfetch(rows, request))
}

/// Reads one page of children for each parent in `parents`, in one statement. Parents without
/// children get an empty page.
pub async fn fetch_by_parent<E, C>(
    scope: &Scoped<C>,
    parent_column: E::Column,
    parents: &[Uuid],
    request: &PageRequest,
) -> StoreResult<HashMap<Uuid, Page<E::Model>>>
where
    E: Identified,
    C: ConnectionTrait,
{
    fetch_by_parent_in(scope, scope.select::<E>(), parent_column, parents, request).await
}

/// Like [`fetch_by_parent`], among the rows of `select` (already scoped and filtered by the
/// caller): still one statement for all the parents.
pub async fn fetch_by_parent_in<E, C>(
    scope: &Scoped<C>,
    select: Select<E>,
    parent_column: E::Column,
    parents: &[Uuid],
    request: &PageRequest,
) -> StoreResult<HashMap<Uuid, Page<E::Model>>>
where
    E: Identified,
    C: ConnectionTrait,
{
    let decode = |row: &QueryResult| E::Model::from_query_result(row, "");
    fetch_by_parent_in_decoded(scope, select, parent_column, parents, request, decode).await
}

/// Like [`fetch_by_parent_in`], each row made into a model by `decode` (which gets the row as
/// `select` reads it, a `levier_rank` column after the entity's).
pub async fn fetch_by_parent_in_decoded<E, C>(
    scope: &Scoped<C>,
    select: Select<E>,
    parent_column: E::Column,
    parents: &[Uuid],
    request: &PageRequest,
    decode: impl Fn(&QueryResult) -> Result<E::Model, DbErr>,
) -> StoreResult<HashMap<Uuid, Page<E::Model>>>
where
    E: Identified,
    C: ConnectionTrait,
{
    let mut pages: HashMap<Uuid, Vec<E::Model>> =
        parents.iter().map(|parent| (*parent, Vec::new())).collect();
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let order = if request.from_end { "DESC" } else { "ASC" };
    let rank = format!(
        "ROW_NUMBER() OVER (PARTITION BY \"{}\" ORDER BY \"{}\" {order})",
        parent_column.as_str(),
        E::id_column().as_str()
    );
    let ranked = with_cursor(select, request)
        .filter(scope.one_of(parent_column, parents.iter().copied()))
        .expr_as(Expr::cust(rank), "levier_rank")
        .into_query();
    let outer = Query::select()
        .column(Asterisk)
        .from_subquery(ranked, Alias::new("ranked"))
        .and_where(Expr::col(Alias::new("levier_rank")).lte(request.limit as i64 + 1))
        .order_by(Alias::new("levier_rank"), Order::Asc)
        .to_owned();
    let statement = scope.connection().get_database_backend().build(&outer);
    for row in scope.connection().query_all_raw(statement).await? {
        let row = decode(&row)?;
        let parent = uuid_of(&row, parent_column)?;
        pages.entry(parent).or_default().push(row);
    }
    Ok(pages
        .into_iter()
        .map(|(parent, rows)| {
            let page = if rows.is_empty() {
                Page::empty(request)
            } else {
                Page::from_overfetch(rows, request)
            };
            (parent, page)
        })
        .collect())
}

/// Counts the children of each parent in one `GROUP BY` statement; parents without children
/// count 0.
pub async fn count_by_parent<E, C>(
    scope: &Scoped<C>,
    parent_column: E::Column,
    parents: &[Uuid],
) -> StoreResult<HashMap<Uuid, u64>>
where
    E: Identified,
    C: ConnectionTrait,
{
    count_by_parent_in(scope, scope.select::<E>(), parent_column, parents).await
}

/// Like [`count_by_parent`], among the rows of `select` (already scoped and filtered).
pub async fn count_by_parent_in<E, C>(
    scope: &Scoped<C>,
    select: Select<E>,
    parent_column: E::Column,
    parents: &[Uuid],
) -> StoreResult<HashMap<Uuid, u64>>
where
    E: Identified,
    C: ConnectionTrait,
{
    let mut counts: HashMap<Uuid, u64> = parents.iter().map(|parent| (*parent, 0)).collect();
    if parents.is_empty() {
        return Ok(counts);
    }
    let rows: Vec<(Uuid, i64)> = select
        .select_only()
        .column(parent_column)
        .column_as(E::id_column().count(), "count")
        .filter(scope.one_of(parent_column, parents.iter().copied()))
        .group_by(parent_column)
        .into_tuple()
        .all(scope.connection())
        .await?;
    for (parent, count) in rows {
        counts.insert(parent, <u64 as TryFrom<i64>>::try_from(count).unwrap_or(0));
    }
    Ok(counts)
}

/// Counts the rows of `select`.
pub async fn count<E, C>(scope: &Scoped<C>, select: Select<E>) -> StoreResult<u64>
where
    E: Identified,
    E::Model: Sync,
    C: ConnectionTrait,
{
    use sea_orm::PaginatorTrait;
    Ok(select.count(scope.connection()).await?)
}
