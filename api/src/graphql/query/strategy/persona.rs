//! `personas`.

use crate::{
    connection_fields, domain,
    error::ApiError,
    graphql::{
        context::session, inputs::strategy::persona::PersonaFilter, types::PersonaConnection,
    },
};

/// Queries on personas.
#[derive(Default)]
pub struct PersonaQuery;

connection_fields! {
    impl PersonaQuery {
        /// The tenant's personas, oldest first.
        async fn personas(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(desc = "Only personas matching this filter.")] filter: Option<PersonaFilter>,
        ) -> Result<PersonaConnection> {
            let request = page.into_request()?;
            let external_ref = filter
                .and_then(|filter| filter.external_ref)
                .map(|reference| (reference.source, reference.id));
            let (page, total) =
                domain::strategy::persona::list(session(ctx)?, external_ref.as_ref(), &request)
                .await
                .map_err(ApiError::from)?;
            Ok(PersonaConnection::new(page, total))
        }
    }
}
