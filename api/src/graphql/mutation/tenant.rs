//! `updateTenant`.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result};
use entity::review_enums::ApprovedBudgetChanges;

use crate::{
    auth,
    domain::{self, tenant::ReviewSettingsChanges},
    graphql::{
        context::session,
        errors::into_payload,
        types::{Role, Tenant},
    },
    payload,
};

/// Changes to the caller's tenant; omitted fields stay as they are.
#[derive(Debug, InputObject)]
pub struct UpdateTenantInput {
    /// The version read; the update is refused with CONFLICT if the settings changed since.
    pub expected_version: i32,
    /// New display name.
    pub name: Option<String>,
    /// New reporting currency (ISO 4217): the default of plans created from now on (existing
    /// plans keep theirs) and the currency measurements recorded from now on are converted
    /// into (measurements already recorded keep their values).
    pub currency: Option<String>,
    /// The least role that approves plans; null for none (then only `reviewApprovers` may).
    /// Someone must remain able to approve: a role or at least one named approver.
    pub review_approver_role: MaybeUndefined<Role>,
    /// The subjects (the `sub` of their tokens) who approve plans whatever their role; replaces
    /// the list (at most 50, each 1 to 500 characters; duplicates count once).
    pub review_approvers: Option<Vec<String>>,
    /// What a change to the budgets of an APPROVED plan does.
    pub approved_budget_changes: Option<ApprovedBudgetChanges>,
}

impl UpdateTenantInput {
    fn review_changes(&self) -> ReviewSettingsChanges {
        let stored = |role: Role| {
            domain::plan::review::stored_role(match role {
                Role::Viewer => auth::Role::Viewer,
                Role::Editor => auth::Role::Editor,
                Role::Admin => auth::Role::Admin,
            })
        };
        ReviewSettingsChanges {
            approver_role: match &self.review_approver_role {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(role) => Some(Some(stored(*role))),
            },
            approvers: self.review_approvers.clone(),
            approved_budget_changes: self.approved_budget_changes,
        }
    }
}

payload!(
    UpdateTenantPayload,
    tenant,
    Tenant,
    "The result of `updateTenant`.",
    "The tenant as changed; null when there are user errors."
);

/// Mutations of the tenant's settings.
#[derive(Default)]
pub struct TenantMutation;

#[Object]
impl TenantMutation {
    /// Changes the caller's tenant's name, default currency or review settings (ADMIN);
    /// CONFLICT when `expectedVersion` is stale.
    async fn update_tenant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateTenantInput,
    ) -> Result<UpdateTenantPayload> {
        let review = input.review_changes();
        let (updated, user_errors) = into_payload(
            domain::tenant::update_settings(
                session(ctx)?,
                input.expected_version,
                input.name,
                input.currency,
                review,
            )
            .await,
        )?;
        Ok(UpdateTenantPayload {
            tenant: updated.map(Tenant),
            user_errors,
        })
    }
}
