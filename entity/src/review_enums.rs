//! Enumerations of plan review, stored as strings.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What happened in a plan's review. The review's state is read from its last event: none or
/// `CHANGES_REQUESTED` or `REOPENED` is a draft, `SUBMITTED` is in review, `APPROVED` approved.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum ReviewEventKind {
    /// The plan was submitted for review (DRAFT → IN_REVIEW).
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    /// An approver approved the plan at a version (IN_REVIEW → APPROVED).
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    /// An approver sent the plan back with a note saying what to change (IN_REVIEW → DRAFT).
    #[sea_orm(string_value = "CHANGES_REQUESTED")]
    ChangesRequested,
    /// The approved plan went back to draft: its budgets changed, or an editor re-opened it
    /// (APPROVED → DRAFT).
    #[sea_orm(string_value = "REOPENED")]
    Reopened,
}

/// A role as stored with review settings and events (the roles of tokens).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ReviewRole {
    /// Reads.
    #[sea_orm(string_value = "VIEWER")]
    Viewer,
    /// Reads and writes the plan.
    #[sea_orm(string_value = "EDITOR")]
    Editor,
    /// Everything.
    #[sea_orm(string_value = "ADMIN")]
    Admin,
}

/// What a change to the budgets of an approved plan does, per tenant.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ApprovedBudgetChanges {
    /// The change is applied and the plan's review goes back to DRAFT, with a `REOPENED` event
    /// naming who changed what (the default).
    #[sea_orm(string_value = "REOPEN_REVIEW")]
    ReopenReview,
    /// The change is refused with a `PLAN_APPROVED` user error; re-open the review first
    /// (`reopenPlanReview`).
    #[sea_orm(string_value = "REFUSE")]
    Refuse,
}
