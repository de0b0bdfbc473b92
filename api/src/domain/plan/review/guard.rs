//! The one place a change to an approved plan's budgets is decided: every write that changes a
//! planned amount of a plan calls [`budget_changed`] inside its transaction, and the tenant's
//! policy decides (`approvedBudgetChanges`): REOPEN_REVIEW (the default) applies the change and
//! sends the review back to DRAFT with a REOPENED event naming who and what; REFUSE refuses it
//! with a `PLAN_APPROVED` user error, nothing written.
//!
//! What changes a plan's budgets (each caller says when it does): the plan's budget or
//! currency; a lever allocation created or deleted with a budget, or its budget or lever
//! changed; a campaign created or deleted with a budget, or its budget changed; an action
//! created or deleted with a planned budget, or its budget changed, or, while it has one, its
//! lever, its campaign or whether it is cancelled (a cancelled action's budget leaves the
//! plan's sums); an arbitrage applied that cancels actions.

use entity::{
    action, action_enums::ActionStatus, enums::Lever, plan, review_enums::ApprovedBudgetChanges,
};
use uuid::Uuid;

use super::{ReviewEventKind, append, state};
use crate::domain::{DomainResult, FieldErrorCode, Session, validation::Violations};
use crate::store::{self, Scoped};

/// What changed, for the REOPENED event's note and the refusal's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetChange {
    /// The plan's budget or currency.
    Plan,
    /// A lever allocation.
    LeverAllocation,
    /// A campaign's budget.
    Campaign,
    /// An action's planned budget.
    Action,
    /// An arbitrage applied.
    Arbitrage,
}

impl BudgetChange {
    fn what(self) -> &'static str {
        match self {
            Self::Plan => "the plan's budget",
            Self::LeverAllocation => "a lever allocation",
            Self::Campaign => "a campaign's budget",
            Self::Action => "an action's budget",
            Self::Arbitrage => "an arbitrage",
        }
    }
}

/// What an action adds to its plan's budgets: its planned budget with the lever and campaign
/// it counts under; nothing when it has no budget or is cancelled. A write of an action
/// changes the plan's budgets exactly when this changes.
pub fn action_share(row: &action::Model) -> Option<(Lever, Option<Uuid>, i64)> {
    (row.budget_micros != 0 && row.status != ActionStatus::Cancelled).then_some((
        row.lever,
        row.campaign_id,
        row.budget_micros,
    ))
}

/// Applies the tenant's policy to a change of the budgets of the plan `plan_id`, made by
/// `session` in the transaction `scope` (before its commit). Nothing happens unless the plan's
/// review is APPROVED. A refusal is reported at `path` (the input field that carries the
/// change).
pub async fn budget_changed<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    session: &Session,
    plan_id: Uuid,
    change: BudgetChange,
    path: &[&str],
) -> DomainResult<()> {
    let events = store::plan::review::events_of_plan(scope, plan_id).await?;
    if state::of(&events) != state::ReviewState::Approved {
        return Ok(());
    }
    let tenant = store::tenant::current(scope).await?;
    match tenant.approved_budget_changes {
        ApprovedBudgetChanges::Refuse => {
            let mut violations = Violations::new();
            violations.add(
                path,
                FieldErrorCode::PlanApproved,
                format!(
                    "the plan is approved and this tenant refuses changes to its budgets ({}); re-open its review first",
                    change.what()
                ),
            );
            violations.finish()
        }
        ApprovedBudgetChanges::ReopenReview => {
            let plan = scope.get::<plan::Entity>(plan_id).await?;
            append(
                scope,
                session.principal(),
                (plan_id, plan.version),
                &events,
                ReviewEventKind::Reopened,
                Some(format!("{} changed after approval", change.what())),
                true,
            )
            .await
        }
    }
}
