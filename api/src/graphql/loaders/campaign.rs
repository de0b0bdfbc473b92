//! Loaders of campaign relations: pages of campaigns per plan, their counts, levers and personas.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{campaign, enums::Lever, persona};
use uuid::Uuid;

use super::ReadScope;
use crate::{
    graphql::errors::ApiError,
    store::{
        self,
        page::{Page, PageRequest},
    },
};

/// One page of a plan's campaigns. Keys that share a page request are read in one statement.
pub struct CampaignPages(pub ReadScope);

impl Loader<(Uuid, PageRequest)> for CampaignPages {
    type Value = Page<campaign::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, PageRequest)],
    ) -> Result<HashMap<(Uuid, PageRequest), Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let mut by_request: HashMap<PageRequest, Vec<Uuid>> = HashMap::new();
        for (plan_id, request) in keys {
            by_request.entry(*request).or_default().push(*plan_id);
        }
        let mut pages = HashMap::with_capacity(keys.len());
        for (request, plan_ids) in by_request {
            for (plan_id, page) in
                store::campaign::pages_by_plan(&scope, &plan_ids, &request).await?
            {
                pages.insert((plan_id, request), page);
            }
        }
        Ok(pages)
    }
}

/// How many campaigns each plan has.
pub struct CampaignCounts(pub ReadScope);

impl Loader<Uuid> for CampaignCounts {
    type Value = u64;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::campaign::counts_by_plan(&self.0.clone()?, plan_ids).await?)
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
    type Value = Vec<persona::Model>;
    type Error = ApiError;

    async fn load(&self, campaign_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::campaign::personas_by_campaign(&self.0.clone()?, campaign_ids).await?)
    }
}
