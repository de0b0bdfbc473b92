//! Credentials to session: the one path every authenticated endpoint (GraphQL, the plan
//! document, the CSV exports, a WebSocket's `connection_init`) takes to turn a bearer token and
//! a tenant header into a [`Session`].

use actix_web::{HttpRequest, http::header};

use crate::{
    auth::principal::AuthenticateError,
    domain::Session,
    error::{ApiError, ErrorCode},
    http::state::AppState,
};

/// The header an agency token uses to pick a tenant.
pub const TENANT_HEADER: &str = "X-Levier-Tenant";

/// The token of an `Authorization` value `Bearer <token>`, or an `UNAUTHENTICATED` error for
/// any other shape.
fn bearer_token(authorization: &str) -> Result<&str, ApiError> {
    match authorization.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
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
    let mut authorizations = request.headers().get_all(header::AUTHORIZATION);
    let authorization = match (authorizations.next(), authorizations.next()) {
        (None, _) => None,
        // Two credentials are ambiguous: which one a proxy or a logger saw first is not
        // necessarily the one that would be checked here.
        (Some(_), Some(_)) => {
            return Err(ApiError::new(
                ErrorCode::Unauthenticated,
                "send exactly one Authorization header",
            ));
        }
        (Some(value), None) => Some(value.to_str().map_err(|_| {
            ApiError::new(ErrorCode::Unauthenticated, "malformed Authorization header")
        })?),
    };
    let requested_tenant = match request.headers().get(TENANT_HEADER) {
        Some(value) => Some(
            value
                .to_str()
                .map_err(|_| ApiError::bad_input("malformed X-Levier-Tenant header"))?,
        ),
        None => None,
    };
    session_from(state, authorization, requested_tenant).await
}

/// The session for the values of an `Authorization` and an `X-Levier-Tenant` header, wherever
/// they came from (HTTP headers, or the payload of a WebSocket's `connection_init`): `None`
/// without an authorization, an error when it (or the tenant it asks for) is refused.
pub async fn session_from(
    state: &AppState,
    authorization: Option<&str>,
    requested_tenant: Option<&str>,
) -> Result<Option<Session>, ApiError> {
    let Some(authorization) = authorization else {
        return Ok(None);
    };
    let token = bearer_token(authorization)?;
    match state
        .authenticator
        .authenticate(&state.db, token, requested_tenant)
        .await
    {
        Ok(principal) => Ok(Some(Session::new(
            principal,
            state.db.clone(),
            state.events.clone(),
        ))),
        Err(AuthenticateError::Refused(error)) => Err(error.into()),
        Err(AuthenticateError::Store(error)) => Err(error.into()),
    }
}

/// The session of a plain-HTTP endpoint that always needs a credential (the plan document, the
/// CSV exports), or the response that refuses the request: 401 without a credential, the
/// credential's own error status otherwise.
pub async fn required_session(
    state: &AppState,
    request: &HttpRequest,
) -> Result<Session, actix_web::HttpResponse> {
    match session_of(state, request).await {
        Ok(Some(session)) => Ok(session),
        Ok(None) => Err(super::error_response(&ApiError::unauthenticated())),
        Err(error) => Err(super::error_response(&error)),
    }
}
