//! `viewer`.

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::ApiError,
        types::{Tenant, Viewer},
    },
};

/// Queries about the caller.
#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// The authenticated caller: subject, role and tenant.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Viewer> {
        let session = session(ctx)?;
        let tenant = domain::tenant::current(session)
            .await
            .map_err(ApiError::from)?;
        let principal = session.principal();
        Ok(Viewer {
            subject: principal.subject.clone(),
            role: principal.role.into(),
            tenant: Tenant(tenant),
        })
    }
}
