//! The query root, merged from one object per aggregate (folders as in `domain/`).

pub mod api_key;
pub mod attribution;
pub mod audit;
pub mod campaign;
pub mod change;
pub mod exchange_rate;
pub mod kpi;
pub mod node;
pub mod plan;
pub mod strategy;
pub mod viewer;
pub mod webhook;

use async_graphql::MergedObject;

/// Everything a client can read.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    viewer::ViewerQuery,
    node::NodeQuery,
    plan::PlanListQuery,
    plan::PlanQuery,
    campaign::CampaignQuery,
    strategy::persona::PersonaQuery,
    kpi::KpiQuery,
    campaign::action::ActionQuery,
    api_key::ApiKeyQuery,
    plan::arbitrage::ArbitrageQuery,
    attribution::AttributionQuery,
    kpi::measurement::MeasurementQuery,
    kpi::series::SeriesQuery,
    plan::scenario::ScenarioQuery,
    exchange_rate::ExchangeRateQuery,
    audit::AuditQuery,
    webhook::WebhookQuery,
    change::ChangeFeedQuery,
);
