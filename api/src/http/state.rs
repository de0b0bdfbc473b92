//! What the request handlers share, built once by `app::build_app` and handed to every handler
//! as `web::Data<AppState>`. It lives with the handlers so that `http` never imports `app`: the
//! application wires the handlers, not the other way round.

use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::{
    auth::principal::Authenticator, config::QueryLimits, events::EventBus, graphql::LevierSchema,
};

/// What the request handlers share.
pub struct AppState {
    /// The database pool.
    pub db: DatabaseConnection,
    /// The GraphQL schema.
    pub schema: LevierSchema,
    /// Turns credentials into principals.
    pub authenticator: Authenticator,
    /// Whether array batching is accepted.
    pub allow_batching: bool,
    /// Most operations in one batch.
    pub max_batch_operations: usize,
    /// The bounds on documents, which a batch's operations share.
    pub query_limits: QueryLimits,
    /// Carries committed measurements to live subscribers.
    pub events: EventBus,
    /// How long a client may take to send a GraphQL request's body.
    pub body_timeout: Duration,
}
