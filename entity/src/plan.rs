//! `plans`: a digital-marketing action plan over a period.

use sea_orm::entity::prelude::*;

use crate::enums::PlanStatus;

/// A plan row. Money is stored in micros (1.25 → 1 250 000) so that sums are exact everywhere.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plans")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Optional description.
    pub description: Option<String>,
    /// First day of the period.
    pub period_start: Date,
    /// Last day of the period (inclusive).
    pub period_end: Date,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Total budget, in micros of `currency`.
    pub budget_micros: i64,
    /// Lifecycle status.
    pub status: PlanStatus,
    /// The system this row is synced from (with `external_id`; both or neither).
    pub external_source: Option<String>,
    /// Its identifier in that system, unique per tenant with `external_source`.
    pub external_id: Option<String>,
    /// Optimistic-concurrency version, incremented on each update.
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
