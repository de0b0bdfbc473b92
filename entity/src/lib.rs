//! SeaORM entities of Levier, one module per table.
//!
//! Every tenant-owned table has a composite primary key `(tenant_id, id)` and implements
//! [`TenantOwned`], which is how the API's store scopes each statement to one tenant.
//! Enums are stored as strings so that SQLite and PostgreSQL behave the same.

pub mod action;
pub mod action_enums;
pub mod api_key;
pub mod api_key_enums;
pub mod brand;
pub mod campaign;
pub mod campaign_lever;
pub mod campaign_objective;
pub mod campaign_persona;
pub mod comment;
pub mod competitor;
pub mod content_item;
pub mod conversion;
pub mod enums;
pub mod exchange_rate;
pub mod json_lists;
pub mod kpi_definition;
pub mod lever_allocation;
pub mod lever_enums;
pub mod lever_interaction;
pub mod market_trend;
pub mod marketing_mix_entry;
pub mod measurement;
pub mod objective;
pub mod persona;
pub mod persona_segment;
pub mod pest_factor;
pub mod plan;
pub mod plan_persona;
pub mod plan_review_event;
pub mod review_enums;
pub mod scenario;
pub mod scenario_budget;
pub mod segment;
pub mod share_link;
pub mod strategy_enums;
pub mod swot_item;
pub mod tenant;
pub mod tenant_kpi_definition;
pub mod tenant_owned;
pub mod touchpoint;

pub use tenant_owned::{ExternallyReferenced, Identified, Stamps, TenantOwned, Versioned};
