//! Loaders of plan relations.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::persona;
use uuid::Uuid;

use super::ReadScope;
use crate::{error::ApiError, store};

/// The personas each plan targets.
pub struct PlanPersonas(pub ReadScope);

impl Loader<Uuid> for PlanPersonas {
    type Value = Vec<std::sync::Arc<persona::Model>>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::plan::personas_by_plan(&self.0.clone()?, plan_ids).await?)
    }
}
