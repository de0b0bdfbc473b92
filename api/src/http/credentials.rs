//! Credentials to session: the one path every authenticated endpoint (GraphQL, the plan
//! document, the CSV exports, a WebSocket's `connection_init`) takes to turn a bearer token and
//! a tenant header into a [`Session`].
//!
//! The CSV exports also take an API key as HTTP Basic authentication, the key as the password
//! (any user name): Excel's and Power BI's "From Web" can send Basic credentials but no bearer
//! token. Only API keys, only there, and never in the query string, where URLs end up in logs.

use std::borrow::Cow;

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, HeaderValue},
};
use base64::{Engine, engine::general_purpose::STANDARD};

use crate::{
    auth::{Grant, api_key::SECRET_MARKER, principal::AuthenticateError},
    domain::Session,
    error::{ApiError, ErrorCode},
    http::state::AppState,
    observability,
};

/// The authentication schemes an endpoint accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schemes {
    /// `Authorization: Bearer <token or API key>`: GraphQL, the plan document, WebSockets.
    Bearer,
    /// Bearer, or `Authorization: Basic` with an API key as the password: the CSV exports.
    BearerOrBasic,
}

/// The challenge a 401 of an endpoint accepting `schemes` answers with.
fn challenge(schemes: Schemes) -> &'static str {
    match schemes {
        Schemes::Bearer => "Bearer",
        Schemes::BearerOrBasic => "Bearer, Basic realm=\"Levier exports\", charset=\"UTF-8\"",
    }
}

/// The header an agency token uses to pick a tenant.
pub const TENANT_HEADER: &str = "X-Levier-Tenant";

/// The token of an `Authorization` value: `Bearer <token>`, or, where `schemes` allows it,
/// `Basic <base64(user:API key)>`; an `UNAUTHENTICATED` error for any other shape.
fn credential_token(authorization: &str, schemes: Schemes) -> Result<Cow<'_, str>, ApiError> {
    let refused = |message: &str| ApiError::new(ErrorCode::Unauthenticated, message);
    let (scheme, rest) = authorization.split_once(' ').unwrap_or((authorization, ""));
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") && !rest.is_empty() {
        return Ok(Cow::Borrowed(rest));
    }
    if scheme.eq_ignore_ascii_case("basic") && schemes == Schemes::BearerOrBasic {
        let decoded = STANDARD
            .decode(rest)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| refused("malformed Basic credentials: base64 of user:password"))?;
        let password = decoded.split_once(':').map_or("", |(_, password)| password);
        // A JWT is never sent as a password: Basic carries the long-lived API keys BI tools
        // store, nothing else.
        return if password.starts_with(SECRET_MARKER) {
            Ok(Cow::Owned(password.to_owned()))
        } else {
            Err(refused(
                "Basic authentication takes an API key (lvk_…) as the password",
            ))
        };
    }
    Err(refused(match schemes {
        Schemes::Bearer => "use Authorization: Bearer <token>",
        Schemes::BearerOrBasic => {
            "use Authorization: Bearer <token>, or Basic with an API key as the password"
        }
    }))
}

/// The caller's session from a bearer credential: `None` when the request carries no
/// credential, an error when the credential (or the tenant it asks for) is refused.
pub async fn session_of(
    state: &AppState,
    request: &HttpRequest,
) -> Result<Option<Session>, ApiError> {
    session_with(state, request, Schemes::Bearer).await
}

/// [`session_of`] for an endpoint accepting `schemes`.
async fn session_with(
    state: &AppState,
    request: &HttpRequest,
    schemes: Schemes,
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
    let session = session_for(state, authorization, requested_tenant, schemes).await;
    if let Ok(Some(session)) = &session {
        observability::record::tenant(request, &session.principal().tenant_key);
    }
    // The audit trail records each write with the request's id.
    let request_id = actix_web::HttpMessage::extensions(request)
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string());
    session.map(|session| session.map(|session| session.with_request_id(request_id)))
}

/// The session for the values of an `Authorization` and an `X-Levier-Tenant` header, wherever
/// they came from (HTTP headers, or the payload of a WebSocket's `connection_init`): `None`
/// without an authorization, an error when it (or the tenant it asks for) is refused.
pub async fn session_from(
    state: &AppState,
    authorization: Option<&str>,
    requested_tenant: Option<&str>,
) -> Result<Option<Session>, ApiError> {
    let session = session_for(state, authorization, requested_tenant, Schemes::Bearer).await?;
    // A share link reads over HTTP only, where every request checks that the link stands: a
    // connection would outlive its revocation.
    if let Some(session) = &session
        && matches!(session.principal().grant, Grant::SharedPlan { .. })
    {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "a share link reads over HTTP only, not over a WebSocket",
        ));
    }
    Ok(session)
}

/// The session of an `Authorization` value in one of `schemes` asking for `requested_tenant`.
async fn session_for(
    state: &AppState,
    authorization: Option<&str>,
    requested_tenant: Option<&str>,
    schemes: Schemes,
) -> Result<Option<Session>, ApiError> {
    let Some(authorization) = authorization else {
        return Ok(None);
    };
    // Every credential is checked against the database (its tenant, an API key): none before
    // the database is reached and migrated at start (`/readyz` tells why not).
    if !state.database.is_ready() {
        return Err(ApiError::new(
            ErrorCode::ServiceUnavailable,
            "the server is starting and its database is not ready yet; retry shortly",
        ));
    }
    let token = credential_token(authorization, schemes)?;
    match state
        .authenticator
        .authenticate(&state.db, &token, requested_tenant)
        .await
    {
        Ok(principal) => Ok(Some(
            Session::new(principal, state.db.clone(), state.events.clone())
                .through(state.lanes.clone())
                .allowing_private_webhooks(state.webhook_allow_private),
        )),
        Err(AuthenticateError::Refused(error)) => Err(error.into()),
        Err(AuthenticateError::Store(error)) => Err(error.into()),
    }
}

/// The session of a plain-HTTP endpoint that always needs a credential (the plan document with
/// [`Schemes::Bearer`], the CSV exports with [`Schemes::BearerOrBasic`]), or the response that
/// refuses the request: 401 without a credential (with the endpoint's challenge), the
/// credential's own error status otherwise.
pub async fn required_session(
    state: &AppState,
    request: &HttpRequest,
    schemes: Schemes,
) -> Result<Session, HttpResponse> {
    let refusal = |error: &ApiError| {
        let mut response = super::error_response(error);
        if error.code == ErrorCode::Unauthenticated {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge(schemes)),
            );
        }
        response
    };
    match session_with(state, request, schemes).await {
        Ok(Some(session)) => Ok(session),
        Ok(None) => Err(refusal(&ApiError::unauthenticated())),
        Err(error) => Err(refusal(&error)),
    }
}
