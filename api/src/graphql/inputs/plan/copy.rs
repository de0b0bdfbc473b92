//! Input of `copyPlan`.

use async_graphql::{ID, InputObject};

use crate::{
    domain::plan::copy::PlanCopyRequest,
    graphql::scalars::Date,
    ids::{self, NodeType},
};

/// A plan to copy into a new period.
#[derive(Debug, InputObject)]
pub struct CopyPlanInput {
    /// The global ID of the plan to copy.
    pub plan_id: ID,
    /// The new plan's name (1 to 200 characters).
    pub name: String,
    /// The first day of the new period. Every date of the plan moves with it: by whole months
    /// when it falls on the same day of the month as the copied plan's start (a date on the
    /// last day of a month stays on the last day, a day the new month lacks becomes its last
    /// day), otherwise by the same number of days; the period keeps its length and every
    /// copied date stays inside it.
    pub period_start: Date,
}

impl CopyPlanInput {
    /// The domain's request; `None` when `planId` is not a plan's global ID.
    pub fn into_request(self) -> Option<PlanCopyRequest> {
        Some(PlanCopyRequest {
            plan_id: ids::decode_as(&self.plan_id, NodeType::Plan).ok()?,
            name: self.name,
            period_start: self.period_start.0,
        })
    }
}
