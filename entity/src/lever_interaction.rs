//! `lever_interactions`: how one lever affects another within a plan.

use sea_orm::entity::prelude::*;

use crate::{enums::Lever, lever_enums::LeverInteractionKind};

/// A lever interaction row; unique per (plan, from lever, to lever, kind).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lever_interactions")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// The lever that acts.
    pub from_lever: Lever,
    /// The lever acted upon (never `from_lever`).
    pub to_lever: Lever,
    /// Synergy, cannibalization or dependency.
    pub kind: LeverInteractionKind,
    /// Explanation.
    pub note: Option<String>,
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
