//! `KpiDefinition`: an entry of the KPI catalogue.

use async_graphql::{ID, Object};
use entity::{
    enums::{KpiAggregation, KpiDirection, KpiUnit},
    kpi_definition,
};
use std::str::FromStr;

use crate::graphql::{
    ids::{self, NodeType},
    scalars::Decimal,
};

/// A key performance indicator: a base KPI that measurements are recorded for (summed, snapshot
/// or non-additive), or a derived ratio recomputed from summed components at every grain.
#[derive(Debug, Clone)]
pub struct KpiDefinition(pub kpi_definition::Model);

fn decimal(text: &str) -> Option<Decimal> {
    rust_decimal::Decimal::from_str(text).ok().map(Decimal)
}

/// A key performance indicator: a base KPI that measurements are recorded for (summed, snapshot
/// or non-additive), or a derived ratio recomputed from summed components at every grain.
#[Object]
impl KpiDefinition {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::KpiDefinition, self.0.id)
    }

    /// Stable key used in inputs and series (`ctr`, `spend`…).
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What it measures and, for a ratio, its formula.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Unit of its values; tells a client how to display them.
    async fn unit(&self) -> KpiUnit {
        self.0.unit
    }

    /// Whether higher or lower values are better.
    async fn direction(&self) -> KpiDirection {
        self.0.direction
    }

    /// How values combine over periods and groups.
    async fn aggregation(&self) -> KpiAggregation {
        self.0.aggregation
    }

    /// Key of the numerator KPI; set on derived (ratio) KPIs only.
    async fn numerator_key(&self) -> Option<&str> {
        self.0.numerator_key.as_deref()
    }

    /// Key of the denominator KPI; set on derived (ratio) KPIs only.
    async fn denominator_key(&self) -> Option<&str> {
        self.0.denominator_key.as_deref()
    }

    /// Multiplier of the ratio (1000 for per-thousand KPIs such as CPM); derived KPIs only.
    async fn scale(&self) -> Option<Decimal> {
        self.0
            .numerator_key
            .as_ref()
            .and_then(|_| decimal(&self.0.scale))
    }

    /// Added to the scaled ratio (−1 for ROI, 1 for bounce rate); derived KPIs only.
    async fn offset(&self) -> Option<Decimal> {
        self.0
            .numerator_key
            .as_ref()
            .and_then(|_| decimal(&self.0.offset))
    }

    /// True for derived (ratio) KPIs, which cannot be recorded directly.
    async fn is_derived(&self) -> bool {
        self.0.aggregation == KpiAggregation::Ratio
    }
}
