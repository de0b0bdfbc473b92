//! Loaders of plans' review histories.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::plan_review_event;
use uuid::Uuid;

use super::ReadScope;
use crate::{error::ApiError, store};

/// The review events of each plan, oldest first.
pub struct PlanReviewEvents(pub ReadScope);

impl Loader<Uuid> for PlanReviewEvents {
    type Value = Vec<plan_review_event::Model>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::plan::review::events_by_plan(&self.0.clone()?, plan_ids).await?)
    }
}
