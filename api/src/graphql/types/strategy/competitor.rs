//! `Competitor`: a competitor studied in a plan's market analysis.

use async_graphql::{Context, ID, Object, Result};
use entity::{competitor, enums::Lever};

use crate::graphql::types::Plan;
use crate::{
    error::ApiError,
    graphql::{context::loaders, scalars::DateTime},
    ids::{self, NodeType},
};

/// A competitor studied in a plan's market analysis: its positioning and strategy, the levers
/// it uses, its strengths and weaknesses.
#[derive(Debug, Clone)]
pub struct Competitor(pub competitor::Model);

/// A competitor studied in a plan's market analysis: its positioning and strategy, the levers
/// it uses, its strengths and weaknesses.
#[Object]
impl Competitor {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Competitor, self.0.id)
    }

    /// The plan whose market analysis studies the competitor.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Web site address.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// How the competitor positions itself.
    async fn positioning(&self) -> Option<&str> {
        self.0.positioning.as_deref()
    }

    /// Notes on its marketing strategy.
    async fn strategy_notes(&self) -> Option<&str> {
        self.0.strategy_notes.as_deref()
    }

    /// The levers it uses, in the order given.
    async fn levers(&self) -> &[Lever] {
        &self.0.levers.0
    }

    /// Its strengths.
    async fn strengths(&self) -> &[String] {
        &self.0.strengths.0
    }

    /// Its weaknesses.
    async fn weaknesses(&self) -> &[String] {
        &self.0.weaknesses.0
    }

    /// Version, incremented by every update; pass it as `expectedVersion` to update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the competitor was added.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the competitor was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
