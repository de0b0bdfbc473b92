//! Loaders of share links.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::share_link;
use uuid::Uuid;

use super::ReadScope;
use crate::{error::ApiError, store};

/// The share links of each plan (EDITOR).
pub struct PlanShareLinks(pub ReadScope);

impl Loader<Uuid> for PlanShareLinks {
    type Value = Vec<share_link::Model>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::share_link::by_plan(&self.0.clone()?, plan_ids).await?)
    }
}
