//! `objectives`: SMART objectives of a plan.

use sea_orm::entity::prelude::*;

use crate::enums::ObjectiveKind;

/// An objective row. Values are stored in micros of the KPI's unit, like money.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "objectives")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// Specific: a short title.
    pub title: String,
    /// Specific: the full statement.
    pub statement: Option<String>,
    /// Family (awareness, traffic, conversion, loyalty).
    pub kind: ObjectiveKind,
    /// Measurable: the KPI's key in the catalogue.
    pub kpi_key: String,
    /// Measurable: the value at the plan's start, in micros.
    pub baseline_micros: Option<i64>,
    /// Measurable: the value to reach, in micros.
    pub target_micros: i64,
    /// Achievable and realistic: why this target can be reached.
    pub rationale: Option<String>,
    /// Time-bound: the date by which the target is reached.
    pub deadline: Date,
    /// The system this row is synced from (with `external_id`; both or neither).
    pub external_source: Option<String>,
    /// Its identifier in that system, unique per tenant with `external_source`.
    pub external_id: Option<String>,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last update time.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::versioned!(Entity, Column);
crate::externally_referenced!(Entity, Column, Model);
