//! `setExchangeRates`.

use async_graphql::{Context, Object, Result, SimpleObject};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::exchange_rate::SetExchangeRatesInput,
        types::ExchangeRate,
    },
};

/// The result of `setExchangeRates`. With user errors, nothing was written.
#[derive(SimpleObject)]
pub struct SetExchangeRatesPayload {
    /// The rates as stored, the list's first, then the CSV's lines, in input order; empty when
    /// there are user errors.
    pub exchange_rates: Vec<ExchangeRate>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// Mutations of exchange rates.
#[derive(Default)]
pub struct ExchangeRateMutation;

#[Object]
impl ExchangeRateMutation {
    /// Loads up to 1000 exchange rates, from a list, a CSV text or both, in one transaction:
    /// all of them or none (ADMIN). A rate whose (date, from, to) the tenant already has
    /// replaces it. Measurements recorded afterwards are converted with them; rows already
    /// recorded keep the rate they were converted with.
    async fn set_exchange_rates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The rates to load.")] input: SetExchangeRatesInput,
    ) -> Result<SetExchangeRatesPayload> {
        let rates = input
            .rates
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let (stored, user_errors) =
            into_payload(domain::exchange_rate::set(session(ctx)?, rates, input.csv).await)?;
        Ok(SetExchangeRatesPayload {
            exchange_rates: stored
                .unwrap_or_default()
                .into_iter()
                .map(ExchangeRate)
                .collect(),
            user_errors,
        })
    }
}
