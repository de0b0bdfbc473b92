//! Enumerations of API keys, stored as strings.

use sea_orm::{FromJsonQueryResult, entity::prelude::*};
use serde::{Deserialize, Serialize};

/// What an API key may do within its tenant. A key holds one or more scopes and nothing else:
/// it never edits or deletes the plan and never manages keys.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ApiKeyScope {
    /// Read the KPI catalogue and KPI series (BI tools).
    #[sea_orm(string_value = "READ_KPIS")]
    #[serde(rename = "READ_KPIS")]
    ReadKpis,
    /// Write measurements of KPIs (ingestion scripts).
    #[sea_orm(string_value = "WRITE_MEASUREMENTS")]
    #[serde(rename = "WRITE_MEASUREMENTS")]
    WriteMeasurements,
    /// Read plans and everything in them.
    #[sea_orm(string_value = "READ_PLANS")]
    #[serde(rename = "READ_PLANS")]
    ReadPlans,
}

/// The scopes of an API key, stored as a JSON list of their names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct ApiKeyScopeList(pub Vec<ApiKeyScope>);
