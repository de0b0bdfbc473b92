//! `tenant_kpi_definitions`: KPIs a tenant adds to the built-in catalogue.

use sea_orm::entity::prelude::*;

use crate::{
    enums::{KpiAggregation, KpiDirection, KpiUnit},
    kpi_definition,
};

/// A tenant-defined KPI. Same shape as a built-in one, plus its tenant and version.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenant_kpi_definitions")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Stable key, unique within the tenant and never one of the built-in keys.
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
    /// Multiplier of the ratio, as a decimal string.
    pub scale: String,
    /// Added to the scaled ratio, as a decimal string.
    pub offset: String,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last update time.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through SeaORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::versioned!(Entity, Column);

impl From<Model> for kpi_definition::Model {
    /// Seen through the catalogue, a tenant's KPI is one more definition.
    fn from(row: Model) -> Self {
        Self {
            id: row.id,
            key: row.key,
            name: row.name,
            description: row.description,
            unit: row.unit,
            direction: row.direction,
            aggregation: row.aggregation,
            numerator_key: row.numerator_key,
            denominator_key: row.denominator_key,
            scale: row.scale,
            offset: row.offset,
        }
    }
}
