//! The application: built once from a [`Config`] by `main` and by the tests alike.

use std::{net::TcpListener, time::Duration};

use actix_web::{
    App as ActixApp, HttpMessage, HttpResponse, HttpServer,
    dev::Server,
    middleware::{Compress, DefaultHeaders},
    web,
};
use sea_orm::{DatabaseConnection, DbBackend};
use thiserror::Error;
use tracing_actix_web::{RequestId, TracingLogger};

use crate::{
    auth::{AuthError, jwt::Verifier, principal::Authenticator},
    config::{Config, MetricsExposure},
    db::{self, StatementCounter},
    error::ApiError,
    events::{self, EventBus},
    graphql::{self, LevierSchema, admission::Admission},
    http::{self, graphql_request::BatchPolicy, metrics::MetricsEndpoint, state::AppState},
    observability::{self, OperationNames},
    ratelimit::{RateLimitError, RateLimiter},
};

/// How long a connection the server closes waits for the client to acknowledge it before it is
/// dropped (actix's `client_disconnect_timeout`, made explicit).
pub const CLIENT_DISCONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Why the application cannot start.
#[derive(Debug, Error)]
pub enum StartupError {
    /// The database cannot be reached or migrated.
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// The token verification key cannot be loaded.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// A rate-limit setting cannot be used.
    #[error(transparent)]
    RateLimits(#[from] RateLimitError),
    /// The listener cannot be used.
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
}

/// A ready application: connected, migrated, with its schema built.
pub struct App {
    config: Config,
    state: web::Data<AppState>,
    statements: StatementCounter,
}

/// Connects to the database, applies migrations, loads keys and builds the schema.
pub async fn build_app(config: Config) -> Result<App, StartupError> {
    let statements = StatementCounter::default();
    let connection = db::connect(&config, &statements).await?;
    db::migrate(&connection).await?;
    let verifier = Verifier::from_config(&config.jwt)?;
    let events = EventBus::new(connection.get_database_backend());
    if connection.get_database_backend() == DbBackend::Postgres {
        events::listener::start(events.clone(), &config.database_url).await?;
    }
    let state = web::Data::new(AppState {
        db: connection,
        schema: graphql::build_schema(config.query_limits),
        authenticator: Authenticator::new(verifier),
        batches: BatchPolicy {
            allowed: config.allow_batching,
            max_operations: config.max_batch_operations,
        },
        admission: Admission::new(config.query_limits, config.apq_cache_size),
        events,
        body_timeout: config.body_timeout,
        rate_limiter: RateLimiter::new(&config.rate_limits)?,
        operation_names: OperationNames::default(),
    });
    // Installed before the first request, so that nothing recorded is lost.
    observability::metrics::handle();
    Ok(App {
        config,
        state,
        statements,
    })
}

impl App {
    /// The database pool (tests use it to look behind the API).
    pub fn database(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// The schema (for `export-schema`).
    pub fn schema(&self) -> &LevierSchema {
        &self.state.schema
    }

    /// How many SQL statements the application has run so far.
    pub fn statement_count(&self) -> u64 {
        self.statements.get()
    }

    /// Starts serving on `listener`; the returned server stops gracefully on SIGTERM or SIGINT,
    /// letting in-flight requests finish within the configured timeout.
    pub fn serve(&self, listener: TcpListener) -> Result<Server, StartupError> {
        let state = self.state.clone();
        let body_limit = self.config.max_body_bytes;
        let cors_origins = self.config.cors_origins.clone();
        let metrics = web::Data::new(MetricsEndpoint::main_port(&self.config.metrics));
        if self.config.metrics.main_port_exposure() == MetricsExposure::Hidden
            && self.config.metrics.bind.is_none()
        {
            tracing::info!(
                "GET /metrics answers 404 in production until LEVIER_METRICS_TOKEN or LEVIER_METRICS_BIND is set"
            );
        }
        let server = HttpServer::new(move || {
            ActixApp::new()
                .app_data(state.clone())
                .app_data(metrics.clone())
                .app_data(web::PayloadConfig::new(body_limit))
                .wrap(actix_web::middleware::from_fn(http::body::close_unread))
                .wrap(DefaultHeaders::new().add(("X-Content-Type-Options", "nosniff")))
                .wrap_fn(|request, service| {
                    let request_id = request.extensions().get::<RequestId>().copied();
                    let response = actix_web::dev::Service::call(service, request);
                    async move {
                        let mut response = response.await?;
                        if let Some(id) = request_id
                            && let Ok(value) =
                                actix_web::http::header::HeaderValue::from_str(&id.to_string())
                        {
                            response.headers_mut().insert(
                                actix_web::http::header::HeaderName::from_static("x-request-id"),
                                value,
                            );
                        }
                        Ok(response)
                    }
                })
                .wrap(http::cors::middleware(&cors_origins))
                // Inside the root span (and its request id), outside everything that answers.
                .wrap(actix_web::middleware::from_fn(
                    observability::access::observe,
                ))
                .wrap(TracingLogger::default())
                .service(http::health::healthz)
                .service(http::health::readyz)
                .route("/metrics", web::get().to(http::metrics::metrics))
                .service(
                    web::resource("/graphql")
                        .route(web::post().to(http::graphql::execute))
                        .route(
                            web::get()
                                .guard(actix_web::guard::fn_guard(
                                    http::subscription::is_websocket_upgrade,
                                ))
                                .to(http::subscription::subscribe),
                        )
                        .route(web::get().to(http::graphql::get)),
                )
                // GraphiQL's files, compressed when the browser accepts it (React and GraphiQL
                // are 1.5 MB as they are, 0.6 MB in brotli; browsers keep them, see assets.rs).
                .service(
                    web::resource("/graphiql/{name}")
                        .wrap(Compress::default())
                        .route(web::get().to(http::graphiql::asset)),
                )
                .route(
                    "/export/measurements.csv",
                    web::get().to(http::export::measurements::export),
                )
                .route(
                    "/plans/{id}/document.md",
                    web::get().to(http::document::plan_document),
                )
                .route(
                    "/export/kpi-series.csv",
                    web::get().to(http::export::kpi_series::kpi_series_csv),
                )
                .default_service(web::to(not_found))
        })
        .shutdown_timeout(self.config.shutdown_timeout_seconds)
        // A client that does not send its request head in time gets 408 and is disconnected;
        // the body has its own deadline, in the GraphQL handler (the only one that reads one).
        .client_request_timeout(self.config.head_timeout)
        .client_disconnect_timeout(CLIENT_DISCONNECT_TIMEOUT)
        .keep_alive(if self.config.keep_alive.is_zero() {
            actix_web::http::KeepAlive::Disabled
        } else {
            actix_web::http::KeepAlive::Timeout(self.config.keep_alive)
        });
        let server = match self.config.workers {
            Some(workers) => server.workers(workers),
            None => server,
        };
        let server = server.listen(listener)?.run();
        Ok(server)
    }
}

impl App {
    /// Serves `GET /metrics` alone on `listener` (`LEVIER_METRICS_BIND`), to whom the
    /// configuration lets (see `http::metrics`); every other path is 404. It stops with the
    /// main server, on SIGTERM or SIGINT.
    pub fn serve_metrics(&self, listener: TcpListener) -> Result<Server, StartupError> {
        let state = self.state.clone();
        let metrics = web::Data::new(MetricsEndpoint::own_listener(&self.config.metrics));
        let server = HttpServer::new(move || {
            ActixApp::new()
                .app_data(state.clone())
                .app_data(metrics.clone())
                .route("/metrics", web::get().to(http::metrics::metrics))
                .default_service(web::to(not_found))
        })
        .workers(1)
        .shutdown_timeout(1)
        .client_request_timeout(self.config.head_timeout)
        .listen(listener)?
        .run();
        Ok(server)
    }
}

async fn not_found() -> HttpResponse {
    http::error_response(&ApiError::not_found())
}
