//! The loader of plans' measured spend (`BudgetReport.measuredSpend`): two statements per batch
//! of plans, the tenant's reporting currency and the spend groups of every plan.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use super::ReadScope;
use crate::{
    error::ApiError,
    store::{self, plan::budget::SpendGroup},
};

/// The reporting currency and a plan's spend groups, by plan id.
pub struct PlanSpend(pub ReadScope);

impl Loader<Uuid> for PlanSpend {
    type Value = (String, Vec<SpendGroup>);
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let reporting = store::tenant::current(&scope).await?.currency;
        Ok(store::plan::budget::spend_by_plan(&scope, plan_ids)
            .await?
            .into_iter()
            .map(|(plan, groups)| (plan, (reporting.clone(), groups)))
            .collect())
    }
}
