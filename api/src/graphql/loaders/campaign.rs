//! Loaders of campaign relations: filtered pages of campaigns per plan and their counts, and
//! each campaign's levers, personas, objectives and sub-campaigns.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{campaign, enums::Lever, objective, persona};
use uuid::Uuid;

use super::ReadScope;
use crate::{
    error::ApiError,
    store::{
        self,
        campaign::CampaignFilter,
        page::{Page, PageRequest},
    },
};

/// A page of a plan's campaigns: (plan, page request, filter).
pub type CampaignPageKey = (Uuid, PageRequest, CampaignFilter);

/// One page of a plan's matching campaigns. Keys that share a page request and a filter are
/// read in one statement.
pub struct CampaignPages(pub ReadScope);

impl Loader<CampaignPageKey> for CampaignPages {
    type Value = Page<campaign::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[CampaignPageKey],
    ) -> Result<HashMap<CampaignPageKey, Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let mut by_request: HashMap<(PageRequest, CampaignFilter), Vec<Uuid>> = HashMap::new();
        for (plan_id, request, filter) in keys {
            by_request
                .entry((*request, filter.clone()))
                .or_default()
                .push(*plan_id);
        }
        let mut pages = HashMap::with_capacity(keys.len());
        for ((request, filter), plan_ids) in by_request {
            for (plan_id, page) in
                store::campaign::pages_by_plan(&scope, &plan_ids, &filter, &request).await?
            {
                pages.insert((plan_id, request, filter.clone()), page);
            }
        }
        Ok(pages)
    }
}

/// How many matching campaigns each plan has: (plan, filter). Keys that share a filter are
/// counted in one statement.
pub struct CampaignCounts(pub ReadScope);

impl Loader<(Uuid, CampaignFilter)> for CampaignCounts {
    type Value = u64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, CampaignFilter)],
    ) -> Result<HashMap<(Uuid, CampaignFilter), Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let mut by_filter: HashMap<CampaignFilter, Vec<Uuid>> = HashMap::new();
        for (plan_id, filter) in keys {
            by_filter.entry(filter.clone()).or_default().push(*plan_id);
        }
        let mut counts = HashMap::with_capacity(keys.len());
        for (filter, plan_ids) in by_filter {
            for (plan_id, count) in
                store::campaign::counts_by_plan(&scope, &plan_ids, &filter).await?
            {
                counts.insert((plan_id, filter.clone()), count);
            }
        }
        Ok(counts)
    }
}

/// The sub-campaigns of each campaign.
pub struct CampaignChildren(pub ReadScope);

impl Loader<Uuid> for CampaignChildren {
    type Value = Vec<campaign::Model>;
    type Error = ApiError;

    async fn load(&self, campaign_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::campaign::children_by_parent(&self.0.clone()?, campaign_ids).await?)
    }
}

/// The objectives each campaign serves.
pub struct CampaignObjectives(pub ReadScope);

impl Loader<Uuid> for CampaignObjectives {
    type Value = Vec<objective::Model>;
    type Error = ApiError;

    async fn load(&self, campaign_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::campaign::objectives_by_campaign(&self.0.clone()?, campaign_ids).await?)
    }
}

/// The levers of each campaign.
pub struct CampaignLevers(pub ReadScope);

impl Loader<Uuid> for CampaignLevers {
    type Value = Vec<Lever>;
    type Error = ApiError;

    async fn load(&self, campaign_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::campaign::levers_by_campaign(&self.0.clone()?, campaign_ids).await?)
    }
}

/// The personas each campaign targets.
pub struct CampaignPersonas(pub ReadScope);

impl Loader<Uuid> for CampaignPersonas {
    type Value = Vec<std::sync::Arc<persona::Model>>;
    type Error = ApiError;

    async fn load(&self, campaign_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::campaign::personas_by_campaign(&self.0.clone()?, campaign_ids).await?)
    }
}
