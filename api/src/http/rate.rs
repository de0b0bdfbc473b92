//! Every endpoint's charge to the rate limits (`crate::ratelimit`), and its refusal: HTTP 429
//! `RATE_LIMITED` with the wait in `Retry-After` and in the error's `extensions.retryAfter`
//! (a WebSocket operation: one `error` message with the same error).

use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::{Request, ServerError};
use futures::{FutureExt, StreamExt, stream::BoxStream};

use super::{
    credentials::{Schemes, required_session},
    error_response,
    state::AppState,
};
use crate::{
    domain::Session,
    error::ApiError,
    graphql::{
        limits,
        streamed::{self, Outcome},
    },
    observability::metrics,
    ratelimit::{Payer, Remaining},
};

/// Charges `units` to the budgets of `session`'s credential and tenant (or, without a session,
/// of the client's address): what remains, or the `RATE_LIMITED` error refusing the request.
pub async fn charge(
    state: &AppState,
    session: Option<&Session>,
    request: &HttpRequest,
    units: u64,
) -> Result<Remaining, ApiError> {
    let payer = match session {
        Some(session) => Payer::of_session(session),
        None => Payer::anonymous(request.peer_addr().map(|address| address.ip())),
    };
    charge_payer(state, &payer, units).await
}

async fn charge_payer(state: &AppState, payer: &Payer, units: u64) -> Result<Remaining, ApiError> {
    state
        .rate_limiter
        .charge(payer, units)
        .await
        .map_err(|wait| {
            metrics::rate_limited(wait.1);
            let seconds = wait.seconds();
            ApiError::rate_limited(
                seconds,
                format!(
                    "rate limit exceeded: this credential's or its tenant's budget of cost units \
                     is spent; retry in {seconds} s"
                ),
            )
        })
}

/// The session of a plain-HTTP endpoint (the plan document, the CSV exports), charged `units`;
/// or the response refusing the request (a credential refused, or a budget spent).
pub async fn paid_session(
    state: &AppState,
    request: &HttpRequest,
    schemes: Schemes,
    units: u64,
) -> Result<Session, HttpResponse> {
    let session = required_session(state, request, schemes).await?;
    match charge(state, Some(&session), request, units).await {
        Ok(_) => Ok(session),
        Err(error) => Err(error_response(&error)),
    }
}

/// The outcomes of an operation started over a WebSocket by `session`: charged its cost before
/// it runs, then run; or refused with `RATE_LIMITED` when the budgets cannot pay for it.
pub fn charged_operation(
    state: web::Data<AppState>,
    session: Session,
    request: Request,
) -> BoxStream<'static, Outcome> {
    let (mut request, units) = state.admission.price(request);
    async move {
        match charge_payer(&state, &Payer::of_session(&session), units).await {
            Ok(Remaining(remaining)) => {
                limits::report_remaining(&mut request, remaining);
                streamed::execute(&state.schema, request, session)
            }
            Err(error) => {
                let error: async_graphql::Error = error.into();
                let mut refusal = ServerError::new(error.message, None);
                refusal.extensions = error.extensions;
                futures::stream::once(async move { Outcome::Refused(vec![refusal]) }).boxed()
            }
        }
    }
    .flatten_stream()
    .boxed()
}
