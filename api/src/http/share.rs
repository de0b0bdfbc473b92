//! Using a share link (`domain::share_link`):
//!
//! - `GET /share/{secret}/document.md`: the plan's document, as `GET /plans/{id}/document.md`
//!   renders it, for a link whose scope includes DOCUMENT. No other credential is needed or
//!   read. The secret is in the path (a link is meant to be clicked); the request's log line
//!   and span name the route, never the path.
//! - `POST /share/token` with `Authorization: Bearer <secret>`: a short-lived token for the
//!   plan's read-only GraphQL graph, for a link whose scope includes API. The token lives
//!   [`TOKEN_LIFETIME_SECONDS`] at most, never past the link's expiry, and each request it
//!   authenticates reads the link again: revoking the link stops it at once. The secret itself
//!   is also accepted as a bearer credential by `/graphql`.
//!
//! A link that is unknown, revoked or expired answers 401 `UNAUTHENTICATED`; a link whose scope
//! does not open what is asked answers 403 `FORBIDDEN`.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{error_response, rate::charge, state::AppState};
use crate::{
    auth::{
        AuthError,
        principal::{AuthenticateError, find_share_link, shared_plan_principal},
        share_link::{SUBJECT_PREFIX, ShareClaims, TOKEN_LIFETIME_SECONDS, is_share_link},
    },
    domain::{self, Session},
    error::{ApiError, ErrorCode},
    ids::{self, NodeType},
    ratelimit::DOCUMENT_COST,
};

/// The cost units a token costs the link's budgets.
const TOKEN_COST: u64 = 10;

fn refused(error: AuthenticateError) -> ApiError {
    match error {
        AuthenticateError::Refused(error) => error.into(),
        AuthenticateError::Store(error) => error.into(),
    }
}

fn not_ready(state: &AppState) -> Option<HttpResponse> {
    (!state.database.is_ready()).then(|| {
        error_response(&ApiError::new(
            ErrorCode::ServiceUnavailable,
            "the server is starting and its database is not ready yet; retry shortly",
        ))
    })
}

/// The session of a standing link whose scope `opens` what is asked, charged `units`, or the
/// refusal.
async fn link_session(
    state: &AppState,
    request: &HttpRequest,
    secret: &str,
    opens: fn(entity::share_link::ShareLinkScope) -> bool,
    units: u64,
) -> Result<(Session, entity::share_link::Model), HttpResponse> {
    if let Some(refusal) = not_ready(state) {
        return Err(refusal);
    }
    let link = find_share_link(&state.db, secret)
        .await
        .map_err(|error| error_response(&refused(error)))?;
    if !opens(link.scope) {
        return Err(error_response(&ApiError::from(AuthError::Forbidden(
            "this share link does not open this".into(),
        ))));
    }
    let principal = shared_plan_principal(&state.db, link.clone(), None, None)
        .await
        .map_err(|error| error_response(&refused(error)))?;
    crate::observability::record::tenant(request, &principal.tenant_key);
    let session = Session::new(principal, state.db.clone(), state.events.clone())
        .through(state.lanes.clone());
    charge(state, Some(&session), request, units)
        .await
        .map_err(|error| error_response(&error))?;
    Ok((session, link))
}

/// `GET /share/{secret}/document.md`.
#[tracing::instrument(skip_all)]
pub async fn document(
    state: web::Data<AppState>,
    request: HttpRequest,
    secret: web::Path<String>,
) -> HttpResponse {
    let (session, link) = match link_session(
        &state,
        &request,
        &secret,
        entity::share_link::ShareLinkScope::opens_document,
        DOCUMENT_COST,
    )
    .await
    {
        Ok(opened) => opened,
        Err(refusal) => return refusal,
    };
    match domain::plan::document::load(&session, link.plan_id).await {
        Ok(document) => HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header(("Referrer-Policy", "no-referrer"))
            .body(super::document::render(&document)),
        Err(error) => error_response(&ApiError::from(error)),
    }
}

/// The secret of `Authorization: Bearer lvs_…`, or the `UNAUTHENTICATED` error refusing the
/// request.
fn bearer_secret(request: &HttpRequest) -> Result<String, ApiError> {
    let refusal = |message: &str| ApiError::new(ErrorCode::Unauthenticated, message);
    let mut values = request.headers().get_all(header::AUTHORIZATION);
    let value = match (values.next(), values.next()) {
        (Some(value), None) => value
            .to_str()
            .map_err(|_| refusal("malformed Authorization header"))?,
        (None, _) => return Err(refusal("send the link as Authorization: Bearer lvs_…")),
        (Some(_), Some(_)) => return Err(refusal("send exactly one Authorization header")),
    };
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    let secret = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") && is_share_link(secret) {
        Ok(secret.to_owned())
    } else {
        Err(refusal("send the link as Authorization: Bearer lvs_…"))
    }
}

/// `POST /share/token`.
#[tracing::instrument(skip_all)]
pub async fn token(state: web::Data<AppState>, request: HttpRequest) -> HttpResponse {
    let secret = match bearer_secret(&request) {
        Ok(secret) => secret,
        Err(error) => return error_response(&error),
    };
    let verifier = state.authenticator.verifier();
    if !verifier.can_sign() {
        return error_response(&ApiError::from(AuthError::Forbidden(
            "this server verifies tokens it cannot sign (public keys): send the link itself as \
             Authorization: Bearer lvs_… to /graphql"
                .into(),
        )));
    }
    let (session, link) = match link_session(
        &state,
        &request,
        &secret,
        entity::share_link::ShareLinkScope::opens_api,
        TOKEN_COST,
    )
    .await
    {
        Ok(opened) => opened,
        Err(refusal) => return refusal,
    };
    let now = Utc::now();
    let expires_at = (now + Duration::seconds(TOKEN_LIFETIME_SECONDS)).min(link.expires_at);
    let seconds = |instant: DateTime<Utc>| u64::try_from(instant.timestamp()).unwrap_or_default();
    let principal = session.principal();
    let signed = verifier.sign_share_token(
        format!("{SUBJECT_PREFIX}{}", link.prefix),
        &principal.tenant_key,
        ShareClaims {
            shl: link.id,
            pid: link.plan_id,
        },
        seconds(now),
        seconds(expires_at),
    );
    match signed {
        Ok(token) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(json!({
                "token": token,
                "tokenType": "Bearer",
                "expiresAt": expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "planId": ids::encode(NodeType::Plan, link.plan_id).0,
            })),
        Err(error) => error_response(&ApiError::internal(&error)),
    }
}
