//! `GET /healthz` (the process is up) and `GET /readyz` (the database was reached and migrated
//! at start and answers now, and the server is not shutting down; it also tells where the rate
//! limits' buckets are kept, so that a Redis outage shows).

use actix_web::{HttpResponse, get, web};
use serde_json::json;

use crate::{
    db::{self, DatabaseStatus},
    http::state::AppState,
    shutdown::Phase,
};

/// The process is up.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The database answers; 503 otherwise, so a load balancer stops routing here, with a `status`
/// and a `reason`: `starting` (connecting, migrating), `database unavailable` (not reached at
/// start and being retried, or not answering now), `migrations pending` (`LEVIER_NO_MIGRATE`
/// and a schema behind: run `levier migrate`). 503 `draining` too from the moment the server is
/// asked to shut down (`shutdown`), while it still serves what comes. Either way the body's
/// `rateLimits` tells where the buckets are (`local`, `shared`, or `fallback` with the charges
/// that fell back): a Redis outage does not make a replica unready.
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let rate_limits = state.rate_limiter.mode();
    if state.shutdown.phase() != Phase::Serving {
        return HttpResponse::ServiceUnavailable()
            .json(json!({ "status": "draining", "rateLimits": rate_limits }));
    }
    let status = state.database.status();
    if status != DatabaseStatus::Ready {
        return HttpResponse::ServiceUnavailable().json(json!({
            "status": status.label(),
            "reason": status.reason(),
            "rateLimits": rate_limits,
        }));
    }
    if db::is_ready(&state.db).await {
        HttpResponse::Ok().json(json!({ "status": "ready", "rateLimits": rate_limits }))
    } else {
        HttpResponse::ServiceUnavailable().json(json!({
            "status": "database unavailable",
            "reason": format!("the database does not answer within {} ms", db::READINESS_TIMEOUT.as_millis()),
            "rateLimits": rate_limits,
        }))
    }
}
