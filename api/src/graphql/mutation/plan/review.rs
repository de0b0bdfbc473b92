//! `submitPlanForReview`, `approvePlan`, `requestPlanChanges`, `reopenPlanReview`.

use async_graphql::{Context, Object, Result, SimpleObject};

use crate::{
    domain::{self, plan::review::PlanReview as Review},
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::plan::review::{
            ApprovePlanInput, ReopenPlanReviewInput, RequestPlanChangesInput,
            SubmitPlanForReviewInput,
        },
        types::{Plan, PlanReview},
    },
};

/// The result of a review step: the plan and its review as the step left them.
#[derive(SimpleObject)]
pub struct PlanReviewPayload {
    /// The plan; null when there are user errors.
    pub plan: Option<Plan>,
    /// The plan's review after the step; null when there are user errors.
    pub review: Option<PlanReview>,
    /// Problems with the input (INVALID_TRANSITION when the review is not in the state the
    /// step needs); when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

fn payload(
    result: domain::DomainResult<(entity::plan::Model, Review)>,
) -> Result<PlanReviewPayload> {
    let (done, user_errors) = into_payload(result)?;
    let (plan, review) = done.unzip();
    Ok(PlanReviewPayload {
        plan: plan.map(Plan),
        review: review.map(PlanReview),
        user_errors,
    })
}

/// The review and approval of plans.
#[derive(Default)]
pub struct PlanReviewMutation;

#[Object]
impl PlanReviewMutation {
    /// Submits a DRAFT plan for review (EDITOR or ADMIN): the review becomes IN_REVIEW.
    /// INVALID_TRANSITION in another state; CONFLICT when `expectedVersion` is stale.
    async fn submit_plan_for_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan, its version and an optional note.")]
        input: SubmitPlanForReviewInput,
    ) -> Result<PlanReviewPayload> {
        payload(domain::plan::review::submit(session(ctx)?, input.into_step()?).await)
    }

    /// Approves a plan IN_REVIEW at `expectedVersion`, which the approval records with the
    /// approver and the time. Only the tenant's approvers (`Tenant.reviewSettings`: a least
    /// role, ADMIN by default, or named subjects) may: FORBIDDEN for anyone else.
    async fn approve_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan, the version approved and an optional comment.")]
        input: ApprovePlanInput,
    ) -> Result<PlanReviewPayload> {
        payload(domain::plan::review::approve(session(ctx)?, input.into_step()?).await)
    }

    /// Sends a plan IN_REVIEW back to DRAFT with a note saying what should change (REQUIRED).
    /// The tenant's approvers only, as `approvePlan`.
    async fn request_plan_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan, its version and what should change.")]
        input: RequestPlanChangesInput,
    ) -> Result<PlanReviewPayload> {
        payload(domain::plan::review::request_changes(session(ctx)?, input.into_step()?).await)
    }

    /// Sends an APPROVED plan back to DRAFT (EDITOR or ADMIN), so that it can change and be
    /// submitted again; the approval stays in the history (`Plan.review.lastApproval`). A
    /// change to an approved plan's budgets does this by itself unless the tenant refuses such
    /// changes (`approvedBudgetChanges: REFUSE`).
    async fn reopen_plan_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan, its version and an optional reason.")]
        input: ReopenPlanReviewInput,
    ) -> Result<PlanReviewPayload> {
        payload(domain::plan::review::reopen(session(ctx)?, input.into_step()?).await)
    }
}
