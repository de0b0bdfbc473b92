//! `campaigns`: a coordinated set of actions of a plan, over dates, with a budget.

use sea_orm::entity::prelude::*;

use crate::enums::{CampaignStatus, ObjectiveKind};

/// A campaign row. Its levers and target personas live in link tables.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// Name.
    pub name: String,
    /// Family (awareness, traffic, conversion, loyalty).
    pub kind: ObjectiveKind,
    /// First day.
    pub start_date: Date,
    /// Last day (inclusive).
    pub end_date: Date,
    /// Planned budget in micros of the plan's currency.
    pub budget_micros: i64,
    /// Lifecycle status.
    pub status: CampaignStatus,
    /// The `utm_campaign` code its links carry.
    pub utm_code: Option<String>,
    /// The campaign it is part of, in the same plan.
    pub parent_campaign_id: Option<Uuid>,
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
