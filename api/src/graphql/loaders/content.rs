//! Loaders of the content plan: a page of content items per plan, and their counts. Keys that
//! share a filter and page request are read in one statement.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::content_item;
use uuid::Uuid;

use super::ReadScope;
use crate::{
    error::ApiError,
    store::{
        self,
        campaign::content::ContentFilter,
        page::{OrderedPageRequest, Page},
    },
};

/// One page of a plan's content items.
pub struct ContentPages(pub ReadScope);

impl Loader<(Uuid, ContentFilter, OrderedPageRequest)> for ContentPages {
    type Value = Page<content_item::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, ContentFilter, OrderedPageRequest)],
    ) -> Result<HashMap<(Uuid, ContentFilter, OrderedPageRequest), Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let mut by_shape: HashMap<(&ContentFilter, &OrderedPageRequest), Vec<Uuid>> =
            HashMap::new();
        for (plan_id, filter, request) in keys {
            by_shape
                .entry((filter, request))
                .or_default()
                .push(*plan_id);
        }
        let mut pages = HashMap::with_capacity(keys.len());
        for ((filter, request), plan_ids) in by_shape {
            for (plan_id, page) in
                store::campaign::content::pages_by_plan(&scope, &plan_ids, filter, request).await?
            {
                pages.insert((plan_id, filter.clone(), request.clone()), page);
            }
        }
        Ok(pages)
    }
}

/// How many matching content items each plan has.
pub struct ContentCounts(pub ReadScope);

impl Loader<(Uuid, ContentFilter)> for ContentCounts {
    type Value = u64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, ContentFilter)],
    ) -> Result<HashMap<(Uuid, ContentFilter), Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let mut by_filter: HashMap<&ContentFilter, Vec<Uuid>> = HashMap::new();
        for (plan_id, filter) in keys {
            by_filter.entry(filter).or_default().push(*plan_id);
        }
        let mut counts = HashMap::with_capacity(keys.len());
        for (filter, plan_ids) in by_filter {
            for (plan_id, count) in
                store::campaign::content::counts_by_plan(&scope, &plan_ids, filter).await?
            {
                counts.insert((plan_id, filter.clone()), count);
            }
        }
        Ok(counts)
    }
}
