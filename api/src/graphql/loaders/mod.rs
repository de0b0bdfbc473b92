//! DataLoaders: every nested field loads through one, so a request's statement count grows
//! with its depth, not with its rows. One loader per relation, keyed by id or parent id, bound
//! to the caller's tenant scope and created per request.
//!
//! A loader runs its batches in tasks of their own; each runs inside the span of the request
//! that created the loaders (which carries the request id), so that what a batch logs — an
//! internal error above all — can be traced back to its request like everything else.

pub mod action;
pub mod audit;
pub mod by_id;
pub mod calendar;
pub mod campaign;
pub mod comment;
pub mod content;
pub mod kpi;
pub mod lever;
pub mod objective;
pub mod plan;
pub mod review;
pub mod scenario;
pub mod share_link;
pub mod spend;
pub mod strategy;
pub mod tenant;

use async_graphql::dataloader::DataLoader;
use entity::{
    action as action_entity, api_key, brand, campaign as campaign_entity,
    comment as comment_entity, competitor, content_item, lever_allocation, lever_interaction,
    market_trend, measurement, objective as objective_entity, persona, pest_factor,
    plan as plan_entity, plan_review_event, scenario as scenario_entity, segment,
    share_link as share_link_entity, swot_item,
};
use futures::future::BoxFuture;
use sea_orm::DatabaseConnection;
use tracing::{Instrument, Span};

use crate::error::ApiError;
use crate::{auth::Permission, domain::Session, observability::statements, store::Scoped};

/// The read scope a loader works in, or why the caller may not read.
pub type ReadScope = Result<Scoped<DatabaseConnection>, ApiError>;

