//! What refers to a tenant's KPI, by key: objectives, measurements and the tenant's derived
//! KPIs. The catalogue keeps no foreign keys (references are by key, and built-in KPIs have no
//! tenant), so these checks are how a KPI in use is kept from being deleted or re-keyed.

use entity::{measurement, objective, tenant_kpi_definition};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::store::{Scoped, StoreResult};

/// Who uses a KPI key within the tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KpiUsage {
    /// True when at least one objective is measured by it.
    pub objectives: bool,
    /// True when at least one measurement was recorded for it.
    pub measurements: bool,
    /// Keys of the tenant's derived KPIs that use it as numerator or denominator, sorted.
    pub derived: Vec<String>,
}

impl KpiUsage {
    /// True when nothing uses the key.
    pub fn is_unused(&self) -> bool {
        !self.objectives && !self.measurements && self.derived.is_empty()
    }
}

/// Who uses `key` within the tenant: two existence probes (one row at most each, on indexed
/// columns for measurements) and one read of the derived KPIs that name it.
pub async fn usage<C: ConnectionTrait>(scope: &Scoped<C>, key: &str) -> StoreResult<KpiUsage> {
    let objectives = scope
        .select::<objective::Entity>()
        .select_only()
        .column(objective::Column::Id)
        .filter(objective::Column::KpiKey.eq(key))
        .limit(1)
        .into_tuple::<uuid::Uuid>()
        .one(scope.connection())
        .await?
        .is_some();
    let measurements = scope
        .select::<measurement::Entity>()
        .select_only()
        .column(measurement::Column::Id)
        .filter(measurement::Column::KpiKey.eq(key))
        .limit(1)
        .into_tuple::<uuid::Uuid>()
        .one(scope.connection())
        .await?
        .is_some();
    let derived = scope
        .select::<tenant_kpi_definition::Entity>()
        .select_only()
        .column(tenant_kpi_definition::Column::Key)
        .filter(
            Condition::any()
                .add(tenant_kpi_definition::Column::NumeratorKey.eq(key))
                .add(tenant_kpi_definition::Column::DenominatorKey.eq(key)),
        )
        .order_by_asc(tenant_kpi_definition::Column::Key)
        .into_tuple::<String>()
        .all(scope.connection())
        .await?;
    Ok(KpiUsage {
        objectives,
        measurements,
        derived,
    })
}
