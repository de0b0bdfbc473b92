//! Inputs of the mutations of tenant-defined KPIs.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums::{KpiAggregation, KpiDirection, KpiUnit};

use crate::graphql::inputs::plan::maybe;
use crate::{
    domain::kpi::custom::{KpiChanges, NewKpi},
    graphql::scalars::Decimal,
};

/// A new KPI of the tenant: a base KPI that measurements are recorded for (aggregation SUM,
/// LAST or NON_ADDITIVE), or a derived ratio `scale × Σnumerator / Σdenominator + offset`
/// (aggregation RATIO) of two summed base KPIs.
#[derive(Debug, InputObject)]
pub struct CreateKpiDefinitionInput {
    /// Stable key: a lowercase letter then up to 63 lowercase letters, digits or underscores;
    /// not a built-in key, and unique within the tenant.
    pub key: String,
    /// Display name (1 to 200 characters).
    pub name: String,
    /// What it measures and how.
    pub description: Option<String>,
    /// Unit of its values.
    pub unit: KpiUnit,
    /// Whether higher or lower values are better.
    pub direction: KpiDirection,
    /// How values combine: SUM, LAST or NON_ADDITIVE for a base KPI, RATIO for a derived one.
    pub aggregation: KpiAggregation,
    /// Key of the numerator, a base KPI with aggregation SUM (RATIO only, required there).
    pub numerator_key: Option<String>,
    /// Key of the denominator, a base KPI with aggregation SUM (RATIO only, required there).
    pub denominator_key: Option<String>,
    /// Multiplier of the ratio, not zero (RATIO only; 1 when omitted, 1000 for per-thousand
    /// KPIs).
    pub scale: Option<Decimal>,
    /// Added to the scaled ratio (RATIO only; 0 when omitted).
    pub offset: Option<Decimal>,
}

impl From<CreateKpiDefinitionInput> for NewKpi {
    fn from(input: CreateKpiDefinitionInput) -> Self {
        Self {
            key: input.key,
            name: input.name,
            description: input.description,
            unit: input.unit,
            direction: input.direction,
            aggregation: input.aggregation,
            numerator_key: input.numerator_key,
            denominator_key: input.denominator_key,
            scale: input.scale.map(|scale| scale.0),
            offset: input.offset.map(|offset| offset.0),
        }
    }
}

/// Changes to a KPI of the tenant; omitted fields stay as they are. The key and the aggregation
/// cannot change once objectives, measurements or derived KPIs use the KPI.
#[derive(Debug, InputObject)]
pub struct UpdateKpiDefinitionInput {
    /// The KPI definition's global ID (built-in KPIs cannot be changed).
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the KPI changed since.
    pub expected_version: i32,
    /// New key (same rules as at creation).
    pub key: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New description; null clears it.
    pub description: MaybeUndefined<String>,
    /// New unit.
    pub unit: Option<KpiUnit>,
    /// New direction.
    pub direction: Option<KpiDirection>,
    /// New aggregation. Turning a derived KPI into a base one drops its formula.
    pub aggregation: Option<KpiAggregation>,
    /// New numerator key (RATIO only).
    pub numerator_key: MaybeUndefined<String>,
    /// New denominator key (RATIO only).
    pub denominator_key: MaybeUndefined<String>,
    /// New scale (RATIO only); null resets it to 1.
    pub scale: MaybeUndefined<Decimal>,
    /// New offset (RATIO only); null resets it to 0.
    pub offset: MaybeUndefined<Decimal>,
}

impl From<UpdateKpiDefinitionInput> for KpiChanges {
    fn from(input: UpdateKpiDefinitionInput) -> Self {
        Self {
            key: input.key,
            name: input.name,
            description: maybe(input.description),
            unit: input.unit,
            direction: input.direction,
            aggregation: input.aggregation,
            numerator_key: maybe(input.numerator_key),
            denominator_key: maybe(input.denominator_key),
            scale: maybe(input.scale).map(|scale| scale.map(|scale| scale.0)),
            offset: maybe(input.offset).map(|offset| offset.map(|offset| offset.0)),
        }
    }
}

/// The KPI to delete.
#[derive(Debug, InputObject)]
pub struct DeleteKpiDefinitionInput {
    /// The KPI definition's global ID. Refused while objectives, measurements or derived KPIs
    /// use it; built-in KPIs cannot be deleted.
    pub id: ID,
}
