//! `SwotItem`: one item of a plan's SWOT analysis.

use async_graphql::{Context, ID, Object, Result};
use entity::{strategy_enums::SwotQuadrant, swot_item};

use crate::graphql::types::Plan;
use crate::{
    error::ApiError,
    graphql::{context::loaders, scalars::DateTime},
    ids::{self, NodeType},
};

/// One item of a plan's SWOT analysis: a strength or weakness of the company, or an
/// opportunity or threat of its environment, with its impact.
#[derive(Debug, Clone)]
pub struct SwotItem(pub swot_item::Model);

/// One item of a plan's SWOT analysis: a strength or weakness of the company, or an
/// opportunity or threat of its environment, with its impact.
#[Object]
impl SwotItem {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::SwotItem, self.0.id)
    }

    /// The plan whose SWOT analysis holds the item.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// Strength, weakness, opportunity or threat.
    async fn quadrant(&self) -> SwotQuadrant {
        self.0.quadrant
    }

    /// The item in one sentence.
    async fn statement(&self) -> &str {
        &self.0.statement
    }

    /// Impact, 1 (low) to 5 (high).
    async fn impact(&self) -> i32 {
        self.0.impact
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
