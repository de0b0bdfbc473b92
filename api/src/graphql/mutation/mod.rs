//! The mutation root, merged from one object per concept, in one folder per aggregate as in
//! `domain/`.

pub mod api_key;
pub mod attribution;
pub mod campaign;
pub mod comment;
pub mod exchange_rate;
pub mod kpi;
pub mod lever;
pub mod plan;
pub mod share_link;
pub mod strategy;
pub mod tenant;
pub mod webhook;

use async_graphql::MergedObject;

/// Everything a client can change. Each mutation takes one `input` and returns a payload with
/// the changed object and `userErrors`; with user errors, nothing was written.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    plan::PlanMutation,
    strategy::persona::PersonaMutation,
    campaign::CampaignMutation,
    plan::objective::ObjectiveMutation,
    strategy::market::MarketMutation,
    strategy::competitor::CompetitorMutation,
    strategy::swot::SwotMutation,
    strategy::pest::PestMutation,
    strategy::brand::BrandMutation,
    strategy::mix::MixMutation,
    strategy::segment::SegmentMutation,
    lever::LeverMutation,
    lever::interaction::LeverInteractionMutation,
    campaign::action::ActionMutation,
    campaign::content::ContentMutation,
    api_key::ApiKeyMutation,
    plan::arbitrage::ArbitrageMutation,
    plan::copy::PlanCopyMutation,
    attribution::AttributionMutation,
    kpi::measurement::MeasurementMutations,
    tenant::TenantMutation,
    kpi::custom::KpiMutation,
    plan::scenario::ScenarioMutation,
    comment::CommentMutation,
    plan::review::PlanReviewMutation,
    exchange_rate::ExchangeRateMutation,
    share_link::ShareLinkMutation,
    webhook::WebhookMutation,
);
