//! Reading a tenant's raw measurements in keyset pages, for exports that stream any number of
//! rows in constant memory without holding a connection between pages.

use chrono::NaiveDate;
use entity::{enums::Lever, measurement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::{Scoped, StoreResult};

/// Which measurements to read; an empty list or `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct MeasurementFilter {
    /// Only these KPI keys.
    pub kpi_keys: Vec<String>,
    /// Only periods starting on or after this day.
    pub from: Option<NaiveDate>,
    /// Only periods starting on or before this day.
    pub to: Option<NaiveDate>,
    /// Only measurements counted for this plan.
    pub plan_id: Option<Uuid>,
    /// Only measurements of these campaigns.
    pub campaign_ids: Vec<Uuid>,
    /// Only measurements of these levers.
    pub levers: Vec<Lever>,
    /// Only measurements of these personas.
    pub persona_ids: Vec<Uuid>,
}

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
    let mut select = scope.select::<measurement::Entity>();
    if !filter.kpi_keys.is_empty() {
        select = select.filter(Column::KpiKey.is_in(filter.kpi_keys.iter().cloned()));
    }
    if let Some(from) = filter.from {
        select = select.filter(Column::Date.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(Column::Date.lte(to));
    }
    if let Some(plan_id) = filter.plan_id {
        select = select.filter(Column::PlanId.eq(plan_id));
    }
    if !filter.campaign_ids.is_empty() {
        select = select.filter(Column::CampaignId.is_in(filter.campaign_ids.iter().copied()));
    }
    if !filter.levers.is_empty() {
        select = select.filter(Column::Lever.is_in(filter.levers.iter().copied()));
    }
    if !filter.persona_ids.is_empty() {
        select = select.filter(Column::PersonaId.is_in(filter.persona_ids.iter().copied()));
    }
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
