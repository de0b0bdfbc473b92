//! `campaigns`: the tenant's campaigns over all its plans.

pub mod action;

use crate::{
    connection_fields, domain,
    error::ApiError,
    graphql::{context::session, inputs::campaign::CampaignFilter, types::CampaignConnection},
};

/// Queries on campaigns.
#[derive(Default)]
pub struct CampaignQuery;

connection_fields! {
    impl CampaignQuery {
        /// The tenant's campaigns over all its plans, oldest first, optionally filtered
        /// (`totalCount` counts the matching ones).
        async fn campaigns(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(desc = "Only campaigns matching this filter.")] filter: Option<CampaignFilter>,
        ) -> Result<CampaignConnection> {
            let request = page.into_request()?;
            let filter = filter.unwrap_or_default().into_store()?;
            let (page, total) = domain::campaign::list(session(ctx)?, &filter, &request)
                .await
                .map_err(ApiError::from)?;
            Ok(CampaignConnection::read_ahead(ctx, page, total, None).await?)
        }
    }
}
