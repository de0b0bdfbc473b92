//! `campaign_levers`: the levers a campaign uses.

use sea_orm::entity::prelude::*;

use crate::enums::Lever;

/// A lever used by a campaign; `position` keeps the order the client gave.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign_levers")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// The campaign.
    #[sea_orm(primary_key, auto_increment = false)]
    pub campaign_id: Uuid,
    /// The lever.
    #[sea_orm(primary_key, auto_increment = false)]
    pub lever: Lever,
    /// Order of the lever in the campaign's list.
    pub position: i32,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::tenant_owned!(Entity, Column);
