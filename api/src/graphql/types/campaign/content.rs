//! `ContentItem`: an entry of a plan's content plan.

use async_graphql::{Context, ID, Object, Result};
use entity::{
    action_enums::{ContentStatus, FunnelStage},
    content_item,
    enums::Lever,
};

use crate::graphql::types::{Action, Persona, Plan};
use crate::{
    error::ApiError,
    graphql::{
        context::loaders,
        scalars::{Date, DateTime},
    },
    ids::{self, NodeType},
    keyset_connection,
};

/// An entry of a plan's content plan (seed 003, "créez des messages"): a message for one persona,
/// carried by one lever at one funnel stage, in a format, with a call to action and a publish
/// date.
#[derive(Debug, Clone)]
pub struct ContentItem(pub content_item::Model);

keyset_connection!(
    ContentItemConnection,
    ContentItemEdge,
    ContentItem,
    content_item::Model,
    "A page of content items, by publish date.",
    "A content item in a page of content items."
);

/// The name of the content lists' ordering inside cursors.
pub const CONTENT_ORDERING: &str = "content:PUBLISH_DATE:ASC";

/// An entry of a plan's content plan (seed 003, "créez des messages"): a message for one persona,
/// carried by one lever at one funnel stage, in a format, with a call to action and a publish
/// date.
#[Object]
impl ContentItem {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::ContentItem, self.0.id)
    }

    /// The object's audit trail: `history` (ADMIN only).
    #[graphql(flatten)]
    async fn audited(&self) -> crate::graphql::types::AuditHistory {
        crate::graphql::types::AuditHistory(self.0.id)
    }

    /// The plan the item belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// The persona the message speaks to. Deleting the persona deletes its content items.
    async fn persona(&self, ctx: &Context<'_>) -> Result<Persona> {
        let persona = loaders(ctx)?.persona.load_one(self.0.persona_id).await?;
        Ok(Persona(persona.ok_or_else(ApiError::not_found)?.into()))
    }

    /// The lever that carries the message.
    async fn lever(&self) -> Lever {
        self.0.lever
    }

    /// The funnel stage the message serves.
    async fn funnel_stage(&self) -> FunnelStage {
        self.0.funnel_stage
    }

    /// The message.
    async fn message(&self) -> &str {
        &self.0.message
    }

    /// The format (free text such as "blog post" or "reel").
    async fn format(&self) -> &str {
        &self.0.format
    }

    /// The call to action.
    async fn call_to_action(&self) -> Option<&str> {
        self.0.call_to_action.as_deref()
    }

    /// Publish day.
    async fn publish_date(&self) -> Date {
        Date(self.0.publish_date)
    }

    /// Editorial status.
    async fn status(&self) -> ContentStatus {
        self.0.status
    }

    /// The action the item belongs to, if any (an action of the same plan).
    async fn action(&self, ctx: &Context<'_>) -> Result<Option<Action>> {
        let Some(action_id) = self.0.action_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?.action.load_one(action_id).await?.map(Action))
    }

    /// Its reference in the system it is synced from (set by `externalRef` on create, update
    /// or upsert); null when it has none.
    async fn external_ref(&self) -> Option<crate::graphql::types::external_ref::ExternalRef> {
        crate::graphql::types::external_ref::ExternalRef::of(
            &self.0.external_source,
            &self.0.external_id,
        )
    }

    /// Version, incremented by every update; pass it as `expectedVersion` to update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the item was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the item was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
