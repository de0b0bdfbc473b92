//! `POST /graphql` (GraphQL over HTTP, JSON only) and `GET /graphql` (GraphiQL).
//!
//! Mutations only ever arrive by POST with a JSON body: GET serves the GraphiQL page and never
//! executes an operation, and a JSON content type keeps browsers from posting cross-site forms.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, http::header, web};
use async_graphql::{BatchRequest, BatchResponse, http::GraphiQLSource};

use super::{error_response, status_of};
use crate::{
    app::AppState,
    auth::principal::AuthenticateError,
    domain::Session,
    graphql::{
        context::RequestState,
        errors::{ApiError, ErrorCode, first_code},
    },
};

/// The header an agency token uses to pick a tenant.
pub const TENANT_HEADER: &str = "X-Levier-Tenant";

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

fn bearer_token(request: &HttpRequest) -> Result<Option<&str>, ApiError> {
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| ApiError::new(ErrorCode::Unauthenticated, "malformed Authorization header"))?;
    match text.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim()))
        }
        _ => Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "use Authorization: Bearer <token>",
        )),
    }
}

async fn session_of(state: &AppState, request: &HttpRequest) -> Result<Option<Session>, ApiError> {
    let Some(token) = bearer_token(request)? else {
        return Ok(None);
    };
    let requested_tenant = match request.headers().get(TENANT_HEADER) {
        Some(value) => Some(
            value
                .to_str()
                .map_err(|_| ApiError::bad_input("malformed X-Levier-Tenant header"))?,
        ),
        None => None,
    };
    match state
        .authenticator
        .authenticate(&state.db, token, requested_tenant)
        .await
    {
        Ok(principal) => Ok(Some(Session::new(principal, state.db.clone()))),
        Err(AuthenticateError::Refused(error)) => Err(error.into()),
        Err(AuthenticateError::Store(error)) => Err(error.into()),
    }
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
