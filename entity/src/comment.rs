//! `comments`: discussion threads on plans, campaigns, actions and objectives.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::json_lists::StringList;

/// What a comment discusses; the matching column (`plan_id`, `campaign_id`, `action_id` or
/// `objective_id`) holds its id.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CommentTarget {
    /// A plan.
    #[sea_orm(string_value = "PLAN")]
    Plan,
    /// A campaign.
    #[sea_orm(string_value = "CAMPAIGN")]
    Campaign,
    /// An action.
    #[sea_orm(string_value = "ACTION")]
    Action,
    /// An objective.
    #[sea_orm(string_value = "OBJECTIVE")]
    Objective,
}

impl CommentTarget {
    /// The column holding the id of a target of this type.
    pub fn column(self) -> Column {
        match self {
            Self::Plan => Column::PlanId,
            Self::Campaign => Column::CampaignId,
            Self::Action => Column::ActionId,
            Self::Objective => Column::ObjectiveId,
        }
    }
}

/// A comment row: the first comment of a thread (`thread_id` null) or a reply in one.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comments")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The type of the object discussed.
    pub target_type: CommentTarget,
    /// The plan discussed, when the target is a plan.
    pub plan_id: Option<Uuid>,
    /// The campaign discussed, when the target is a campaign.
    pub campaign_id: Option<Uuid>,
    /// The action discussed, when the target is an action.
    pub action_id: Option<Uuid>,
    /// The objective discussed, when the target is an objective.
    pub objective_id: Option<Uuid>,
    /// The thread's first comment, for a reply; null for a thread's first comment.
    pub thread_id: Option<Uuid>,
    /// The comment a reply answers (the first comment or another reply of the thread).
    pub parent_id: Option<Uuid>,
    /// The author's subject (the token's `sub`).
    pub author_subject: String,
    /// The author's role when writing (`viewer`, `editor`, `admin`).
    pub author_role: String,
    /// The text.
    pub body: String,
    /// The subjects mentioned, in order of first mention, without repeats.
    pub mentions: StringList,
    /// When the author last changed the text; null when never edited.
    pub edited_at: Option<DateTimeUtc>,
    /// When the thread was resolved (on its first comment); null while open.
    pub resolved_at: Option<DateTimeUtc>,
    /// Who resolved the thread (on its first comment).
    pub resolved_by: Option<String>,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last update time.
    pub updated_at: DateTimeUtc,
}

impl Model {
    /// The id of the object discussed.
    pub fn target_id(&self) -> Option<Uuid> {
        match self.target_type {
            CommentTarget::Plan => self.plan_id,
            CommentTarget::Campaign => self.campaign_id,
            CommentTarget::Action => self.action_id,
            CommentTarget::Objective => self.objective_id,
        }
    }

    /// The id of the thread's first comment (its own id for a first comment).
    pub fn root_id(&self) -> Uuid {
        self.thread_id.unwrap_or(self.id)
    }
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::versioned!(Entity, Column);
