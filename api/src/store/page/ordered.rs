//! Keyset pagination on another column than the id: the keyset is `(sort value, id)`, the id
//! breaking ties, and a cursor carries both ([`KeysetPosition`]).

use std::collections::HashMap;

use entity::Identified;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, IdenStatic, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Select,
    sea_query::{Alias, Asterisk, Expr, ExprTrait, Order, Query},
};
use uuid::Uuid;

use super::{Page, PageRequest, uuid_of};
use crate::store::{Scoped, StoreResult};

/// The value of a row's sort column, as a cursor carries it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SortValue {
    /// An integer column (amounts in micros, scores).
    Integer(i64),
    /// A date column.
    Date(chrono::NaiveDate),
    /// A timestamp column.
    Instant(chrono::DateTime<chrono::Utc>),
}

/// The type of a sort column: a cursor of its list must carry a value of that type, or the
/// database would be asked to compare a date with an integer (PostgreSQL refuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKind {
    /// An integer column.
    Integer,
    /// A date column.
    Date,
    /// A timestamp column.
    Instant,
}

impl SortValue {
    /// The type of this value.
    pub fn kind(&self) -> SortKind {
        match self {
            Self::Integer(_) => SortKind::Integer,
            Self::Date(_) => SortKind::Date,
            Self::Instant(_) => SortKind::Instant,
        }
    }

    fn to_value(&self) -> sea_orm::Value {
        match self {
            Self::Integer(value) => (*value).into(),
            Self::Date(value) => (*value).into(),
            Self::Instant(value) => (*value).into(),
        }
    }
}

/// A row's place in an ordered list: its sort value and its id (which breaks ties).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeysetPosition {
    /// The row's sort value.
    pub value: SortValue,
    /// The row's id.
    pub id: Uuid,
}

/// Which slice of a list ordered by `(sort column, id)` to read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrderedPageRequest {
    /// Only rows after this position (in the list's order).
    pub after: Option<KeysetPosition>,
    /// Only rows before this position (in the list's order).
    pub before: Option<KeysetPosition>,
    /// How many rows at most.
    pub limit: u64,
    /// Take the last `limit` rows of the range instead of the first (`last: n`).
    pub from_end: bool,
    /// The list runs from the largest sort value to the smallest (ties: largest id first).
    pub descending: bool,
}

impl OrderedPageRequest {
    fn page_shape(&self) -> PageRequest {
        PageRequest {
            after: self.after.as_ref().map(|position| position.id),
            before: self.before.as_ref().map(|position| position.id),
            limit: self.limit,
            from_end: self.from_end,
        }
    }

    /// True when the statement scans from the smallest key up.
    fn scans_ascending(&self) -> bool {
        self.descending == self.from_end
    }
}

impl<T> Page<T> {
    /// A page with no rows of an ordered list.
    pub fn empty_ordered(request: &OrderedPageRequest) -> Self {
        Self::empty(&request.page_shape())
    }
}

/// `(sort, id) > position` when `greater`, else `(sort, id) < position`, written without row
/// values so that both databases plan it the same way.
fn beyond<E: Identified>(
    sort_column: E::Column,
    position: &KeysetPosition,
    greater: bool,
) -> Condition {
    let value = position.value.to_value();
    let (sort, id) = if greater {
        (
            sort_column.gt(value.clone()),
            E::id_column().gt(position.id),
        )
    } else {
        (
            sort_column.lt(value.clone()),
            E::id_column().lt(position.id),
        )
    };
    Condition::any()
        .add(sort)
        .add(Condition::all().add(sort_column.eq(value)).add(id))
}

fn with_ordered_cursor<E: Identified>(
    select: Select<E>,
    sort_column: E::Column,
    request: &OrderedPageRequest,
) -> Select<E> {
    let mut select = select;
    // "after" is further along the list: larger keys ascending, smaller keys descending.
    if let Some(after) = &request.after {
        select = select.filter(beyond::<E>(sort_column, after, !request.descending));
    }
    if let Some(before) = &request.before {
        select = select.filter(beyond::<E>(sort_column, before, request.descending));
    }
    select
}

/// Reads one page of `select` (already scoped and filtered) ordered by `(sort_column, id)`.
pub async fn fetch_ordered<E, C>(
    scope: &Scoped<C>,
    select: Select<E>,
    sort_column: E::Column,
    request: &OrderedPageRequest,
) -> StoreResult<Page<E::Model>>
where
    E: Identified,
    C: ConnectionTrait,
{
    let order = if request.scans_ascending() {
        Order::Asc
    } else {
        Order::Desc
    };
    let rows = with_ordered_cursor(select, sort_column, request)
        .order_by(sort_column, order.clone())
        .order_by(E::id_column(), order)
        .limit(request.limit + 1)
        .all(scope.connection())
        .await?;
    Ok(Page::from_overfetch(rows, &request.page_shape()))
}

/// Reads one page of `select`'s rows (already scoped and filtered) for each parent in `parents`,
/// ordered by `(sort_column, id)`, in one statement. Parents without rows get an empty page.
pub async fn fetch_ordered_by_parent<E, C>(
    scope: &Scoped<C>,
    select: Select<E>,
    parent_column: E::Column,
    parents: &[Uuid],
    sort_column: E::Column,
    request: &OrderedPageRequest,
) -> StoreResult<HashMap<Uuid, Page<E::Model>>>
where
    E: Identified,
    C: ConnectionTrait,
{
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let mut pages: HashMap<Uuid, Vec<E::Model>> =
        parents.iter().map(|parent| (*parent, Vec::new())).collect();
    let order = if request.scans_ascending() {
        "ASC"
    } else {
        "DESC"
    };
    let rank = format!(
        "ROW_NUMBER() OVER (PARTITION BY \"{parent}\" ORDER BY \"{sort}\" {order}, \"{id}\" {order})",
        parent = parent_column.as_str(),
        sort = sort_column.as_str(),
        id = E::id_column().as_str()
    );
    let ranked = with_ordered_cursor(select, sort_column, request)
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
    for row in E::find()
        .from_raw_sql(statement)
        .all(scope.connection())
        .await?
    {
        let parent = uuid_of(&row, parent_column)?;
        pages.entry(parent).or_default().push(row);
    }
    let shape = request.page_shape();
    Ok(pages
        .into_iter()
        .map(|(parent, rows)| (parent, Page::from_overfetch(rows, &shape)))
        .collect())
}
