//! Loaders of objective relations.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::objective;
use uuid::Uuid;

use super::ReadScope;
use crate::{graphql::errors::ApiError, store};

/// The objectives of each plan.
pub struct PlanObjectives(pub ReadScope);

impl Loader<Uuid> for PlanObjectives {
    type Value = Vec<objective::Model>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::objective::by_plan(&self.0.clone()?, plan_ids).await?)
    }
}
