//! Loaders of objective relations.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::objective;
use uuid::Uuid;

use super::ReadScope;
use crate::{error::ApiError, store};

/// The objectives of each plan.
pub struct PlanObjectives(pub ReadScope);

impl Loader<Uuid> for PlanObjectives {
    type Value = Vec<objective::Model>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::plan::objective::by_plan(&self.0.clone()?, plan_ids).await?)
    }
}

/// Where each objective stands (current value, progress, on track), computed for all the
/// objectives of a request in a fixed number of statements.
pub struct ObjectiveStatuses(pub crate::domain::Session);

impl Loader<crate::domain::kpi::progress::ObjectiveRef> for ObjectiveStatuses {
    type Value = crate::domain::kpi::progress::ObjectiveStatus;
    type Error = ApiError;

    async fn load(
        &self,
        objectives: &[crate::domain::kpi::progress::ObjectiveRef],
    ) -> Result<HashMap<crate::domain::kpi::progress::ObjectiveRef, Self::Value>, Self::Error> {
        let today = chrono::Utc::now().date_naive();
        let statuses = crate::domain::kpi::progress::statuses(&self.0, objectives, today).await?;
        Ok(objectives
            .iter()
            .map(|objective| {
                let status = statuses.get(&objective.id).copied().unwrap_or_default();
                (objective.clone(), status)
            })
            .collect())
    }
}
