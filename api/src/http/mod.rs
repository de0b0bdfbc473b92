//! HTTP endpoints: GraphQL over HTTP, GraphiQL, GraphQL subscriptions over WebSocket, the plan
//! as a Markdown document, the CSV exports, health and readiness.

pub mod credentials;
pub mod document;
pub mod export;
pub mod graphql;
pub mod health;
pub mod subscription;

use actix_web::{HttpResponse, http::StatusCode};
use serde_json::json;

use crate::graphql::errors::{ApiError, ErrorCode};

/// A GraphQL-shaped error body with a status, for failures before any GraphQL runs.
pub fn error_response(status: StatusCode, error: &ApiError) -> HttpResponse {
    HttpResponse::build(status).json(json!({
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
