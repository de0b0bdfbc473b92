//! Loaders of plan relations.

use std::{collections::HashMap, sync::Arc};

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

/// The currency of each plan, which its amounts are written in: every amount of a response
/// (a campaign's budget, an action's cost) asks for it, so it is read as one column and shared
/// rather than as a whole plan copied per amount.
pub struct PlanCurrencies(pub ReadScope);

impl Loader<Uuid> for PlanCurrencies {
    type Value = Arc<str>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::plan::currencies(&self.0.clone()?, plan_ids)
            .await?
            .into_iter()
            .map(|(plan_id, currency)| (plan_id, Arc::from(currency)))
            .collect())
    }
}
