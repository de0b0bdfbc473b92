//! Reading a tenant's raw measurements in keyset pages, for exports that stream any number of
//! rows in constant memory without holding a connection between pages.

use chrono::NaiveDate;
use entity::measurement;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::store::{Scoped, StoreResult};

pub use crate::store::kpi::measurement::MeasurementFilter;

/// Where a page ends: the (date, id) of its last row.
pub type PageEnd = (NaiveDate, Uuid);

/// Up to `limit` of the tenant's measurements matching `filter`, ordered by date then id,
/// starting after `after` (from the first when `None`).
pub async fn page<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &MeasurementFilter,
    after: Option<PageEnd>,
    limit: u64,
) -> StoreResult<Vec<measurement::Model>> {
    use measurement::Column;
    let mut select = crate::store::kpi::measurement::filtered(scope, filter);
    if let Some((date, id)) = after {
        select = select.filter(
            Condition::any().add(Column::Date.gt(date)).add(
                Condition::all()
                    .add(Column::Date.eq(date))
                    .add(Column::Id.gt(id)),
            ),
        );
    }
    Ok(select
        .order_by_asc(Column::Date)
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(scope.connection())
        .await?)
}