/// A DataLoader spawner that runs each batch in a task inside `span`, its statements counted
/// for the request that loads (`observability::statements`).
fn spawner_in(span: Span) -> impl Fn(BoxFuture<'static, ()>) + Send + Sync + 'static {
    move |batch| {
        tokio::spawn(statements::carried(batch.instrument(span.clone())));
    }
}

/// All loaders of one request.
pub struct Loaders {
    /// Plans by id.
    pub plan: DataLoader<by_id::ById<plan_entity::Entity>>,
    /// Personas by id.
    pub persona: DataLoader<by_id::ById<persona::Entity>>,
    /// Campaigns by id.
    pub campaign: DataLoader<by_id::ById<campaign_entity::Entity>>,
    /// Objectives by id.
    pub objective: DataLoader<by_id::ById<objective_entity::Entity>>,
    /// Personas targeted by each plan.
    pub plan_personas: DataLoader<plan::PlanPersonas>,
    /// The currency of each plan.
    pub plan_currency: DataLoader<plan::PlanCurrencies>,
    /// A page of campaigns per plan.
    pub plan_campaigns: DataLoader<campaign::CampaignPages>,
    /// Number of campaigns per plan.
    pub plan_campaign_counts: DataLoader<campaign::CampaignCounts>,
    /// Levers of each campaign.
    pub campaign_levers: DataLoader<campaign::CampaignLevers>,
    /// Personas targeted by each campaign.
    pub campaign_personas: DataLoader<campaign::CampaignPersonas>,
    /// Sub-campaigns of each campaign.
    pub campaign_children: DataLoader<campaign::CampaignChildren>,
    /// Objectives served by each campaign.
    pub campaign_objectives: DataLoader<campaign::CampaignObjectives>,
    /// Lever allocations by id.
    pub lever_allocation: DataLoader<by_id::ById<lever_allocation::Entity>>,
    /// Lever interactions by id.
    pub lever_interaction: DataLoader<by_id::ById<lever_interaction::Entity>>,
    /// Lever allocations of each plan.
    pub plan_lever_allocations: DataLoader<lever::PlanLeverAllocations>,
    /// Lever interactions of each plan.
    pub plan_lever_interactions: DataLoader<lever::PlanLeverInteractions>,
    /// Allocation and campaign budget totals of each plan.
    pub plan_budget_totals: DataLoader<lever::PlanBudgetTotals>,
    /// Objectives of each plan.
    pub plan_objectives: DataLoader<objective::PlanObjectives>,
    /// KPI definitions by key.
    pub kpi_by_key: DataLoader<kpi::KpiByKey>,
    /// KPI definitions by id.
    pub kpi_by_id: DataLoader<kpi::KpiById>,
    /// The caller's tenant, by id.
    pub tenant: DataLoader<tenant::CurrentTenant>,
    /// Market trends by id.
    pub market_trend: DataLoader<by_id::ById<market_trend::Entity>>,
    /// Competitors by id.
    pub competitor: DataLoader<by_id::ById<competitor::Entity>>,
    /// SWOT items by id.
    pub swot_item: DataLoader<by_id::ById<swot_item::Entity>>,
    /// PEST factors by id.
    pub pest_factor: DataLoader<by_id::ById<pest_factor::Entity>>,
    /// Brands by id.
    pub brand: DataLoader<by_id::ById<brand::Entity>>,
    /// Segments by id.
    pub segment: DataLoader<by_id::ById<segment::Entity>>,
    /// Market trends of each plan.
    pub plan_market_trends: DataLoader<strategy::PlanRows<market_trend::Entity>>,
    /// Competitors of each plan.
    pub plan_competitors: DataLoader<strategy::PlanRows<competitor::Entity>>,
    /// SWOT items of each plan.
    pub plan_swot_items: DataLoader<strategy::PlanRows<swot_item::Entity>>,
    /// PEST factors of each plan.
    pub plan_pest_factors: DataLoader<strategy::PlanRows<pest_factor::Entity>>,
    /// Segments of each plan.
    pub plan_segments: DataLoader<strategy::PlanRows<segment::Entity>>,
    /// The brand of each plan.
    pub plan_brand: DataLoader<strategy::PlanBrand>,
    /// The marketing-mix entries of each plan.
    pub plan_marketing_mix: DataLoader<strategy::PlanMarketingMix>,
    /// Measurements by id.
    pub measurement: DataLoader<by_id::ById<measurement::Entity>>,
    /// API keys by id (ADMIN only).
    pub api_key: DataLoader<by_id::ById<api_key::Entity>>,
    /// Personas of each segment.
    pub segment_personas: DataLoader<strategy::SegmentPersonas>,
    /// Segments of each persona.
    pub persona_segments: DataLoader<strategy::PersonaSegments>,
    /// Actions by id.
    pub action: DataLoader<by_id::ById<action_entity::Entity>>,
    /// A page of actions per plan or campaign.
    pub action_pages: DataLoader<action::ActionPages>,
    /// Number of matching actions per plan or campaign.
    pub action_counts: DataLoader<action::ActionCounts>,
    /// Content items by id.
    pub content_item: DataLoader<by_id::ById<content_item::Entity>>,
    /// A page of content items per plan.
    pub content_pages: DataLoader<content::ContentPages>,
    /// Number of matching content items per plan.
    pub content_counts: DataLoader<content::ContentCounts>,
    /// All actions of each plan, in calendar order.
    pub plan_calendar_actions: DataLoader<calendar::PlanCalendarActions>,
    /// All campaigns of each plan, by start date.
    pub plan_calendar_campaigns: DataLoader<calendar::PlanCalendarCampaigns>,
    /// Sums of each plan's actions per month, campaign, action type or lever.
    pub plan_action_sums: DataLoader<calendar::PlanActionSums>,
    /// Current value, progress and pace of objectives.
    pub objective_statuses: DataLoader<objective::ObjectiveStatuses>,
    /// Scenarios by id.
    pub scenario: DataLoader<by_id::ById<scenario_entity::Entity>>,
    /// Scenarios of each plan.
    pub plan_scenarios: DataLoader<scenario::PlanScenarios>,
    /// Budget overrides of each scenario.
    pub scenario_budgets: DataLoader<scenario::ScenarioBudgets>,
    /// Comments by id.
    pub comment: DataLoader<by_id::ById<comment_entity::Entity>>,
    /// A page of each object's audit history (ADMIN only).
    pub audit_history: DataLoader<audit::AuditHistoryPages>,
    /// Number of audit entries of each object (ADMIN only).
    pub audit_history_counts: DataLoader<audit::AuditHistoryCounts>,
    /// A page of threads per commented object.
    pub comment_threads: DataLoader<comment::CommentThreads>,
    /// Number of threads per commented object.
    pub comment_thread_counts: DataLoader<comment::CommentThreadCounts>,
    /// A page of replies per thread.
    pub comment_replies: DataLoader<comment::CommentReplies>,
    /// Number of replies per thread.
    pub comment_reply_counts: DataLoader<comment::CommentReplyCounts>,
    /// Review events of each plan, oldest first.
    pub plan_review_events: DataLoader<review::PlanReviewEvents>,
    /// Review events by id.
    pub plan_review_event: DataLoader<by_id::ById<plan_review_event::Entity>>,
    /// Plans' measured spend in the reporting currency, by plan (needs READ_KPIS).
    pub plan_spend: DataLoader<spend::PlanSpend>,
    /// Share links by id (EDITOR).
    pub share_link: DataLoader<by_id::ById<share_link_entity::Entity>>,
    /// Share links of each plan (EDITOR).
    pub plan_share_links: DataLoader<share_link::PlanShareLinks>,
}

impl Loaders {
    /// The loaders of a request by `session`. Each loader holds the scope of the permission
    /// its rows need, so the policy decides for nested fields exactly as for root fields (an API
    /// key without READ_PLANS reads no plan row through any of them). Their batches run in
    /// `request_span`, the span of the request.
    pub fn new_in(session: &Session, request_span: Span) -> Self {
        let scope_for = |permission: Permission| -> ReadScope {
            session.scope(permission).map_err(ApiError::from)
        };
        let scope = scope_for(Permission::ReadPlan);
        let kpi_scope = scope_for(Permission::ReadCatalogue);
        let spawn = || spawner_in(request_span.clone());
        Self {
            plan: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            persona: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            campaign: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            objective: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            plan_personas: DataLoader::new(plan::PlanPersonas(scope.clone()), spawn()),
            plan_currency: DataLoader::new(plan::PlanCurrencies(scope.clone()), spawn()),
            plan_campaigns: DataLoader::new(campaign::CampaignPages(scope.clone()), spawn()),
            plan_campaign_counts: DataLoader::new(campaign::CampaignCounts(scope.clone()), spawn()),
            campaign_levers: DataLoader::new(campaign::CampaignLevers(scope.clone()), spawn()),
            campaign_personas: DataLoader::new(campaign::CampaignPersonas(scope.clone()), spawn()),
            campaign_children: DataLoader::new(campaign::CampaignChildren(scope.clone()), spawn()),
            campaign_objectives: DataLoader::new(
                campaign::CampaignObjectives(scope.clone()),
                spawn(),
            ),
            lever_allocation: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            lever_interaction: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            plan_lever_allocations: DataLoader::new(
                lever::PlanLeverAllocations(scope.clone()),
                spawn(),
            ),
            plan_lever_interactions: DataLoader::new(
                lever::PlanLeverInteractions(scope.clone()),
                spawn(),
            ),
            plan_budget_totals: DataLoader::new(lever::PlanBudgetTotals(scope.clone()), spawn()),
            plan_objectives: DataLoader::new(objective::PlanObjectives(scope.clone()), spawn()),
            kpi_by_key: DataLoader::new(kpi::KpiByKey(kpi_scope.clone()), spawn()),
            kpi_by_id: DataLoader::new(kpi::KpiById(kpi_scope), spawn()),
            market_trend: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            competitor: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            swot_item: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            pest_factor: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            brand: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            segment: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            plan_market_trends: DataLoader::new(strategy::PlanRows::new(scope.clone()), spawn()),
            plan_competitors: DataLoader::new(strategy::PlanRows::new(scope.clone()), spawn()),
            plan_swot_items: DataLoader::new(strategy::PlanRows::new(scope.clone()), spawn()),
            plan_pest_factors: DataLoader::new(strategy::PlanRows::new(scope.clone()), spawn()),
            plan_segments: DataLoader::new(strategy::PlanRows::new(scope.clone()), spawn()),
            plan_brand: DataLoader::new(strategy::PlanBrand(scope.clone()), spawn()),
            plan_marketing_mix: DataLoader::new(strategy::PlanMarketingMix(scope.clone()), spawn()),
            segment_personas: DataLoader::new(strategy::SegmentPersonas(scope.clone()), spawn()),
            persona_segments: DataLoader::new(strategy::PersonaSegments(scope.clone()), spawn()),
            action: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            action_pages: DataLoader::new(action::ActionPages(scope.clone()), spawn()),
            action_counts: DataLoader::new(action::ActionCounts(scope.clone()), spawn()),
            content_item: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            content_pages: DataLoader::new(content::ContentPages(scope.clone()), spawn()),
            content_counts: DataLoader::new(content::ContentCounts(scope.clone()), spawn()),
            measurement: DataLoader::new(
                by_id::ById::new(scope_for(Permission::ReadKpis)),
                spawn(),
            ),
            api_key: DataLoader::new(
                by_id::ById::new(scope_for(Permission::ManageApiKeys)),
                spawn(),
            ),
            tenant: DataLoader::new(
                tenant::CurrentTenant(scope_for(Permission::ReadTenant)),
                spawn(),
            ),
            plan_calendar_actions: DataLoader::new(
                calendar::PlanCalendarActions(scope.clone()),
                spawn(),
            ),
            plan_calendar_campaigns: DataLoader::new(
                calendar::PlanCalendarCampaigns(scope.clone()),
                spawn(),
            ),
            plan_action_sums: DataLoader::new(calendar::PlanActionSums(scope.clone()), spawn()),
            objective_statuses: DataLoader::new(
                objective::ObjectiveStatuses(session.clone()),
                spawn(),
            ),
            scenario: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            plan_scenarios: DataLoader::new(scenario::PlanScenarios(scope.clone()), spawn()),
            scenario_budgets: DataLoader::new(scenario::ScenarioBudgets(scope.clone()), spawn()),
            comment: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            comment_threads: DataLoader::new(comment::CommentThreads(scope.clone()), spawn()),
            audit_history: DataLoader::new(
                audit::AuditHistoryPages(scope_for(Permission::ReadAudit)),
                spawn(),
            ),
            audit_history_counts: DataLoader::new(
                audit::AuditHistoryCounts(scope_for(Permission::ReadAudit)),
                spawn(),
            ),
            comment_thread_counts: DataLoader::new(
                comment::CommentThreadCounts(scope.clone()),
                spawn(),
            ),
            comment_replies: DataLoader::new(comment::CommentReplies(scope.clone()), spawn()),
            comment_reply_counts: DataLoader::new(
                comment::CommentReplyCounts(scope.clone()),
                spawn(),
            ),
            plan_review_events: DataLoader::new(review::PlanReviewEvents(scope.clone()), spawn()),
            plan_review_event: DataLoader::new(by_id::ById::new(scope.clone()), spawn()),
            plan_spend: DataLoader::new(spend::PlanSpend(scope_for(Permission::ReadKpis)), spawn()),
            share_link: DataLoader::new(by_id::ById::new(scope_for(Permission::EditPlan)), spawn()),
            plan_share_links: DataLoader::new(
                share_link::PlanShareLinks(scope_for(Permission::EditPlan)),
                spawn(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::{
        collections::HashMap,
        sync::{Arc, Mutex},
    };

    use async_graphql::dataloader::{DataLoader, Loader};
    use tracing::{Instrument, Span, span};

    use super::spawner_in;

    /// A loader that records the span its batch runs in.
    struct SpanProbe(Arc<Mutex<Vec<Option<span::Id>>>>);

    impl Loader<u32> for SpanProbe {
        type Value = u32;
        type Error = String;

        async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, u32>, String> {
            if let Ok(mut seen) = self.0.lock() {
                seen.push(Span::current().id());
            }
            Ok(keys.iter().map(|key| (*key, *key)).collect())
        }
    }

    #[tokio::test]
    async fn a_loader_batch_runs_in_the_span_of_the_request_that_created_the_loader() {
        // Spans only get ids under a subscriber; this one is this thread's, where the
        // current-thread runtime also runs the spawned batches.
        let _subscriber = tracing::subscriber::set_default(tracing_subscriber::registry());
        let request = tracing::info_span!("request", request_id = "r-1");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let loader = {
            let _in_request = request.enter();
            DataLoader::new(SpanProbe(seen.clone()), spawner_in(Span::current()))
        };
        let loaded = async { loader.load_one(7).await }
            .instrument(request.clone())
            .await;
        assert_eq!(loaded, Ok(Some(7)));
        let seen = seen.lock().map(|seen| seen.clone()).unwrap_or_default();
        assert!(request.id().is_some());
        assert_eq!(seen, vec![request.id()]);
    }
}
