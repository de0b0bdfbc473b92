//! `scenario_budgets`: the budget a scenario sets for one lever allocation, campaign or action
//! of its plan.

use sea_orm::entity::prelude::*;

/// One override of a scenario: exactly one of the three targets is set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scenario_budgets")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The scenario.
    pub scenario_id: Uuid,
    /// The lever allocation whose budget is set, if it is one.
    pub lever_allocation_id: Option<Uuid>,
    /// The campaign whose budget is set, if it is one.
    pub campaign_id: Option<Uuid>,
    /// The action whose planned budget is set, if it is one.
    pub action_id: Option<Uuid>,
    /// The budget, in micros of the plan's currency.
    pub budget_micros: i64,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::tenant_owned!(Entity, Column, stamps { id: Id });

impl crate::Identified for Entity {
    fn id_column() -> Column {
        Column::Id
    }
}
