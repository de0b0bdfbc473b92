//! `content_items`: the content plan, crossing persona × lever × funnel stage.

use sea_orm::entity::prelude::*;

use crate::{
    action_enums::{ContentStatus, FunnelStage},
    enums::Lever,
};

/// A content item row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "content_items")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// The persona it speaks to.
    pub persona_id: Uuid,
    /// The lever that carries it.
    pub lever: Lever,
    /// The funnel stage it serves.
    pub funnel_stage: FunnelStage,
    /// The message.
    pub message: String,
    /// The format (free text: "blog post", "reel").
    pub format: String,
    /// Optional call to action.
    pub call_to_action: Option<String>,
    /// Publish day.
    pub publish_date: Date,
    /// Editorial status.
    pub status: ContentStatus,
    /// The action it belongs to, in the same plan.
    pub action_id: Option<Uuid>,
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
