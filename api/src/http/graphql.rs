//! `/graphql` over HTTP, as the GraphQL-over-HTTP specification has it: `POST` with a JSON
//! body, and `GET` with the request in the URL's parameters, which runs queries only (a
//! mutation or a subscription is refused with 405 and `Allow: POST`, before anything runs).
//! A `GET` from a browser asking for HTML gets the GraphiQL page instead.
//!
//! Answers are `application/json` or `application/graphql-response+json`, as the `Accept`
//! header asks (`http::negotiation`; 406 when it accepts neither), with the statuses of
//! `http::graphql_answer`: a request refused before its operation runs (a document that does
//! not parse or validate, a missing variable, a refused credential) answers 4xx and no `data`;
//! an executed operation answers 200 with its field errors, except 401 and 503. Persisted
//! queries (Apollo's protocol) work over both methods (`graphql::persisted`). `GET` answers
//! carry `Cache-Control: no-store`: they depend on the caller's credential, and a persisted
//! query's miss must not be replayed by a cache.
//!
//! The body of a `POST` must be JSON (`Content-Type: application/json`, 415 otherwise: a JSON
//! content type keeps browsers from posting cross-site forms), read within
//! `LEVIER_BODY_TIMEOUT_SECONDS` of the handler starting (408 and the connection closed after
//! it), so that a client that sends its headers and then stalls cannot hold a connection; its
//! size is capped by `LEVIER_MAX_BODY_BYTES` (413).
//!
//! Documents are admitted before anything runs (`graphql::admission`, `graphql::limits`), a
//! single request's alone and a batch's together against one budget; a batch (when allowed)
//! holds at most `max_batch_operations` operations. A request over a bound, its cost
//! included, is refused whole with HTTP 400 and `QUERY_TOO_COMPLEX`; the answers of what runs
//! carry its cost in `extensions.cost`.

use actix_web::{
    FromRequest, HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};

use super::{
    graphql_answer::{refusal, refusal_with_status},
    graphql_request::{self, Operations},
    graphql_run::{self, Method},
    negotiation::{self, Media},
};
use crate::{error::ApiError, http::state::AppState};

/// The GraphiQL page (see [`super::graphiql`]).
pub async fn graphiql() -> HttpResponse {
    super::graphiql::page().await
}

/// `POST /graphql`: executes a GraphQL request (or, when configured, a batch of them).
pub async fn execute(
    state: web::Data<AppState>,
    request: HttpRequest,
    // Taken unread, to read it under a deadline (see `read_body`).
    payload: web::Payload,
) -> HttpResponse {
    let Some(media) = negotiation::negotiate(&request) else {
        return not_acceptable();
    };
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
        return refusal_with_status(media, StatusCode::UNSUPPORTED_MEDIA_TYPE, &error);
    }
    let body = match read_body(&state, &request, payload, media).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    match graphql_request::from_body(&body, state.batches) {
        Ok(operations) => graphql_run::run(&state, &request, media, operations, Method::Post).await,
        Err(error) => refusal(media, &error),
    }
}

/// `GET /graphql`: the GraphiQL page for a browser, otherwise the query in the URL's
/// parameters, executed.
pub async fn get(state: web::Data<AppState>, request: HttpRequest) -> HttpResponse {
    if negotiation::wants_html(&request) {
        return graphiql().await;
    }
    let Some(media) = negotiation::negotiate(&request) else {
        return not_acceptable();
    };
    let mut response = match graphql_request::from_query_string(request.query_string()) {
        Ok(single) => {
            let operations = Operations::Single(Box::new(single));
            graphql_run::run(&state, &request, media, operations, Method::Get).await
        }
        Err(error) => refusal(media, &error),
    };
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// The 406 of a request whose `Accept` names neither GraphQL media type.
fn not_acceptable() -> HttpResponse {
    refusal_with_status(
        Media::Json,
        StatusCode::NOT_ACCEPTABLE,
        &ApiError::bad_input(
            "this endpoint answers application/graphql-response+json or application/json: accept one of them",
        ),
    )
}

/// The request body, read (and decompressed) the way actix's `Bytes` extractor does — within
/// the `LEVIER_MAX_BODY_BYTES` limit — but within the body timeout too; otherwise the coded
/// response that refuses it: 413 over the limit, 408 (closing the connection, whose unread
/// rest cannot be skipped) when the body is late, 400 when it cannot be read.
async fn read_body(
    state: &AppState,
    request: &HttpRequest,
    payload: web::Payload,
    media: Media,
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
            Err(refusal_with_status(
                media,
                status,
                &ApiError::bad_input(message),
            ))
        }
        Err(_late) => {
            tracing::info!(
                timeout_seconds = state.body_timeout.as_secs(),
                "request body not received in time"
            );
            let mut response = refusal_with_status(
                media,
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
