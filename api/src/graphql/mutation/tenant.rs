//! `updateTenant`.

use async_graphql::{Context, InputObject, Object, Result};

use crate::{
    domain,
    graphql::{context::session, errors::into_payload, types::Tenant},
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
    /// Changes the caller's tenant's name or default currency (ADMIN); CONFLICT when
    /// `expectedVersion` is stale.
    async fn update_tenant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateTenantInput,
    ) -> Result<UpdateTenantPayload> {
        let (updated, user_errors) = into_payload(
            domain::tenant::update_settings(
                session(ctx)?,
                input.expected_version,
                input.name,
                input.currency,
            )
            .await,
        )?;
        Ok(UpdateTenantPayload {
            tenant: updated.map(Tenant),
            user_errors,
        })
    }
}
