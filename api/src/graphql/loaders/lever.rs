//! Loaders of a plan's lever allocations, lever interactions and budget totals.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{lever_allocation, lever_interaction};
use uuid::Uuid;

use super::ReadScope;
use crate::{
    error::ApiError,
    store::{self, plan::budget::BudgetTotals},
};

/// The lever allocations of each plan.
pub struct PlanLeverAllocations(pub ReadScope);

impl Loader<Uuid> for PlanLeverAllocations {
    type Value = Vec<lever_allocation::Model>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::lever::allocations_by_plan(&self.0.clone()?, plan_ids).await?)
    }
}

/// The lever interactions of each plan.
pub struct PlanLeverInteractions(pub ReadScope);

impl Loader<Uuid> for PlanLeverInteractions {
    type Value = Vec<lever_interaction::Model>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::lever::interactions_by_plan(&self.0.clone()?, plan_ids).await?)
    }
}

/// The allocation and campaign budget totals of each plan, summed by the database.
pub struct PlanBudgetTotals(pub ReadScope);

impl Loader<Uuid> for PlanBudgetTotals {
    type Value = BudgetTotals;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::plan::budget::totals_by_plan(&self.0.clone()?, plan_ids).await?)
    }
}
