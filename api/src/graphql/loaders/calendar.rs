//! Loaders of the calendar and the budget report, keyed by plan id: a plan's actions and
//! campaigns in calendar order, and the sums of its actions per grouping.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{action, campaign};
use uuid::Uuid;

use super::ReadScope;
use crate::{
    error::ApiError,
    store::{
        self,
        plan::calendar::{ActionGrouping, GroupSum},
    },
};

/// All the actions of each plan, by due date then id.
pub struct PlanCalendarActions(pub ReadScope);

impl Loader<Uuid> for PlanCalendarActions {
    type Value = Vec<action::Model>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::plan::calendar::actions_by_plan(&self.0.clone()?, plan_ids).await?)
    }
}

/// All the campaigns of each plan, by start date then id.
pub struct PlanCalendarCampaigns(pub ReadScope);

impl Loader<Uuid> for PlanCalendarCampaigns {
    type Value = Vec<campaign::Model>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::plan::calendar::campaigns_by_plan(&self.0.clone()?, plan_ids).await?)
    }
}

/// The sums of each plan's actions for one grouping; keys of the same grouping are read in one
/// statement.
pub struct PlanActionSums(pub ReadScope);

impl Loader<(Uuid, ActionGrouping)> for PlanActionSums {
    type Value = Vec<GroupSum>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, ActionGrouping)],
    ) -> Result<HashMap<(Uuid, ActionGrouping), Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let mut by_grouping: HashMap<ActionGrouping, Vec<Uuid>> = HashMap::new();
        for (plan_id, grouping) in keys {
            by_grouping.entry(*grouping).or_default().push(*plan_id);
        }
        let mut sums = HashMap::with_capacity(keys.len());
        for (grouping, plan_ids) in by_grouping {
            for (plan_id, rows) in
                store::plan::calendar::sums_by_plan(&scope, &plan_ids, grouping).await?
            {
                sums.insert((plan_id, grouping), rows);
            }
        }
        Ok(sums)
    }
}
