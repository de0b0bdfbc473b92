//! `apiKeys`.

use crate::{
    connection_fields, domain,
    error::ApiError,
    graphql::{context::session, types::ApiKeyConnection},
};

/// Queries on API keys.
#[derive(Default)]
pub struct ApiKeyQuery;

connection_fields! {
    impl ApiKeyQuery {
        /// The tenant's API keys, oldest first, revoked ones included (ADMIN). Secrets are never
        /// listed.
        async fn api_keys(&self, ctx: &Context<'_>, page: PageArgs) -> Result<ApiKeyConnection> {
            let request = page.into_request()?;
            let (page, total) = domain::api_key::list(session(ctx)?, &request)
                .await
                .map_err(ApiError::from)?;
            Ok(ApiKeyConnection::new(page, total))
        }
    }
}
