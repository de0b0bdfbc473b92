//! HTTP endpoints: GraphQL over HTTP, GraphiQL, GraphQL subscriptions over WebSocket, the plan
//! as a Markdown document, the CSV exports, health and readiness; and the handling of request
//! bodies that are not read to their end.

pub mod body;
pub mod credentials;
pub mod document;
pub mod export;
pub mod graphql;
pub mod health;
pub mod subscription;

use actix_web::{
    HttpResponse, HttpResponseBuilder,
    http::{StatusCode, header},
};
use serde_json::json;

use crate::graphql::errors::{ApiError, ErrorCode};

/// The `Retry-After` of a 503 (the database is down or busy) or a 429, in seconds: long enough
/// for a busy SQLite writer to finish, short enough to notice a recovered database quickly.
pub const RETRY_AFTER_SECONDS: u64 = 2;

/// A response builder with `status`, and with `Retry-After` when the status asks the client to
/// come back later (503, 429).
pub fn response_with_status(status: StatusCode) -> HttpResponseBuilder {
    let mut builder = HttpResponse::build(status);
    if matches!(
        status,
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS
    ) {
        builder.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECONDS));
    }
    builder
}

/// A GraphQL-shaped error body with a status, for failures before any GraphQL runs.
pub fn error_response(status: StatusCode, error: &ApiError) -> HttpResponse {
    response_with_status(status).json(json!({
        "data": null,
        "errors": [{ "message": error.message, "extensions": { "code": error.code.as_str() } }]
    }))
}

/// The HTTP status that goes with an error code raised before or outside execution.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::InternalServerError => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::BAD_REQUEST,
    }
}
