//! `copyPlan`.

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    error::ApiError,
    graphql::{
        context::session, errors::into_payload, inputs::plan::copy::CopyPlanInput, types::Plan,
    },
    payload,
};

payload!(
    CopyPlanPayload,
    plan,
    Plan,
    "The result of `copyPlan`.",
    "The new plan (a DRAFT); null when there are user errors."
);

/// Copying a plan into a new period.
#[derive(Default)]
pub struct PlanCopyMutation;

#[Object]
impl PlanCopyMutation {
    /// Copies a plan into a new period (EDITOR or ADMIN), in one transaction: a new DRAFT plan
    /// with the same description, currency, budget and personas, its strategy layer, lever
    /// allocations and interactions, objectives, campaigns (levers, personas, objectives and
    /// parents linked to the copies), actions and content items, every date moved to the new
    /// period, campaigns PLANNED, actions TODO with no actual cost, content IDEA, every version
    /// 1. NOT_FOUND when the plan is not the tenant's; nothing is written on any error.
    async fn copy_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan to copy, the new name and the new first day.")]
        input: CopyPlanInput,
    ) -> Result<CopyPlanPayload> {
        let session = session(ctx)?;
        let request = input.into_request().ok_or_else(ApiError::not_found)?;
        let (plan, user_errors) = into_payload(domain::plan::copy::copy(session, request).await)?;
        Ok(CopyPlanPayload {
            plan: plan.map(Plan),
            user_errors,
        })
    }
}
