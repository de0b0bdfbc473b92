//! `LeverInteraction`: how one lever affects another within a plan.

use async_graphql::{Context, ID, Object, Result};
use entity::{enums::Lever, lever_enums::LeverInteractionKind, lever_interaction};

use crate::graphql::types::Plan;
use crate::{
    error::ApiError,
    graphql::{context::loaders, scalars::DateTime},
    ids::{self, NodeType},
};

/// A link from one lever to another within a plan (SEO ⇄ SEA synergy, social → SEO, paid
/// search cannibalizing organic clicks…), with a note. A plan states each (from, to, kind) once.
#[derive(Debug, Clone)]
pub struct LeverInteraction(pub lever_interaction::Model);

/// A link from one lever to another within a plan (SEO ⇄ SEA synergy, social → SEO, paid
/// search cannibalizing organic clicks…), with a note. A plan states each (from, to, kind) once.
#[Object]
impl LeverInteraction {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::LeverInteraction, self.0.id)
    }

    /// The plan the interaction belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// The lever that acts.
    async fn from_lever(&self) -> Lever {
        self.0.from_lever
    }

    /// The lever acted upon (never the same as `fromLever`).
    async fn to_lever(&self) -> Lever {
        self.0.to_lever
    }

    /// Synergy, cannibalization or dependency.
    async fn kind(&self) -> LeverInteractionKind {
        self.0.kind
    }

    /// Explanation.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// Version, incremented by every update; pass it as `expectedVersion` to update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the interaction was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the interaction was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
