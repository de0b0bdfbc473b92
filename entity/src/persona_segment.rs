//! `persona_segments`: the segments a persona belongs to.

use sea_orm::entity::prelude::*;

/// A link between a segment and a persona of the same tenant.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "persona_segments")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// The segment.
    #[sea_orm(primary_key, auto_increment = false)]
    pub segment_id: Uuid,
    /// The persona.
    #[sea_orm(primary_key, auto_increment = false)]
    pub persona_id: Uuid,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::tenant_owned!(Entity, Column);
