//! `exchangeRates`.

use crate::{
    connection_fields, domain,
    error::ApiError,
    graphql::{
        context::session, inputs::exchange_rate::ExchangeRateFilter, types::ExchangeRateConnection,
    },
};

/// Queries on exchange rates.
#[derive(Default)]
pub struct ExchangeRateQuery;

connection_fields! {
    impl ExchangeRateQuery {
        /// The tenant's exchange rates, in the order they were first loaded (VIEWER and up, or
        /// an API key with READ_KPIS).
        async fn exchange_rates(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(desc = "Only rates matching this filter.")]
            filter: Option<ExchangeRateFilter>,
        ) -> Result<ExchangeRateConnection> {
            let request = page.into_request()?;
            let filter = filter.unwrap_or_default().into();
            let (page, total) = domain::exchange_rate::list(session(ctx)?, &filter, &request)
                .await
                .map_err(ApiError::from)?;
            Ok(ExchangeRateConnection::new(page, total))
        }
    }
}
