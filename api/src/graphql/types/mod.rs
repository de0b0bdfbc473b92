//! GraphQL object types, one file per type; each wraps a row and translates its fields.

pub mod action;
pub mod campaign;
pub mod content_item;
pub mod kpi_definition;
pub mod objective;
pub mod persona;
pub mod plan;
pub mod tenant;
pub mod viewer;

pub use action::{Action, ActionConnection};
pub use campaign::{Campaign, CampaignConnection};
pub use content_item::{ContentItem, ContentItemConnection};
pub use kpi_definition::KpiDefinition;
pub use objective::Objective;
pub use persona::{Persona, PersonaConnection};
pub use plan::{Plan, PlanConnection};
pub use tenant::Tenant;
pub use viewer::{Role, Viewer};
