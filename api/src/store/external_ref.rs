//! Rows looked up by their external reference (`external_source`, `external_id`), through the
//! scope like every other read: another tenant's row, or a row outside a share link's plan, is
//! never found.

use entity::ExternallyReferenced;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter};

use crate::store::{Scoped, StoreResult};

/// The row of `E` with the reference `(source, id)`, if this scope sees one.
pub async fn find<E, C>(scope: &Scoped<C>, source: &str, id: &str) -> StoreResult<Option<E::Model>>
where
    E: ExternallyReferenced,
    C: ConnectionTrait,
{
    Ok(scope
        .select::<E>()
        .filter(E::external_source_column().eq(source))
        .filter(E::external_id_column().eq(id))
        .one(scope.connection())
        .await?)
}

/// Keeps the rows of `select` with the reference `(source, id)` (a list's filter). A text no
/// row can hold (with a NUL, which PostgreSQL refuses to compare) matches nothing.
pub fn filter<E>(select: sea_orm::Select<E>, source: &str, id: &str) -> sea_orm::Select<E>
where
    E: ExternallyReferenced,
{
    if source.contains('\0') || id.contains('\0') {
        return select.filter(sea_orm::sea_query::Expr::cust("1 = 0"));
    }
    select
        .filter(E::external_source_column().eq(source))
        .filter(E::external_id_column().eq(id))
}
