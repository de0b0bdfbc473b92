//! Running the GraphQL requests of one HTTP request, in this order, each step before anything
//! of the next: every document admitted (persisted queries resolved, bounds checked, a batch's
//! operations against one budget; `graphql::admission`), a `GET`'s operation checked to be a
//! query, the caller's credential verified, the whole charged to the rate limits
//! (`http::rate`), then each operation executed with its own
//! request state, and the whole answered (`http::graphql_answer`).

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
};
use async_graphql::{Name, Request, parser::types::OperationType};

use super::{
    credentials::session_of,
    graphql_answer::{Outcome, answer, refusal, refusal_with_status},
    graphql_request::Operations,
    negotiation::Media,
    rate,
    state::AppState,
};
use crate::{
    error::{ApiError, ErrorCode},
    graphql::{
        admission::{NotAdmitted, chosen_name_and_type, operation_type},
        context::RequestState,
        execution::ExecutionProbe,
        limits, plain,
    },
    observability::{OperationNames, OperationRecord, record},
    ratelimit::Remaining,
};

/// The HTTP method the requests came by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`: a safe method, which runs queries only.
    Get,
    /// `POST`: any operation.
    Post,
}

/// Admits, checks and executes `operations`, and answers them in `media`.
pub async fn run(
    state: &AppState,
    http_request: &HttpRequest,
    media: Media,
    operations: Operations,
    method: Method,
) -> HttpResponse {
    let (requests, batch) = match operations {
        Operations::Single(single) => (vec![*single], false),
        Operations::Batch(requests) => (requests, true),
    };
    let count = requests.len();
    let mut admitted = match admit(state, requests, batch) {
        Ok(admitted) => admitted,
        Err(refused) => {
            record::operations(http_request, vec![OperationRecord::unknown(); count]);
            return refusal(media, &refused);
        }
    };
    record::operations(
        http_request,
        admitted
            .iter_mut()
            .map(|operation| describe(&state.operation_names, operation))
            .collect(),
    );
    if method == Method::Get
        && let Some(refused) = refuse_unsafe_operations(&mut admitted, media)
    {
        return refused;
    }
    let session = match session_of(state, http_request).await {
        Ok(session) => session,
        Err(error) => return refusal(media, &error),
    };
    // The batch is charged its operations' costs together, before any of them runs.
    let units = admitted
        .iter()
        .flatten()
        .filter_map(limits::admitted_cost)
        .map(|cost| cost.requested)
        .sum();
    match rate::charge(state, session.as_ref(), http_request, units).await {
        Ok(Remaining(remaining)) => {
            for request in admitted.iter_mut().flatten() {
                limits::report_remaining(request, remaining);
            }
        }
        Err(error) => return refusal(media, &error),
    }
    let mut outcomes = Vec::with_capacity(admitted.len());
    for operation in admitted {
        outcomes.push(match operation {
            Ok(mut request) => match &state.plain_schema {
                Some(plain_schema) if plain::eligible(&mut request) => {
                    let request = request.data(RequestState::new(session.clone()));
                    let (response, executed) = plain::execute(plain_schema, request).await;
                    Outcome::of(response, executed)
                }
                _ => {
                    let request = request.data(RequestState::new(session.clone()));
                    let (request, probe) = ExecutionProbe::attach(request);
                    let response = state.schema.execute(request).await;
                    Outcome::of(response, probe.executed())
                }
            },
            Err(refused) => refused,
        });
    }
    record::outcomes(http_request, outcomes.iter().map(Outcome::first_code));
    answer(media, outcomes, batch)
}

/// What the access line and the metrics say of an operation before it runs: its bounded name
/// and its type, when its document was admitted and chooses one.
fn describe(names: &OperationNames, operation: &mut Result<Request, Outcome>) -> OperationRecord {
    let Ok(request) = operation else {
        return OperationRecord::unknown();
    };
    match chosen_name_and_type(request) {
        Some((name, kind)) => OperationRecord {
            name: names.label(name.as_ref().map(Name::as_str)),
            kind: match kind {
                OperationType::Query => "query",
                OperationType::Mutation => "mutation",
                OperationType::Subscription => "subscription",
            },
            code: None,
        },
        None => OperationRecord::unknown(),
    }
}

/// Admits `requests` (a batch's against one budget): each as a request ready to run or as the
/// outcome that refuses it, or the error that refuses them all (a bound passed).
fn admit(
    state: &AppState,
    requests: Vec<Request>,
    batch: bool,
) -> Result<Vec<Result<Request, Outcome>>, ApiError> {
    let mut budget = if batch {
        state.admission.batch_budget()
    } else {
        state.admission.request_budget()
    };
    let mut admitted = Vec::with_capacity(requests.len());
    for request in requests {
        admitted.push(match state.admission.admit(request, &mut budget) {
            Ok(request) => Ok(request),
            Err(NotAdmitted::TooComplex(message)) => {
                return Err(ApiError::new(ErrorCode::QueryTooComplex, message));
            }
            Err(NotAdmitted::Invalid(errors)) => Err(Outcome::refused(errors)),
            Err(NotAdmitted::PersistedQueryNotFound(error)) => {
                Err(Outcome::persisted_query_not_found(error))
            }
        });
    }
    Ok(admitted)
}

/// The 405 that refuses a `GET` whose operation is a mutation or a subscription: a safe method
/// never writes (and a subscription needs the WebSocket).
fn refuse_unsafe_operations(
    admitted: &mut [Result<Request, Outcome>],
    media: Media,
) -> Option<HttpResponse> {
    let kind = admitted
        .iter_mut()
        .flatten()
        .find_map(|request| match operation_type(request) {
            Some(OperationType::Mutation) => Some("a mutation"),
            Some(OperationType::Subscription) => Some("a subscription"),
            Some(OperationType::Query) | None => None,
        })?;
    let error = ApiError::bad_input(format!(
        "{kind} cannot run over GET: send it with POST (a subscription over the WebSocket)"
    ));
    let mut response = refusal_with_status(media, StatusCode::METHOD_NOT_ALLOWED, &error);
    response
        .headers_mut()
        .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
    Some(response)
}
