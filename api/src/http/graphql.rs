//! `POST /graphql` (GraphQL over HTTP, JSON only) and `GET /graphql` (GraphiQL).
//!
//! Mutations only ever arrive by POST with a JSON body: GET serves the GraphiQL page and never
//! executes an operation, and a JSON content type keeps browsers from posting cross-site forms.
//!
//! The body is read within `LEVIER_BODY_TIMEOUT_SECONDS` of the handler starting (408 and the
//! connection closed after it), so a client that sends its headers and then stalls cannot hold
//! a connection; its size is capped by `LEVIER_MAX_BODY_BYTES` (413).
//!
//! Documents are admitted here before anything runs (`graphql::limits`), a single request's
//! alone and a batch's together against one budget; a batch (when allowed) holds at most
//! `max_batch_operations` operations. A request over a bound, its cost included, is refused
//! whole with HTTP 400 and `QUERY_TOO_COMPLEX`; the answers of what runs carry its cost.
//!
//! The HTTP status: a request refused before any operation runs (a body that is not JSON, too
//! large or late, a malformed request, a refused batch or credential) answers the status of
//! its code in the error table (`crate::error`), or the transport's own (415, 413, 408). Once
//! operations ran, GraphQL reports their errors in the body of a 200 — `NOT_FOUND`,
//! `BAD_USER_INPUT`, `FORBIDDEN`, `CONFLICT` alike, whatever their status in the table — except
//! the two that HTTP clients and proxies act on (see [`executed_status`]).

use actix_web::{FromRequest, HttpRequest, HttpResponse, http::StatusCode, http::header, web};
use async_graphql::{
    BatchRequest, BatchResponse, Request, Response, ServerError, http::GraphiQLSource,
};

use super::{
    credentials::session_of, error_response, error_response_with_status, response_with_status,
};
use crate::{
    error::{ApiError, ErrorCode},
    graphql::{
        context::RequestState,
        errors::{self, first_code, has_code},
        limits::{self, Budget, Refusal},
    },
    http::state::AppState,
};

/// The GraphiQL page.
pub async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .title("Levier GraphiQL")
                .finish(),
        )
}

/// Executes a GraphQL request (or, when configured, a batch of them).
pub async fn execute(
    state: web::Data<AppState>,
    request: HttpRequest,
    // Taken unread, to read it under a deadline (see `read_body`).
    payload: web::Payload,
) -> HttpResponse {
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !is_json {
        let error = ApiError::bad_input(
            "send the GraphQL request as JSON (Content-Type: application/json)",
        );
        return error_response_with_status(StatusCode::UNSUPPORTED_MEDIA_TYPE, &error);
    }
    let body = match read_body(&state, &request, payload).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(error) => {
            return error_response(&ApiError::bad_input(format!(
                "malformed GraphQL request: {error}"
            )));
        }
    };
    let operations = match batch {
        BatchRequest::Single(single) => match admit_single(&state, single) {
            Ok(admitted) => Operations::Single(Box::new(admitted)),
            Err(refusal) => return error_response(&refusal),
        },
        BatchRequest::Batch(_) if !state.allow_batching => {
            return error_response(&ApiError::bad_input(
                "batched requests are not accepted; send one request per POST",
            ));
        }
        BatchRequest::Batch(requests) => match admit_batch(&state, requests) {
            Ok(admitted) => Operations::Batch(admitted),
            Err(refusal) => return error_response(&refusal),
        },
    };
    let session = match session_of(&state, &request).await {
        Ok(session) => session,
        Err(error) => return error_response(&error),
    };
    let response = match operations {
        Operations::Single(single) => BatchResponse::Single(
            state
                .schema
                .execute(single.data(RequestState::new(session)))
                .await,
        ),
        Operations::Batch(admitted) => {
            let mut responses = Vec::with_capacity(admitted.len());
            for operation in admitted {
                responses.push(match operation {
                    Ok(single) => {
                        state
                            .schema
                            .execute(single.data(RequestState::new(session.clone())))
                            .await
                    }
                    Err(error) => errors::finish(Response::from_errors(vec![error])),
                });
            }
            BatchResponse::Batch(responses)
        }
    };
    let responses = match &response {
        BatchResponse::Single(single) => std::slice::from_ref(single),
        BatchResponse::Batch(all) => all.as_slice(),
    };
    response_with_status(executed_status(responses))
        .content_type("application/json")
        .json(response)
}

