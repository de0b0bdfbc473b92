//! DataLoaders: every nested field loads through one, so a request's statement count grows
//! with its depth, not with its rows. One loader per relation, keyed by id or parent id, bound
//! to the caller's tenant scope and created per request.

pub mod by_id;
pub mod campaign;
pub mod kpi;
pub mod lever;
pub mod objective;
pub mod plan;
pub mod tenant;

use async_graphql::dataloader::DataLoader;
use entity::{
    campaign as campaign_entity, lever_allocation, lever_interaction,
    objective as objective_entity, persona, plan as plan_entity,
};
use sea_orm::DatabaseConnection;

use super::errors::ApiError;
use crate::{auth::Permission, domain::Session, store::Scoped};

/// The read scope a loader works in, or why the caller may not read.
pub type ReadScope = Result<Scoped<DatabaseConnection>, ApiError>;

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
}

impl Loaders {
    /// The loaders of a request by `session`.
    pub fn new(session: &Session) -> Self {
        let scope: ReadScope = session.scope(Permission::ReadPlan).map_err(ApiError::from);
        let spawn = |future| tokio::spawn(future);
        Self {
            plan: DataLoader::new(by_id::ById::new(scope.clone()), spawn),
            persona: DataLoader::new(by_id::ById::new(scope.clone()), spawn),
            campaign: DataLoader::new(by_id::ById::new(scope.clone()), spawn),
            objective: DataLoader::new(by_id::ById::new(scope.clone()), spawn),
            plan_personas: DataLoader::new(plan::PlanPersonas(scope.clone()), spawn),
            plan_campaigns: DataLoader::new(campaign::CampaignPages(scope.clone()), spawn),
            plan_campaign_counts: DataLoader::new(campaign::CampaignCounts(scope.clone()), spawn),
            campaign_levers: DataLoader::new(campaign::CampaignLevers(scope.clone()), spawn),
            campaign_personas: DataLoader::new(campaign::CampaignPersonas(scope.clone()), spawn),
            campaign_children: DataLoader::new(campaign::CampaignChildren(scope.clone()), spawn),
            campaign_objectives: DataLoader::new(
                campaign::CampaignObjectives(scope.clone()),
                spawn,
            ),
            lever_allocation: DataLoader::new(by_id::ById::new(scope.clone()), spawn),
            lever_interaction: DataLoader::new(by_id::ById::new(scope.clone()), spawn),
            plan_lever_allocations: DataLoader::new(
                lever::PlanLeverAllocations(scope.clone()),
                spawn,
            ),
            plan_lever_interactions: DataLoader::new(
                lever::PlanLeverInteractions(scope.clone()),
                spawn,
            ),
            plan_budget_totals: DataLoader::new(lever::PlanBudgetTotals(scope.clone()), spawn),
            plan_objectives: DataLoader::new(objective::PlanObjectives(scope.clone()), spawn),
            kpi_by_key: DataLoader::new(kpi::KpiByKey(scope.clone()), spawn),
            kpi_by_id: DataLoader::new(kpi::KpiById(scope.clone()), spawn),
            tenant: DataLoader::new(tenant::CurrentTenant(scope), spawn),
        }
    }
}
