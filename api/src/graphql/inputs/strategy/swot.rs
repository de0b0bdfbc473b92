//! Inputs of the SWOT mutations.

use async_graphql::{ID, InputObject};
use entity::strategy_enums::SwotQuadrant;

use crate::domain::strategy::swot::SwotItemChanges;

/// A new SWOT item.
#[derive(Debug, InputObject)]
pub struct CreateSwotItemInput {
    /// Global ID of the plan whose SWOT analysis holds the item.
    pub plan_id: ID,
    /// Strength, weakness, opportunity or threat.
    pub quadrant: SwotQuadrant,
    /// The item in one sentence (1 to 1000 characters).
    pub statement: String,
    /// Impact, 1 (low) to 5 (high).
    pub impact: i32,
}

/// Changes to a SWOT item; omitted fields stay as they are.
#[derive(Debug, InputObject)]
pub struct UpdateSwotItemInput {
    /// The item's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the item changed since.
    pub expected_version: i32,
    /// New quadrant.
    pub quadrant: Option<SwotQuadrant>,
    /// New statement.
    pub statement: Option<String>,
    /// New impact, 1 to 5.
    pub impact: Option<i32>,
}

impl From<UpdateSwotItemInput> for SwotItemChanges {
    fn from(input: UpdateSwotItemInput) -> Self {
        Self {
            quadrant: input.quadrant,
            statement: input.statement,
            impact: input.impact,
        }
    }
}

/// The SWOT item to delete.
#[derive(Debug, InputObject)]
pub struct DeleteSwotItemInput {
    /// The item's global ID.
    pub id: ID,
}
