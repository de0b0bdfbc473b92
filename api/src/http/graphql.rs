//! `POST /graphql` (GraphQL over HTTP, JSON only) and `GET /graphql` (GraphiQL).
//!
//! Mutations only ever arrive by POST with a JSON body: GET serves the GraphiQL page and never
//! executes an operation, and a JSON content type keeps browsers from posting cross-site forms.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, http::header, web};
use async_graphql::{BatchRequest, BatchResponse, http::GraphiQLSource};

use super::{credentials::session_of, error_response, status_of};
use crate::{
    app::AppState,
    graphql::{
        context::RequestState,
        errors::{ApiError, ErrorCode, first_code},
    },
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
    // Taken as a result so that a refused body (over the size limit) is answered as a coded
    // GraphQL error like every other refusal, not with the framework's plain text.
    body: Result<web::Bytes, actix_web::Error>,
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
        return error_response(StatusCode::UNSUPPORTED_MEDIA_TYPE, &error);
    }
    let body = match body {
        Ok(body) => body,
        Err(error) => {
            let status = error.as_response_error().status_code();
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "the request body is larger than this server accepts".to_owned()
            } else {
                format!("unreadable request body: {error}")
            };
            return error_response(status, &ApiError::bad_input(message));
        }
    };
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(error) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                &ApiError::bad_input(format!("malformed GraphQL request: {error}")),
            );
        }
    };
    if matches!(batch, BatchRequest::Batch(_)) && !state.allow_batching {
        return error_response(
            StatusCode::BAD_REQUEST,
            &ApiError::bad_input("batched requests are not accepted; send one request per POST"),
        );
    }
    let session = match session_of(&state, &request).await {
        Ok(session) => session,
        Err(error) => return error_response(status_of(error.code), &error),
    };
    let response = match batch {
        BatchRequest::Single(single) => BatchResponse::Single(
            state
                .schema
                .execute(single.data(RequestState::new(session)))
                .await,
        ),
        BatchRequest::Batch(requests) => {
            let mut responses = Vec::with_capacity(requests.len());
            for single in requests {
                responses.push(
                    state
                        .schema
                        .execute(single.data(RequestState::new(session.clone())))
                        .await,
                );
            }
            BatchResponse::Batch(responses)
        }
    };
    // A request without credentials may read the schema; anything else it asked for failed
    // with UNAUTHENTICATED, which HTTP reports as 401.
    let unauthenticated = match &response {
        BatchResponse::Single(single) => {
            first_code(single).as_deref() == Some(ErrorCode::Unauthenticated.as_str())
        }
        BatchResponse::Batch(all) => all
            .iter()
            .any(|r| first_code(r).as_deref() == Some(ErrorCode::Unauthenticated.as_str())),
    };
    let status = if unauthenticated {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    HttpResponse::build(status)
        .content_type("application/json")
        .json(response)
}
