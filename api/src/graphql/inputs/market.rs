//! Inputs of market-analysis mutations: market trends and competitors.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums::Lever;
use uuid::Uuid;

use super::plan::maybe;
use crate::domain::{
    strategy::competitor::{CompetitorChanges, CompetitorProfile},
    strategy::market::{MarketTrendChanges, NewMarketTrend},
};

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

/// A new competitor.
#[derive(Debug, InputObject)]
pub struct CreateCompetitorInput {
    /// Global ID of the plan whose market analysis studies the competitor.
    pub plan_id: ID,
    /// Name (1 to 200 characters).
    pub name: String,
    /// Web site address, starting with http:// or https://.
    pub website: Option<String>,
    /// How it positions itself.
    pub positioning: Option<String>,
    /// Notes on its marketing strategy.
    pub strategy_notes: Option<String>,
    /// The levers it uses, in order (duplicates are dropped).
    #[graphql(default)]
    pub levers: Vec<Lever>,
    /// Its strengths (at most 50 items of 500 characters).
    #[graphql(default)]
    pub strengths: Vec<String>,
    /// Its weaknesses (at most 50 items of 500 characters).
    #[graphql(default)]
    pub weaknesses: Vec<String>,
}

impl CreateCompetitorInput {
    /// The name and the descriptive fields.
    pub fn into_profile(self) -> (String, CompetitorProfile) {
        (
            self.name,
            CompetitorProfile {
                website: self.website,
                positioning: self.positioning,
                strategy_notes: self.strategy_notes,
                levers: self.levers,
                strengths: self.strengths,
                weaknesses: self.weaknesses,
            },
        )
    }
}

/// Changes to a competitor; omitted fields stay as they are, null clears an optional one,
/// lists replace the current ones.
#[derive(Debug, InputObject)]
pub struct UpdateCompetitorInput {
    /// The competitor's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the competitor changed since.
    pub expected_version: i32,
    /// New name.
    pub name: Option<String>,
    /// New web site address.
    pub website: MaybeUndefined<String>,
    /// New positioning.
    pub positioning: MaybeUndefined<String>,
    /// New strategy notes.
    pub strategy_notes: MaybeUndefined<String>,
    /// New levers.
    pub levers: Option<Vec<Lever>>,
    /// New strengths.
    pub strengths: Option<Vec<String>>,
    /// New weaknesses.
    pub weaknesses: Option<Vec<String>>,
}

impl From<UpdateCompetitorInput> for CompetitorChanges {
    fn from(input: UpdateCompetitorInput) -> Self {
        Self {
            name: input.name,
            website: maybe(input.website),
            positioning: maybe(input.positioning),
            strategy_notes: maybe(input.strategy_notes),
            levers: input.levers,
            strengths: input.strengths,
            weaknesses: input.weaknesses,
        }
    }
}

/// The competitor to delete.
#[derive(Debug, InputObject)]
pub struct DeleteCompetitorInput {
    /// The competitor's global ID.
    pub id: ID,
}
