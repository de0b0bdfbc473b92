//! `plan_review_events`: the history of a plan's review, one row per step, never changed.

use sea_orm::entity::prelude::*;

use crate::review_enums::{ReviewEventKind, ReviewRole};

/// A review event row; at most one per (plan, sequence).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_review_events")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The plan reviewed.
    pub plan_id: Uuid,
    /// Place in the plan's history, from 1.
    pub sequence: i32,
    /// What happened.
    pub kind: ReviewEventKind,
    /// Who did it (the token's subject).
    pub actor_subject: String,
    /// The role they held then (none for an API key).
    pub actor_role: Option<ReviewRole>,
    /// Why: required when changes are requested.
    pub note: Option<String>,
    /// The plan's version when it happened: for an approval, the version approved.
    pub plan_version: i32,
    /// When it happened.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::identified!(
    Entity,
    Column,
    stamps {
        id: Id,
        created_at: CreatedAt
    }
);
