//! Inputs of the market-trend mutations.

use async_graphql::{ID, InputObject, MaybeUndefined};
use uuid::Uuid;

use crate::domain::strategy::market::{MarketTrendChanges, NewMarketTrend};
use crate::graphql::inputs::plan::maybe;

/// A new market trend.
#[derive(Debug, InputObject)]
pub struct CreateMarketTrendInput {
    /// Global ID of the plan whose market analysis holds the trend.
    pub plan_id: ID,
    /// The trend in one sentence (1 to 1000 characters).
    pub statement: String,
    /// Details.
    pub description: Option<String>,
    /// Where it was observed (a study, an article).
    pub source: Option<String>,
    /// Impact on the business, 1 (low) to 5 (high).
    pub impact: i32,
}

impl CreateMarketTrendInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewMarketTrend {
        NewMarketTrend {
            plan_id,
            statement: self.statement,
            description: self.description,
            source: self.source,
            impact: self.impact,
        }
    }
}

/// Changes to a market trend; omitted fields stay as they are, null clears an optional one.
#[derive(Debug, InputObject)]
pub struct UpdateMarketTrendInput {
    /// The trend's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the trend changed since.
    pub expected_version: i32,
    /// New statement.
    pub statement: Option<String>,
    /// New details.
    pub description: MaybeUndefined<String>,
    /// New source.
    pub source: MaybeUndefined<String>,
    /// New impact, 1 to 5.
    pub impact: Option<i32>,
}

impl From<UpdateMarketTrendInput> for MarketTrendChanges {
    fn from(input: UpdateMarketTrendInput) -> Self {
        Self {
            statement: input.statement,
            description: maybe(input.description),
            source: maybe(input.source),
            impact: input.impact,
        }
    }
}

/// The market trend to delete.
#[derive(Debug, InputObject)]
pub struct DeleteMarketTrendInput {
    /// The trend's global ID.
    pub id: ID,
}
