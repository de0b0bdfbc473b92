//! `Tenant`: the company whose plan this is.

use async_graphql::{ID, Object, SimpleObject};
use entity::{review_enums::ApprovedBudgetChanges, tenant};

use crate::{
    domain::plan::review,
    graphql::types::Role,
    ids::{self, NodeType},
};

/// Who approves the tenant's plans, and what a change to an approved plan's budgets does.
/// An ADMIN changes them with `updateTenant`.
#[derive(Debug, Clone, SimpleObject)]
pub struct ReviewSettings {
    /// The least role that approves plans and requests changes (ADMIN unless changed); null
    /// when only the named approvers may.
    pub approver_role: Option<Role>,
    /// Subjects (the `sub` of their tokens) who approve plans whatever their role, sorted.
    pub approvers: Vec<String>,
    /// What a change to the budgets of an APPROVED plan does: REOPEN_REVIEW (the default) or
    /// REFUSE.
    pub approved_budget_changes: ApprovedBudgetChanges,
}

/// A company using Levier. Every object of the plan belongs to exactly one tenant, and a
/// request only ever sees its own.
#[derive(Debug, Clone)]
pub struct Tenant(pub tenant::Model);

/// A company using Levier. Every object of the plan belongs to exactly one tenant, and a
/// request only ever sees its own.
#[Object]
impl Tenant {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Tenant, self.0.id)
    }

    /// The tenant's key, as named by tokens (`tid`).
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The reporting currency (ISO 4217): the default currency of new plans, and the currency
    /// measurements of money are stored in (values sent in another currency are converted with
    /// the tenant's exchange rates) and measured spend is reported in.
    async fn currency(&self) -> &str {
        &self.0.currency
    }

    /// Who approves plans, and what a change to an approved plan's budgets does.
    async fn review_settings(&self) -> ReviewSettings {
        ReviewSettings {
            approver_role: self
                .0
                .review_approver_role
                .map(|role| Role::from(review::token_role(role))),
            approvers: self.0.review_approvers.0.clone(),
            approved_budget_changes: self.0.approved_budget_changes,
        }
    }

    /// Optimistic-concurrency version of the settings; pass it to `updateTenant`.
    async fn version(&self) -> i32 {
        self.0.version
    }
}
