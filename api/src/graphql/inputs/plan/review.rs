//! Inputs of the review mutations: each names the plan, the version its author looked at, and
//! a note.

use async_graphql::{ID, InputObject};

use crate::{
    domain::plan::review::ReviewStep,
    error::ApiError,
    ids::{self, NodeType},
};

/// Writes one input type per review mutation, all of the same shape.
macro_rules! review_input {
    ($name:ident, $doc:literal, $note_doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, InputObject)]
        pub struct $name {
            /// The global ID of the plan.
            pub plan_id: ID,
            /// The plan version the author looked at (`Plan.version`); CONFLICT when the plan
            /// changed since.
            pub expected_version: i32,
            #[doc = $note_doc]
            pub note: Option<String>,
        }

        impl $name {
            /// The domain's step; NOT_FOUND when `planId` is not a plan's global ID.
            pub fn into_step(self) -> Result<ReviewStep, ApiError> {
                Ok(ReviewStep {
                    plan_id: ids::decode_as(&self.plan_id, NodeType::Plan)?,
                    expected_version: self.expected_version,
                    note: self.note,
                })
            }
        }
    };
}

review_input!(
    SubmitPlanForReviewInput,
    "A DRAFT plan to submit for review.",
    "An optional note for the approvers (at most 10,000 characters)."
);
review_input!(
    ApprovePlanInput,
    "A plan IN_REVIEW to approve at the version the approver looked at.",
    "An optional comment on the approval (at most 10,000 characters)."
);
review_input!(
    RequestPlanChangesInput,
    "A plan IN_REVIEW to send back to DRAFT.",
    "What should change: required (at most 10,000 characters)."
);
review_input!(
    ReopenPlanReviewInput,
    "An APPROVED plan to send back to DRAFT.",
    "An optional reason (at most 10,000 characters)."
);
