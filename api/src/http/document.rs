//! `GET /plans/{id}/document.md`: the whole plan as Markdown (see `domain::plan::document`), with the
//! same credentials and tenancy as the GraphQL API: 401 without a valid token, 404 for a bad ID
//! or another tenant's plan, 403 when the policy refuses the caller.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};

use super::{credentials::required_session, error_response, status_of};
use crate::{
    app::AppState,
    domain,
    graphql::{
        errors::{ApiError, ErrorCode},
        ids::{self, NodeType},
    },
};

/// The plan `id` (its global ID) rendered as `text/markdown`.
#[tracing::instrument(skip_all)]
pub async fn plan_document(
    state: web::Data<AppState>,
    request: HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    let session = match required_session(&state, &request).await {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let plan_id = match ids::decode_as(&id, NodeType::Plan) {
        Ok(plan_id) => plan_id,
        Err(error) => return error_response(StatusCode::NOT_FOUND, &error),
    };
    match domain::plan::document::load(&session, plan_id).await {
        Ok(document) => HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(domain::plan::document::render(&document)),
        Err(error) => {
            let error = ApiError::from(error);
            // Outside GraphQL a missing plan is an HTTP 404 (status_of keeps 400 for the codes
            // that GraphQL reports in its body).
            let status = if error.code == ErrorCode::NotFound {
                StatusCode::NOT_FOUND
            } else {
                status_of(error.code)
            };
            error_response(status, &error)
        }
    }
}
