//! `scenarios`: a named what-if version of a plan's budgets.

use sea_orm::entity::prelude::*;

/// A scenario row; its budget overrides live in `scenario_budgets`. The name is unique in the
/// plan.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scenarios")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The plan it is a version of.
    pub plan_id: Uuid,
    /// Name, unique in the plan.
    pub name: String,
    /// What the scenario explores.
    pub description: Option<String>,
    /// The budget ceiling its arbitrage is computed under, in micros of the plan's currency;
    /// `None`: the plan's budget.
    pub ceiling_micros: Option<i64>,
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
