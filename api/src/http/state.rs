//! What the request handlers share, built once by `app::build_app` and handed to every handler
//! as `web::Data<AppState>`. It lives with the handlers so that `http` never imports `app`: the
//! application wires the handlers, not the other way round.

use std::time::Duration;

use sea_orm::DatabaseConnection;

use super::graphql_request::BatchPolicy;
use crate::{
    auth::principal::Authenticator,
    db::{DatabaseState, Lanes},
    events::EventBus,
    graphql::{LevierSchema, admission::Admission},
    observability::OperationNames,
    ratelimit::RateLimiter,
    shutdown::Shutdown,
};

/// What the request handlers share.
pub struct AppState {
    /// The database pool.
    pub db: DatabaseConnection,
    /// The connections kept out of the pool for the reads of scopes outside a transaction
    /// (PostgreSQL), and the queue write transactions begin in (SQLite).
    pub lanes: Lanes,
    /// Whether the database is ready (reached and migrated at start), or why not.
    pub database: DatabaseState,
    /// The GraphQL schema.
    pub schema: LevierSchema,
    /// The same schema without extensions, for the queries and mutations admitted over HTTP
    /// (`graphql::plain`); `None` when traces are exported, whose spans are an extension.
    pub plain_schema: Option<LevierSchema>,
    /// Turns credentials into principals.
    pub authenticator: Authenticator,
    /// Whether batches are accepted, and how large.
    pub batches: BatchPolicy,
    /// Admits documents: their bounds (which a batch's operations share) and the persisted
    /// queries.
    pub admission: Admission,
    /// Carries committed measurements to live subscribers.
    pub events: EventBus,
    /// How long a client may take to send a GraphQL request's body.
    pub body_timeout: Duration,
    /// Largest file an import endpoint accepts (`LEVIER_MAX_IMPORT_BYTES`).
    pub max_import_bytes: usize,
    /// The budgets every endpoint charges.
    pub rate_limiter: RateLimiter,
    /// Where the server is in its life: `/readyz` and the subscriptions follow it.
    pub shutdown: Shutdown,
    /// The GraphQL operation names the metrics label apart.
    pub operation_names: OperationNames,
    /// Whether webhook endpoints may target private and loopback addresses
    /// (`LEVIER_WEBHOOK_ALLOW_PRIVATE`).
    pub webhook_allow_private: bool,
}
