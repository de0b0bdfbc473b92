//! GraphQL object types, in one folder per aggregate as in `domain/` (plan, kpi, strategy,
//! campaign, lever); each wraps a row or a domain result and translates its fields.

pub mod api_key;
pub mod attribution;
pub mod audit;
pub mod campaign;
pub mod change;
pub mod comment;
pub mod exchange_rate;
pub mod external_ref;
pub mod kpi;
pub mod lever;
pub mod plan;
pub mod share_link;
pub mod strategy;
pub mod tenant;
pub mod viewer;
pub mod webhook;

pub use api_key::{ApiKey, ApiKeyConnection};
pub use attribution::{AttributionReport, AttributionRow};
pub use audit::{AuditEvent, AuditEventConnection, AuditHistory};
pub use campaign::action::{Action, ActionConnection};
pub use campaign::content::{ContentItem, ContentItemConnection};
pub use campaign::{Campaign, CampaignConnection};
pub use comment::{Comment, CommentConnection, Commented};
pub use exchange_rate::{ExchangeRate, ExchangeRateConnection};
pub use kpi::catalogue::KpiDefinition;
pub use kpi::feed::{MeasurementChange, MeasurementEvent};
pub use kpi::measurement::{Measurement, MeasurementConnection};
pub use kpi::{point_list::KpiPoints, series::KpiPoint};
pub use lever::LeverAllocation;
pub use lever::interaction::LeverInteraction;
pub use plan::arbitrage::ArbitrageProposal;
pub use plan::budget::{PlanBudgetCheck, PlanWarning};
pub use plan::budget_report::BudgetReport;
pub use plan::calendar::{CalendarGroup, CalendarGrouping};
pub use plan::objective::Objective;
pub use plan::review::{PlanReview, PlanReviewEvent, ReviewState};
pub use plan::scenario::{Scenario, ScenarioComparison};
pub use plan::{Plan, PlanConnection};
pub use share_link::ShareLink;
pub use strategy::brand::Brand;
pub use strategy::competitor::Competitor;
pub use strategy::market::MarketTrend;
pub use strategy::mix::MarketingMixEntry;
pub use strategy::persona::{Persona, PersonaConnection};
pub use strategy::pest::PestFactor;
pub use strategy::segment::Segment;
pub use strategy::swot::SwotItem;
pub use tenant::Tenant;
pub use viewer::{Role, Viewer};
pub use webhook::{
    WebhookDelivery, WebhookDeliveryConnection, WebhookEndpoint, WebhookEndpointConnection,
};
