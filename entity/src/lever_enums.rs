//! Enumerations of the lever area (allocations and interactions), stored as strings.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// How one lever affects another within a plan.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum LeverInteractionKind {
    /// The two levers reinforce each other (SEO and SEA on the same keywords).
    #[sea_orm(string_value = "SYNERGY")]
    Synergy,
    /// The first lever takes results from the second (paid search eating organic clicks).
    #[sea_orm(string_value = "CANNIBALIZATION")]
    Cannibalization,
    /// The first lever needs the second to work (social ads need social media content).
    #[sea_orm(string_value = "DEPENDENCY")]
    Dependency,
}
