//! `viewer`.

use async_graphql::{Context, Object, Result};

use crate::{
    auth::Grant,
    domain,
    error::ApiError,
    graphql::{
        context::session,
        types::{Role, Tenant, Viewer},
    },
};

/// Queries about the caller.
#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// The authenticated caller (a user or an API key): subject, role and tenant.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Viewer> {
        let session = session(ctx)?;
        let tenant = domain::tenant::current(session)
            .await
            .map_err(ApiError::from)?;
        let principal = session.principal();
        let (role, api_key_scopes) = match &principal.grant {
            Grant::Role(role) => ((*role).into(), None),
            Grant::ApiKey { scopes, .. } => (Role::Viewer, Some(scopes.clone())),
            Grant::SharedPlan { .. } => (Role::Viewer, None),
        };
        Ok(Viewer {
            subject: principal.subject.clone(),
            role,
            api_key_scopes,
            tenant: Tenant(tenant),
        })
    }
}
