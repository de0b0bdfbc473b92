//! Credentials to session: the one function every authenticated endpoint (GraphQL, the plan
//! document) calls to turn the request's bearer token and tenant header into a [`Session`].

use actix_web::{HttpRequest, http::header};

use crate::{
    app::AppState,
    auth::principal::AuthenticateError,
    domain::Session,
    graphql::errors::{ApiError, ErrorCode},
};

/// The header an agency token uses to pick a tenant.
pub const TENANT_HEADER: &str = "X-Levier-Tenant";

/// The token of `Authorization: Bearer <token>`, `None` without the header, or an
/// `UNAUTHENTICATED` error for any other shape.
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

/// The caller's session: `None` when the request carries no credential, an error when the
/// credential (or the tenant it asks for) is refused.
pub async fn session_of(
    state: &AppState,
    request: &HttpRequest,
) -> Result<Option<Session>, ApiError> {
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
