//! The application: built once from a [`Config`] by `main` and by the tests alike.
//!
//! Building it opens the database (an SQLite file at once, a PostgreSQL pool lazily) and runs
//! the database's start-up sequence (`startup.rs`): migrations, the event listener. A
//! PostgreSQL server that does not answer yet does not stop the application from being built
//! and served: it starts unready and becomes ready when the database answers.

mod audit_purge;
mod startup;

use std::{net::TcpListener, time::Duration};

use actix_web::{
    App as ActixApp, HttpMessage, HttpResponse, HttpServer,
    dev::Server,
    middleware::{Compress, DefaultHeaders},
    web,
};
use sea_orm::DatabaseConnection;
use thiserror::Error;
use tracing_actix_web::{RequestId, TracingLogger};

use crate::{
    auth::{AuthError, jwt::Verifier, principal::Authenticator},
    config::{Config, MetricsExposure},
    db::{self, DatabaseState, Lanes, ReadConnections, StatementCounter},
    error::ApiError,
    events::EventBus,
    graphql::{self, LevierSchema, admission::Admission},
    http::{self, graphql_request::BatchPolicy, metrics::MetricsEndpoint, state::AppState},
    observability::{self, OperationNames},
    ratelimit::{RateLimitError, RateLimiter},
    shutdown::{self, Shutdown, Signals},
};

/// How long a connection the server closes waits for the client to acknowledge it before it is
/// dropped (actix's `client_disconnect_timeout`, made explicit).
pub const CLIENT_DISCONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Why the application cannot start. Each variant's message is its cause's, once.
#[derive(Debug, Error)]
pub enum StartupError {
    /// The database cannot be opened, reached or migrated.
    #[error(transparent)]
    Database(#[from] db::StartError),
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

/// Loads keys, opens the database, prepares it (migrations, the event listener) and builds the
/// schema. When PostgreSQL does not answer yet, the application is returned unready and keeps
/// trying (see `startup.rs`), unless `LEVIER_EXIT_ON_DB_FAILURE` asks for the error.
pub async fn build_app(config: Config) -> Result<App, StartupError> {
    let statements = StatementCounter::default();
    let verifier = Verifier::from_config(&config.jwt)?;
    let rate_limiter = RateLimiter::new(&config.rate_limits)?;
    let connection = db::connect(&config, &statements).await?;
    let events = EventBus::new(connection.get_database_backend());
    let database = DatabaseState::default();
    startup::Start::new(&config, &connection, &events, &database)
        .run(config.database_start.exit_on_failure)
        .await?;
    let lanes = Lanes::for_pool(&connection, &config, &statements);
    let state = web::Data::new(AppState {
        db: connection,
        lanes,
        database,
        schema: graphql::build_schema_traced(
            config.query_limits,
            config.telemetry.traces.is_some(),
        ),
        plain_schema: config
            .telemetry
            .traces
            .is_none()
            .then(|| graphql::build_plain_schema(config.query_limits)),
        authenticator: Authenticator::new(verifier),
        batches: BatchPolicy {
            allowed: config.allow_batching,
            max_operations: config.max_batch_operations,
        },
        admission: Admission::new(config.query_limits, config.apq_cache_size),
        events,
        body_timeout: config.body_timeout,
        max_import_bytes: config.max_import_bytes,
        rate_limiter,
        shutdown: Shutdown::default(),
        operation_names: OperationNames::default(),
        webhook_allow_private: config.webhooks.allow_private,
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

    /// The connections kept out of the pool for reads (PostgreSQL), for tests to look at.
    pub fn read_connections(&self) -> Option<&ReadConnections> {
        self.state.lanes.reads.as_ref()
    }

    /// The schema (for `export-schema`).
    pub fn schema(&self) -> &LevierSchema {
        &self.state.schema
    }

    /// Where the database stands (ready, or why not yet).
    pub fn database_state(&self) -> &DatabaseState {
        &self.state.database
    }

    /// How many SQL statements the application has run so far.
    pub fn statement_count(&self) -> u64 {
        self.statements.get()
    }

    /// Begins the graceful shutdown that SIGTERM begins (see [`shutdown`]): `/readyz` answers
    /// 503 for the configured drain, then the server stops and its future resolves.
    pub fn shutdown(&self) {
        self.state.shutdown.request();
    }

    /// Starts serving on `listener`; the returned server shuts down gracefully on SIGTERM or
    /// SIGINT, or on [`App::shutdown`]: it drains (`/readyz` answers 503), closes subscriptions,
    /// stops accepting and lets in-flight requests finish within the configured timeout.
    pub fn serve(&self, listener: TcpListener) -> Result<Server, StartupError> {
        self.serve_all(vec![listener])
    }

    /// [`App::serve`] on several listeners at once (every address of `LEVIER_BIND`).
    pub fn serve_all(&self, listeners: Vec<TcpListener>) -> Result<Server, StartupError> {
        // Before the server starts, so that no signal is missed (nor left to its default action,
        // which ends the process at once).
        let signals = Signals::register()?;
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
                .wrap(TracingLogger::<crate::telemetry::RequestSpan>::new())
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
                .route(
                    "/share/{secret}/document.md",
                    web::get().to(http::share::document),
                )
                .route("/share/token", web::post().to(http::share::token))
                .route("/import/plan", web::post().to(http::import::plan))
                .route(
                    "/import/measurements",
                    web::post().to(http::import::measurements),
                )
                .default_service(web::to(not_found))
        })
        // The signals are ours (`shutdown::drive`): actix would stop accepting at once.
        .disable_signals()
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
        let mut server = server;
        for listener in listeners {
            server = server.listen(listener)?;
        }
        let server = server.run();
        tokio::spawn(shutdown::drive(
            self.state.shutdown.clone(),
            signals,
            server.handle(),
            self.config.shutdown_drain,
        ));
        // The kept read connections go back to the pool when the server stops accepting; the
        // requests still running then read on the pool.
        if let Some(reads) = self.state.lanes.reads.clone() {
            let stopping = self.state.shutdown.stopping();
            tokio::spawn(async move {
                stopping.await;
                reads.close();
            });
        }
        if let Some(retention) = self.config.audit_retention {
            tokio::spawn(audit_purge::run(
                self.state.db.clone(),
                retention,
                self.state.shutdown.stopping(),
            ));
        }
        // Webhooks are delivered by the processes that serve, and stop when they stop.
        crate::webhooks::dispatcher::start(
            self.state.db.clone(),
            self.state.lanes.clone(),
            self.config.webhooks.clone(),
            self.state.shutdown.clone(),
            self.state.database.clone(),
        );
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
