//! DataLoaders: every nested field loads through one, so a request's statement count grows
//! with its depth, not with its rows. One loader per relation, keyed by id or parent id, bound
//! to the caller's tenant scope and created per request.

pub mod action;
pub mod by_id;
pub mod campaign;
pub mod content;
pub mod kpi;
pub mod objective;
pub mod plan;
pub mod tenant;

use async_graphql::dataloader::DataLoader;
use entity::{
    action as action_entity, campaign as campaign_entity, content_item,
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
    /// Objectives of each plan.
    pub plan_objectives: DataLoader<objective::PlanObjectives>,
    /// KPI definitions by key.
    pub kpi_by_key: DataLoader<kpi::KpiByKey>,
    /// KPI definitions by id.
    pub kpi_by_id: DataLoader<kpi::KpiById>,
    /// The caller's tenant, by id.
    pub tenant: DataLoader<tenant::CurrentTenant>,
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
            plan_objectives: DataLoader::new(objective::PlanObjectives(scope.clone()), spawn),
            kpi_by_key: DataLoader::new(kpi::KpiByKey(scope.clone()), spawn),
            kpi_by_id: DataLoader::new(kpi::KpiById(scope.clone()), spawn),
            action: DataLoader::new(by_id::ById::new(scope.clone()), spawn),
            action_pages: DataLoader::new(action::ActionPages(scope.clone()), spawn),
            action_counts: DataLoader::new(action::ActionCounts(scope.clone()), spawn),
            content_item: DataLoader::new(by_id::ById::new(scope.clone()), spawn),
            content_pages: DataLoader::new(content::ContentPages(scope.clone()), spawn),
            content_counts: DataLoader::new(content::ContentCounts(scope.clone()), spawn),
            tenant: DataLoader::new(tenant::CurrentTenant(scope), spawn),
        }
    }
}
