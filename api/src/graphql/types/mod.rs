//! GraphQL object types, one file per type; each wraps a row and translates its fields.

pub mod api_key;
pub mod brand;
pub mod campaign;
pub mod competitor;
pub mod kpi_definition;
pub mod market_trend;
pub mod marketing_mix;
pub mod objective;
pub mod persona;
pub mod pest_factor;
pub mod plan;
pub mod segment;
pub mod swot_item;
pub mod tenant;
pub mod viewer;

pub use api_key::{ApiKey, ApiKeyConnection};
pub use brand::Brand;
pub use campaign::{Campaign, CampaignConnection};
pub use competitor::Competitor;
pub use kpi_definition::KpiDefinition;
pub use market_trend::MarketTrend;
pub use marketing_mix::MarketingMixEntry;
pub use objective::Objective;
pub use persona::{Persona, PersonaConnection};
pub use pest_factor::PestFactor;
pub use plan::{Plan, PlanConnection};
pub use segment::Segment;
pub use swot_item::SwotItem;
pub use tenant::Tenant;
pub use viewer::{Role, Viewer};
