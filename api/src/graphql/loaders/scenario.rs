//! Loaders of a plan's scenarios and of each scenario's budget overrides.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{scenario, scenario_budget};
use uuid::Uuid;

use super::ReadScope;
use crate::{error::ApiError, store};

/// The scenarios of each plan, by name.
pub struct PlanScenarios(pub ReadScope);

impl Loader<Uuid> for PlanScenarios {
    type Value = Vec<scenario::Model>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::plan::scenario::scenarios_by_plan(&self.0.clone()?, plan_ids).await?)
    }
}

/// The budget overrides of each scenario.
pub struct ScenarioBudgets(pub ReadScope);

impl Loader<Uuid> for ScenarioBudgets {
    type Value = Vec<scenario_budget::Model>;
    type Error = ApiError;

    async fn load(&self, scenario_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::plan::scenario::budgets_by_scenario(&self.0.clone()?, scenario_ids).await?)
    }
}
