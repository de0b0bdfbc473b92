//! The mutation root, merged from one object per aggregate.

pub mod action;
pub mod analysis;
pub mod api_key;
pub mod arbitrage;
pub mod attribution;
pub mod brand;
pub mod campaign;
pub mod content;
pub mod kpi;
pub mod lever;
pub mod market;
pub mod measurement;
pub mod objective;
pub mod persona;
pub mod plan;
pub mod plan_copy;
pub mod segment;
pub mod tenant;

use async_graphql::MergedObject;

/// Everything a client can change. Each mutation takes one `input` and returns a payload with
/// the changed object and `userErrors`; with user errors, nothing was written.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    plan::PlanMutation,
    persona::PersonaMutation,
    campaign::CampaignMutation,
    objective::ObjectiveMutation,
    market::MarketMutation,
    analysis::AnalysisMutation,
    brand::BrandMutation,
    segment::SegmentMutation,
    lever::LeverMutation,
    action::ActionMutation,
    content::ContentMutation,
    api_key::ApiKeyMutation,
    arbitrage::ArbitrageMutation,
    plan_copy::PlanCopyMutation,
    attribution::AttributionMutation,
    measurement::MeasurementMutation,
    tenant::TenantMutation,
    kpi::KpiMutation,
);
