//! `campaigns`: the tenant's campaigns over all its plans.

pub mod action;

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    error::ApiError,
    graphql::{
        connection::PageArgs, context::session, inputs::campaign::CampaignFilter,
        types::CampaignConnection,
    },
};

/// Queries on campaigns.
#[derive(Default)]
pub struct CampaignQuery;

#[Object]
impl CampaignQuery {
    /// The tenant's campaigns over all its plans, oldest first, optionally filtered
    /// (`totalCount` counts the matching ones).
    async fn campaigns(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n campaigns (default 20, at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Return campaigns after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n campaigns (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return campaigns before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only campaigns matching this filter.")] filter: Option<CampaignFilter>,
    ) -> Result<CampaignConnection> {
        let request = PageArgs {
            first,
            after,
            last,
            before,
        }
        .into_request()?;
        let filter = filter.unwrap_or_default().into_store()?;
        let (page, total) = domain::campaign::list(session(ctx)?, &filter, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(CampaignConnection::new(page, total))
    }
}
