//! `personas`.

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    error::ApiError,
    graphql::{connection::PageArgs, context::session, types::PersonaConnection},
};

/// Queries on personas.
#[derive(Default)]
pub struct PersonaQuery;

#[Object]
impl PersonaQuery {
    /// The tenant's personas, oldest first.
    async fn personas(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n personas (default 20, at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Return personas after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n personas (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return personas before this cursor.")] before: Option<String>,
    ) -> Result<PersonaConnection> {
        let request = PageArgs {
            first,
            after,
            last,
            before,
        }
        .into_request()?;
        let (page, total) = domain::strategy::persona::list(session(ctx)?, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(PersonaConnection::new(page, total))
    }
}
