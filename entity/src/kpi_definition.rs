//! `kpi_definitions`: the built-in KPI catalogue, shared by all tenants and seeded by a migration.
//! Tenant-defined KPIs live in `tenant_kpi_definitions` and convert into this model.

use sea_orm::entity::prelude::*;

use crate::enums::{KpiAggregation, KpiDirection, KpiUnit};

/// A KPI definition. A derived KPI's value is `scale × Σnumerator / Σdenominator + offset`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kpi_definitions")]
pub struct Model {
    /// Identity.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Stable key (`ctr`, `spend`…), unique.
    #[sea_orm(unique)]
    pub key: String,
    /// Display name.
    pub name: String,
    /// What it measures and how it is computed.
    pub description: String,
    /// Unit of its values.
    pub unit: KpiUnit,
    /// Whether higher or lower is better.
    pub direction: KpiDirection,
    /// How values combine.
    pub aggregation: KpiAggregation,
    /// Numerator KPI key (derived KPIs only).
    pub numerator_key: Option<String>,
    /// Denominator KPI key (derived KPIs only).
    pub denominator_key: Option<String>,
    /// Multiplier of the ratio, as a decimal string (`1000` for CPM, `1` otherwise).
    pub scale: String,
    /// Added to the scaled ratio, as a decimal string (`-1` for ROI, `0` otherwise).
    pub offset: String,
}

/// No relations are navigated through SeaORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
