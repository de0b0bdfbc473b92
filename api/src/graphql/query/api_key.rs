//! `apiKeys`.

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    error::ApiError,
    graphql::{connection::PageArgs, context::session, types::ApiKeyConnection},
};

/// Queries on API keys.
#[derive(Default)]
pub struct ApiKeyQuery;

#[Object]
impl ApiKeyQuery {
    /// The tenant's API keys, oldest first, revoked ones included (ADMIN). Secrets are never
    /// listed.
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n keys (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return keys after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n keys (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return keys before this cursor.")] before: Option<String>,
    ) -> Result<ApiKeyConnection> {
        let request = PageArgs {
            first,
            after,
            last,
            before,
        }
        .into_request()?;
        let (page, total) = domain::api_key::list(session(ctx)?, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(ApiKeyConnection::new(page, total))
    }
}
