//! `marketing_mix_entries`: the text of one dimension of a plan's marketing mix.

use sea_orm::entity::prelude::*;

use crate::strategy_enums::MixDimension;

/// The text a plan gives one dimension of its marketing mix; a dimension without a row is unset.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "marketing_mix_entries")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// The plan.
    #[sea_orm(primary_key, auto_increment = false)]
    pub plan_id: Uuid,
    /// The dimension.
    #[sea_orm(primary_key, auto_increment = false)]
    pub dimension: MixDimension,
    /// What the plan says about it.
    pub text: String,
    /// When it was last set.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::tenant_owned!(
    Entity,
    Column,
    stamps {
        updated_at: UpdatedAt
    }
);
