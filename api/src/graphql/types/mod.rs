//! GraphQL object types, one file per type; each wraps a row and translates its fields.

pub mod campaign;
pub mod kpi_definition;
pub mod lever_allocation;
pub mod lever_interaction;
pub mod objective;
pub mod persona;
pub mod plan;
pub mod plan_budget;
pub mod tenant;
pub mod viewer;

pub use campaign::{Campaign, CampaignConnection};
pub use kpi_definition::KpiDefinition;
pub use lever_allocation::LeverAllocation;
pub use lever_interaction::LeverInteraction;
pub use objective::Objective;
pub use persona::{Persona, PersonaConnection};
pub use plan::{Plan, PlanConnection};
pub use plan_budget::{PlanBudgetCheck, PlanWarning};
pub use tenant::Tenant;
pub use viewer::{Role, Viewer};
