//! Inputs of the competitor mutations.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums::Lever;

use crate::domain::strategy::competitor::{CompetitorChanges, CompetitorProfile};
use crate::graphql::inputs::plan::maybe;

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
