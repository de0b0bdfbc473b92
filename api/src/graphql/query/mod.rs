//! The query root, merged from one object per aggregate.

pub mod action;
pub mod api_key;
pub mod arbitrage;
pub mod attribution;
pub mod campaign;
pub mod kpi;
pub mod measurement;
pub mod node;
pub mod persona;
pub mod plan;
pub mod viewer;

use async_graphql::MergedObject;

/// Everything a client can read.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    viewer::ViewerQuery,
    node::NodeQuery,
    plan::PlanQuery,
    campaign::CampaignQuery,
    persona::PersonaQuery,
    kpi::KpiQuery,
    action::ActionQuery,
    api_key::ApiKeyQuery,
    arbitrage::ArbitrageQuery,
    attribution::AttributionQuery,
    measurement::MeasurementQuery,
);
