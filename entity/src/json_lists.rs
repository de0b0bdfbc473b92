//! List-valued columns stored as JSON (PostgreSQL `jsonb`, SQLite text).

use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

use crate::enums::Lever;

/// A list of free-text items (motivations, needs, pain points…).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct StringList(pub Vec<String>);

/// A list of levers, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct LeverList(pub Vec<Lever>);
