//! `MarketTrend`: a trend of the market a plan is written for.

use async_graphql::{Context, ID, Object, Result};
use entity::market_trend;

use crate::graphql::types::Plan;
use crate::{
    error::ApiError,
    graphql::{context::loaders, scalars::DateTime},
    ids::{self, NodeType},
};

/// A trend of the market of a plan (market analysis): what is changing, where it was seen, and
/// how much it matters to the business.
#[derive(Debug, Clone)]
pub struct MarketTrend(pub market_trend::Model);

/// A trend of the market of a plan (market analysis): what is changing, where it was seen, and
/// how much it matters to the business.
#[Object]
impl MarketTrend {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::MarketTrend, self.0.id)
    }

    /// The plan whose market analysis holds the trend.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// The trend in one sentence.
    async fn statement(&self) -> &str {
        &self.0.statement
    }

    /// Details.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Where the trend was observed (a study, an article).
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }

    /// Impact on the business, 1 (low) to 5 (high).
    async fn impact(&self) -> i32 {
        self.0.impact
    }

    /// Version, incremented by every update; pass it as `expectedVersion` to update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the trend was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the trend was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
