//! `Plan.review`: where a plan's review stands, who approved which version, and its history.

use async_graphql::{Context, Enum, ID, Object, Result};
use entity::{plan_review_event, review_enums::ReviewEventKind};

use crate::graphql::types::{Plan, Role};
use crate::{
    domain::plan::review::{self, PlanReview as Review, ReviewState as DomainState},
    error::ApiError,
    graphql::{context::loaders, scalars::DateTime},
    ids::{self, NodeType},
};

/// Where a plan's review stands. It is not the plan's `status` (DRAFT, ACTIVE, ARCHIVED): a
/// plan is reviewed and approved whatever its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ReviewState {
    /// Being written or revised; `submitPlanForReview` sends it to review.
    Draft,
    /// Submitted; an approver approves it (`approvePlan`) or sends it back
    /// (`requestPlanChanges`).
    InReview,
    /// Approved at a version (`Plan.review.approval.planVersion`).
    Approved,
}

impl From<DomainState> for ReviewState {
    fn from(state: DomainState) -> Self {
        match state {
            DomainState::Draft => Self::Draft,
            DomainState::InReview => Self::InReview,
            DomainState::Approved => Self::Approved,
        }
    }
}

/// The review of a plan: its state, the approval in force, and every step so far.
#[derive(Debug, Clone)]
pub struct PlanReview(pub Review);

/// The review of a plan: its state, the approval in force, and every step so far.
#[Object]
impl PlanReview {
    /// Where the review stands.
    async fn state(&self) -> ReviewState {
        self.0.state.into()
    }

    /// The version of the plan approved, while the review is APPROVED; null otherwise. The plan
    /// may have moved on since (an edit that is not a budget change bumps `Plan.version`
    /// without re-opening the review).
    async fn approved_version(&self) -> Option<i32> {
        self.0.approval().map(|event| event.plan_version)
    }

    /// The approval in force (the APPROVED event), while the review is APPROVED; null
    /// otherwise.
    async fn approval(&self) -> Option<PlanReviewEvent> {
        self.0.approval().cloned().map(PlanReviewEvent)
    }

    /// The latest approval, even when the review has since been re-opened; null when the plan
    /// was never approved.
    async fn last_approval(&self) -> Option<PlanReviewEvent> {
        self.0.last_approval().cloned().map(PlanReviewEvent)
    }

    /// Every step of the review, oldest first.
    async fn events(&self) -> Vec<PlanReviewEvent> {
        self.0.events.iter().cloned().map(PlanReviewEvent).collect()
    }
}

/// One step of a plan's review: who did what, when, why, at which version of the plan.
#[derive(Debug, Clone)]
pub struct PlanReviewEvent(pub plan_review_event::Model);

/// One step of a plan's review: who did what, when, why, at which version of the plan.
#[Object]
impl PlanReviewEvent {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::PlanReviewEvent, self.0.id)
    }

    /// The plan reviewed.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// Place in the plan's review history, from 1.
    async fn sequence(&self) -> i32 {
        self.0.sequence
    }

    /// What happened.
    async fn kind(&self) -> ReviewEventKind {
        self.0.kind
    }

    /// Who did it: the subject of their token.
    async fn actor_subject(&self) -> &str {
        &self.0.actor_subject
    }

    /// The role they held in the tenant then.
    async fn actor_role(&self) -> Option<Role> {
        self.0
            .actor_role
            .map(|role| Role::from(review::token_role(role)))
    }

    /// Why: what should change (always given with CHANGES_REQUESTED), what changed after
    /// approval (an automatic REOPENED), or a comment.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The plan's version when it happened; for APPROVED, the version approved.
    async fn plan_version(&self) -> i32 {
        self.0.plan_version
    }

    /// When it happened.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}
