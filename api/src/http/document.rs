//! `GET /plans/{id}/document.md`: the whole plan as Markdown (see `domain::plan::document`), with the
//! same credentials and tenancy as the GraphQL API: 401 without a valid token, 404 for a bad ID
//! or another tenant's plan, 403 when the policy refuses the caller (each error with its status
//! from the error table, `crate::error`).

use actix_web::{HttpRequest, HttpResponse, web};

use super::{credentials::required_session, error_response};
use crate::{
    domain,
    error::ApiError,
    http::state::AppState,
    ids::{self, NodeType},
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
        // A bad ID is NOT_FOUND, answered 404 like a missing plan.
        Err(error) => return error_response(&error),
    };
    match domain::plan::document::load(&session, plan_id).await {
        Ok(document) => HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(domain::plan::document::render(&document)),
        Err(error) => error_response(&ApiError::from(error)),
    }
}
