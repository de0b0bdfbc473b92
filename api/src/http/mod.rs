//! HTTP endpoints: GraphQL over HTTP (with its content negotiation), GraphiQL (with its files,
//! embedded), GraphQL subscriptions over WebSocket, the plan
//! as a Markdown document, the CSV exports, health and readiness, the Prometheus metrics; and
//! the handling of request bodies that are not read to their end.

pub mod body;
pub mod cors;
pub mod credentials;
pub mod document;
pub mod export;
pub mod graphiql;
pub mod graphql;
pub mod graphql_answer;
pub mod graphql_request;
pub mod graphql_run;
pub mod health;
pub mod import;
pub mod metrics;
pub mod negotiation;
pub mod rate;
pub mod share;
pub mod state;
pub mod subscription;

use actix_web::{
    HttpResponse, HttpResponseBuilder,
    http::{StatusCode, header},
};
use serde_json::json;

use crate::{error::ApiError, observability::record::AnsweredError};

/// The `Retry-After` of a 503 (the database is down or busy), in seconds (a 429 tells its own
/// wait, [`response_for_error`]): long enough
/// for a busy SQLite writer to finish, short enough to notice a recovered database quickly.
pub const RETRY_AFTER_SECONDS: u64 = 2;

/// A response builder with `status`, and with the headers that status calls for: `Retry-After`
/// when it asks the client to come back later (503, 429), and `WWW-Authenticate: Bearer` on a
/// 401, which RFC 9110 requires and which tells a client (or a proxy) which credential to send.
pub fn response_with_status(status: StatusCode) -> HttpResponseBuilder {
    let mut builder = HttpResponse::build(status);
    if matches!(
        status,
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS
    ) {
        builder.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECONDS));
    }
    if status == StatusCode::UNAUTHORIZED {
        builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
    }
    builder
}

/// The answer to an error raised outside GraphQL's execution (a refused credential, a bad
/// parameter, a missing plan, an unknown route): the status the error table gives its code
/// (`crate::error`) and a GraphQL-shaped body ([`error_body`]).
pub fn error_response(error: &ApiError) -> HttpResponse {
    error_response_with_status(error.code.http_status(), error)
}

/// An error's GraphQL-shaped body with a status of the transport rather than of its code: a
/// request body that is too large (413), late (408) or not JSON (415) is still, for the
/// client, a `BAD_USER_INPUT`.
pub fn error_response_with_status(status: StatusCode, error: &ApiError) -> HttpResponse {
    response_for_error(status, error).json(error_body(error))
}

/// [`response_with_status`] for `error`: its own `Retry-After` when it knows the wait (a
/// `RATE_LIMITED`), rather than the fixed one of its status.
pub fn response_for_error(status: StatusCode, error: &ApiError) -> HttpResponseBuilder {
    let mut builder = response_with_status(status);
    // For the access line and the metrics (`observability`).
    builder.extensions_mut().insert(AnsweredError(error.code));
    if let Some(seconds) = error.retry_after {
        builder.insert_header((header::RETRY_AFTER, seconds));
    }
    builder
}

/// The body of an error raised before anything executed: a GraphQL response with the error
/// alone and no `data` entry, as the GraphQL specification has a request error.
pub fn error_body(error: &ApiError) -> serde_json::Value {
    let mut extensions = json!({ "code": error.code.as_str() });
    if let Some(seconds) = error.retry_after {
        extensions["retryAfter"] = json!(seconds);
    }
    json!({ "errors": [{ "message": error.message, "extensions": extensions }] })
}
