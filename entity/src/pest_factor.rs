//! `pest_factors`: one factor of a plan's PEST (PESTEL) analysis of the macro-environment.

use sea_orm::entity::prelude::*;

use crate::strategy_enums::PestCategory;

/// A PEST factor row of a plan.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pest_factors")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// Political, economic, social, technological, environmental or legal.
    pub category: PestCategory,
    /// The factor in one sentence.
    pub statement: String,
    /// Impact, 1 (low) to 5 (high).
    pub impact: i32,
    /// Likelihood, 1 (unlikely) to 5 (almost certain).
    pub likelihood: i32,
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
