//! `KpiDefinition`: an entry of the KPI catalogue.

use async_graphql::{ID, Object};
use entity::enums::{KpiAggregation, KpiDirection, KpiUnit};
use std::str::FromStr;

use crate::{
    domain::kpi::catalogue::CatalogueKpi,
    graphql::scalars::Decimal,
    ids::{self, NodeType},
};

/// A key performance indicator: a base KPI that measurements are recorded for (summed, snapshot
/// or non-additive), or a derived ratio recomputed from summed components at every grain.
#[derive(Debug, Clone)]
pub struct KpiDefinition(pub CatalogueKpi);

fn decimal(text: &str) -> Option<Decimal> {
    rust_decimal::Decimal::from_str(text)
        .ok()
        .map(Decimal::plain)
}

/// A key performance indicator: a base KPI that measurements are recorded for (summed, snapshot
/// or non-additive), or a derived ratio recomputed from summed components at every grain.
#[Object]
impl KpiDefinition {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::KpiDefinition, self.0.definition.id)
    }

    /// Stable key used in inputs and series (`ctr`, `spend`…).
    async fn key(&self) -> &str {
        &self.0.definition.key
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.definition.name
    }

    /// What it measures and, for a ratio, its formula.
    async fn description(&self) -> &str {
        &self.0.definition.description
    }

    /// Unit of its values; tells a client how to display them.
    async fn unit(&self) -> KpiUnit {
        self.0.definition.unit
    }

    /// Whether higher or lower values are better.
    async fn direction(&self) -> KpiDirection {
        self.0.definition.direction
    }

    /// How values combine over periods and groups.
    async fn aggregation(&self) -> KpiAggregation {
        self.0.definition.aggregation
    }

    /// Key of the numerator KPI; set on derived (ratio) KPIs only.
    async fn numerator_key(&self) -> Option<&str> {
        self.0.definition.numerator_key.as_deref()
    }

    /// Key of the denominator KPI; set on derived (ratio) KPIs only.
    async fn denominator_key(&self) -> Option<&str> {
        self.0.definition.denominator_key.as_deref()
    }

    /// Multiplier of the ratio (1000 for per-thousand KPIs such as CPM); derived KPIs only.
    async fn scale(&self) -> Option<Decimal> {
        self.0
            .definition
            .numerator_key
            .as_ref()
            .and_then(|_| decimal(&self.0.definition.scale))
    }

    /// Added to the scaled ratio (−1 for ROI, 1 for bounce rate); derived KPIs only.
    async fn offset(&self) -> Option<Decimal> {
        self.0
            .definition
            .numerator_key
            .as_ref()
            .and_then(|_| decimal(&self.0.definition.offset))
    }

    /// True for derived (ratio) KPIs, which cannot be recorded directly.
    async fn is_derived(&self) -> bool {
        self.0.definition.aggregation == KpiAggregation::Ratio
    }

    /// True for a KPI of the built-in catalogue, shared by every tenant and read-only; false
    /// for one the tenant defined.
    async fn built_in(&self) -> bool {
        self.0.is_built_in()
    }

    /// Version of a tenant-defined KPI, for `updateKpiDefinition`'s `expectedVersion`; null
    /// for built-in KPIs.
    async fn version(&self) -> Option<i32> {
        self.0.version()
    }
}
