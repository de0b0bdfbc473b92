//! What a resolver gets from the request: the caller's session and the request's DataLoaders.

use std::sync::OnceLock;

use async_graphql::Context;
use tracing::Span;
use uuid::Uuid;

use super::loaders::Loaders;
use crate::domain::Session;
use crate::error::ApiError;

/// Per-request data, inserted by the HTTP handler.
pub struct RequestState {
    /// The verified caller, or `None` for a request without credentials.
    pub session: Option<Session>,
    /// DataLoaders bound to the caller's tenant, created per request so nothing is cached
    /// across requests or tenants, and only when a field first needs one: a request that
    /// reads no relation (one object by ID, a mutation) does not build the seventy of them.
    loaders: OnceLock<Loaders>,
    /// The span the request runs in, which the loaders' batches run in whichever field
    /// first asks for them.
    span: Span,
}

impl RequestState {
    /// The state of a request by `session`, made in the request's span.
    pub fn new(session: Option<Session>) -> Self {
        Self {
            session,
            loaders: OnceLock::new(),
            span: Span::current(),
        }
    }

    /// The request's loaders, built on first use; `None` without a session.
    fn loaders(&self) -> Option<&Loaders> {
        let session = self.session.as_ref()?;
        Some(
            self.loaders
                .get_or_init(|| Loaders::new_in(session, self.span.clone())),
        )
    }
}

fn state<'a>(ctx: &Context<'a>) -> Result<&'a RequestState, ApiError> {
    ctx.data::<RequestState>()
        .map_err(|_| ApiError::unauthenticated())
}

/// The caller's session, or `UNAUTHENTICATED`.
pub fn session<'a>(ctx: &Context<'a>) -> Result<&'a Session, ApiError> {
    state(ctx)?
        .session
        .as_ref()
        .ok_or_else(ApiError::unauthenticated)
}

/// The request's loaders, or `UNAUTHENTICATED`.
pub fn loaders<'a>(ctx: &Context<'a>) -> Result<&'a Loaders, ApiError> {
    state(ctx)?.loaders().ok_or_else(ApiError::unauthenticated)
}

/// The currency of plan `plan_id`, which the amounts of its campaigns, actions and lever
/// allocations are written in; read through the request's plan-currency loader, so every
/// amount of a response that needs it shares one batched read of one column. `NOT_FOUND` when
/// the plan is gone.
pub async fn plan_currency(
    ctx: &Context<'_>,
    plan_id: Uuid,
) -> Result<std::sync::Arc<str>, ApiError> {
    loaders(ctx)?
        .plan_currency
        .load_one(plan_id)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// The currency of the caller's tenant, which conversion values are recorded and attributed
/// in; read through the request's tenant loader, once for every amount of a response.
pub async fn tenant_currency(ctx: &Context<'_>) -> Result<String, ApiError> {
    let tenant_id = session(ctx)?.principal().tenant_id;
    let tenant = loaders(ctx)?.tenant.load_one(tenant_id).await?;
    tenant
        .map(|tenant| tenant.currency)
        .ok_or_else(ApiError::not_found)
}
