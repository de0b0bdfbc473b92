//! `campaign_objectives`: the objectives a campaign serves.

use sea_orm::entity::prelude::*;

/// A link between a campaign and an objective of the same plan and tenant.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign_objectives")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// The campaign.
    #[sea_orm(primary_key, auto_increment = false)]
    pub campaign_id: Uuid,
    /// The objective.
    #[sea_orm(primary_key, auto_increment = false)]
    pub objective_id: Uuid,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::tenant_owned!(Entity, Column);
