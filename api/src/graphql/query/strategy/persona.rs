//! `personas`.

use crate::{
    connection_fields, domain,
    error::ApiError,
    graphql::{context::session, types::PersonaConnection},
};

/// Queries on personas.
#[derive(Default)]
pub struct PersonaQuery;

connection_fields! {
    impl PersonaQuery {
        /// The tenant's personas, oldest first.
        async fn personas(&self, ctx: &Context<'_>, page: PageArgs) -> Result<PersonaConnection> {
            let request = page.into_request()?;
            let (page, total) = domain::strategy::persona::list(session(ctx)?, &request)
                .await
                .map_err(ApiError::from)?;
            Ok(PersonaConnection::new(page, total))
        }
    }
}