/// The HTTP status of executed operations: 200, with their errors in the body, except where
/// the status of the error table is one that HTTP clients and proxies act on:
/// - `SERVICE_UNAVAILABLE` anywhere: its status (503, with a `Retry-After`), so that clients
///   retry and load balancers notice, however much else succeeded;
/// - `UNAUTHENTICATED` first in an operation's errors: its status (401). A request without
///   credentials may read the schema; an operation whose first error is that it needs a
///   credential asked for nothing else.
fn executed_status(responses: &[Response]) -> StatusCode {
    if responses
        .iter()
        .any(|response| has_code(response, ErrorCode::ServiceUnavailable))
    {
        ErrorCode::ServiceUnavailable.http_status()
    } else if responses
        .iter()
        .any(|response| first_code(response) == Some(ErrorCode::Unauthenticated))
    {
        ErrorCode::Unauthenticated.http_status()
    } else {
        StatusCode::OK
    }
}

/// The request body, read (and decompressed) the way actix's `Bytes` extractor does — within
/// the `LEVIER_MAX_BODY_BYTES` limit — but within the body timeout too; otherwise the coded
/// response that refuses it: 413 over the limit, 408 (closing the connection, whose unread
/// rest cannot be skipped) when the body is late, 400 when it cannot be read.
async fn read_body(
    state: &AppState,
    request: &HttpRequest,
    payload: web::Payload,
) -> Result<web::Bytes, HttpResponse> {
    let mut payload = payload.into_inner();
    let read = web::Bytes::from_request(request, &mut payload);
    match tokio::time::timeout(state.body_timeout, read).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(error)) => {
            let status = error.as_response_error().status_code();
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "the request body is larger than this server accepts".to_owned()
            } else {
                format!("unreadable request body: {error}")
            };
            Err(error_response_with_status(
                status,
                &ApiError::bad_input(message),
            ))
        }
        Err(_late) => {
            tracing::info!(
                timeout_seconds = state.body_timeout.as_secs(),
                "request body not received in time"
            );
            let mut response = error_response_with_status(
                StatusCode::REQUEST_TIMEOUT,
                &ApiError::bad_input(format!(
                    "the request body did not arrive within {} seconds",
                    state.body_timeout.as_secs()
                )),
            );
            response
                .head_mut()
                .set_connection_type(actix_web::http::ConnectionType::Close);
            Err(response)
        }
    }
}

/// The operations of a POST, admitted here: one request, or a batch, each operation as a
/// request carrying its parsed document and its cost, or as the error that makes its document
/// invalid.
enum Operations {
    Single(Box<Request>),
    Batch(Vec<Result<Request, ServerError>>),
}

/// Admits the document of a single request, before anything runs: over a bound (its cost
/// included), it is refused with its status. An invalid document (a syntax error) goes on
/// unmarked: the schema's extension refuses it again, with its `BAD_USER_INPUT` error.
fn admit_single(state: &AppState, request: Request) -> Result<Request, ApiError> {
    match limits::admit(&request, &mut Budget::for_request(state.query_limits)) {
        Ok(admitted) => Ok(admitted.hand_over(request)),
        Err(Refusal::TooComplex(message)) => {
            Err(ApiError::new(ErrorCode::QueryTooComplex, message))
        }
        Err(Refusal::Invalid(_)) => Ok(request),
    }
}

/// Admits the documents of a batch together, against one budget, before any runs. A batch
/// with too many operations, or whose documents together go over a bound, is refused whole;
/// an invalid document (a syntax error) fails only its own operation.
fn admit_batch(
    state: &AppState,
    requests: Vec<Request>,
) -> Result<Vec<Result<Request, ServerError>>, ApiError> {
    if requests.len() > state.max_batch_operations {
        return Err(ApiError::new(
            ErrorCode::QueryTooComplex,
            format!(
                "a batch holds at most {} operations, not {}",
                state.max_batch_operations,
                requests.len()
            ),
        ));
    }
    let mut budget = Budget::for_batch(state.query_limits);
    requests
        .into_iter()
        .map(|request| match limits::admit(&request, &mut budget) {
            Ok(document) => Ok(Ok(document.hand_over(request))),
            Err(Refusal::TooComplex(message)) => {
                Err(ApiError::new(ErrorCode::QueryTooComplex, message))
            }
            Err(Refusal::Invalid(error)) => Ok(Err(error)),
        })
        .collect()
}
