//! The flags and `LEVIER_*` environment variables, as clap reads them: [`Settings`], not yet
//! validated (see `validate.rs`).

use std::{net::SocketAddr, path::PathBuf};

use clap::Args;

use super::{DEFAULT_DATABASE_URL, Environment, LogFormat, TelemetrySettings};

/// The settings as given on the command line or in the environment, before validation.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database URL: `sqlite://…` or `postgres://…`.
    #[arg(long, env = "LEVIER_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
    /// Largest number of pooled database connections.
    #[arg(
        long,
        env = "LEVIER_DATABASE_MAX_CONNECTIONS",
        default_value_t = 10,
        global = true
    )]
    pub database_max_connections: u32,
    /// PostgreSQL only: most pooled connections kept out of the pool for reads outside a
    /// transaction, which then skip the driver's check of every connection given back (one
    /// round trip per statement); the pool size minus two when unset, 0 to keep none. It must
    /// leave at least one connection to the pool.
    #[arg(long, env = "LEVIER_DATABASE_KEPT_READ_CONNECTIONS", global = true)]
    pub database_kept_read_connections: Option<u32>,
    /// Longest wait for a pooled database connection, in milliseconds; a request that cannot
    /// get one in time answers 503 SERVICE_UNAVAILABLE (during an outage, or when every
    /// connection is busy).
    #[arg(
        long,
        env = "LEVIER_DATABASE_ACQUIRE_TIMEOUT_MS",
        default_value_t = 1500,
        global = true
    )]
    pub database_acquire_timeout_ms: u64,
    /// SQLite only: longest wait of a write for its turn behind the server's earlier writes
    /// (queued first come, first served), and for the database's write lock (held by another
    /// process), in milliseconds, before it answers 503 SERVICE_UNAVAILABLE.
    #[arg(
        long,
        env = "LEVIER_DATABASE_BUSY_TIMEOUT_MS",
        default_value_t = 5000,
        global = true
    )]
    pub database_busy_timeout_ms: u64,
    /// Longest time a client may take to send a request's head (request line and headers), in
    /// seconds; 408 after it.
    #[arg(
        long,
        env = "LEVIER_HEAD_TIMEOUT_SECONDS",
        default_value_t = 5,
        global = true
    )]
    pub head_timeout_seconds: u64,
    /// Longest time a client may take to send a request's body once its head has arrived, in
    /// seconds; 408 after it.
    #[arg(
        long,
        env = "LEVIER_BODY_TIMEOUT_SECONDS",
        default_value_t = 10,
        global = true
    )]
    pub body_timeout_seconds: u64,
    /// How long an idle keep-alive connection stays open for the next request, in seconds
    /// (0 closes each connection after its response).
    #[arg(
        long,
        env = "LEVIER_KEEP_ALIVE_SECONDS",
        default_value_t = 5,
        global = true
    )]
    pub keep_alive_seconds: u64,
    /// Browser origins that may call the API across origins (CORS): exact origins separated by
    /// commas, or `*` outside production. Unset: `http://localhost:*` and `http://127.0.0.1:*`
    /// in development, none in production.
    #[arg(long, env = "LEVIER_CORS_ORIGINS", global = true)]
    pub cors_origins: Option<String>,
    /// Listen address, `host:port`: an IP address (`0.0.0.0:8080`, `[::1]:8080`) or a host name
    /// (`localhost:8080`), resolved at start; every address it resolves to is listened on.
    #[arg(
        long,
        env = "LEVIER_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,
    /// `development` or `production`.
    #[arg(
        long = "env",
        env = "LEVIER_ENV",
        value_enum,
        default_value = "development",
        global = true
    )]
    pub environment: Environment,
    /// HS256 signing secret for tokens.
    #[arg(long, env = "LEVIER_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<String>,
    /// PEM file of an RS256 or ES256 public key; tokens are then verified with it (and only it).
    #[arg(long, env = "LEVIER_JWT_PUBLIC_KEY", global = true)]
    pub jwt_public_key: Option<PathBuf>,
    /// JWKS file of an external identity provider; keys are chosen by the token's `kid`.
    #[arg(long, env = "LEVIER_JWT_JWKS", global = true)]
    pub jwt_jwks: Option<PathBuf>,
    /// Required `iss` claim, checked when set.
    #[arg(long, env = "LEVIER_JWT_ISSUER", global = true)]
    pub jwt_issuer: Option<String>,
    /// Required `aud` claim, checked when set.
    #[arg(long, env = "LEVIER_JWT_AUDIENCE", global = true)]
    pub jwt_audience: Option<String>,
    /// Clock skew tolerated on `exp` and `nbf`, in seconds (at most 60).
    #[arg(
        long,
        env = "LEVIER_JWT_LEEWAY_SECONDS",
        default_value_t = 30,
        global = true
    )]
    pub jwt_leeway_seconds: u64,
    /// Largest request body, in bytes (413 above it).
    #[arg(
        long,
        env = "LEVIER_MAX_BODY_BYTES",
        default_value_t = 1_048_576,
        global = true
    )]
    pub max_body_bytes: usize,
    /// Largest file accepted by the import endpoints (`POST /import/…`), in bytes (413 above
    /// it).
    #[arg(
        long,
        env = "LEVIER_MAX_IMPORT_BYTES",
        default_value_t = 10_485_760,
        global = true
    )]
    pub max_import_bytes: usize,
    /// Accept a JSON array of GraphQL requests in one POST.
    #[arg(
        long,
        env = "LEVIER_ALLOW_BATCHING",
        default_value_t = false,
        global = true
    )]
    pub allow_batching: bool,
    /// Most operations in one batch (when batching is allowed). All of them share one budget
    /// of tokens, fields and directives.
    #[arg(
        long,
        env = "LEVIER_MAX_BATCH_OPERATIONS",
        default_value_t = 10,
        global = true
    )]
    pub max_batch_operations: usize,
    /// Deepest nesting of fields accepted (at most 24: each level of a running query takes
    /// stack, and the deepest accepted must fit a worker thread's).
    #[arg(
        long,
        env = "LEVIER_MAX_QUERY_DEPTH",
        default_value_t = 12,
        global = true
    )]
    pub max_query_depth: usize,
    /// Most field selections (aliases and fragments expanded) accepted in one query.
    #[arg(
        long,
        env = "LEVIER_MAX_QUERY_FIELDS",
        default_value_t = 500,
        global = true
    )]
    pub max_query_fields: usize,
    /// Most directives accepted in one query.
    #[arg(
        long,
        env = "LEVIER_MAX_QUERY_DIRECTIVES",
        default_value_t = 50,
        global = true
    )]
    pub max_query_directives: usize,
    /// Most lexical tokens (names, numbers, strings, punctuators) in one query, counted before
    /// it is parsed. The parser takes a few microseconds a token: 10,000 keep the refusal of
    /// any document under 50 ms, with room for 500 fields of 20 tokens each.
    #[arg(
        long,
        env = "LEVIER_MAX_QUERY_TOKENS",
        default_value_t = 10_000,
        global = true
    )]
    pub max_query_tokens: usize,
    /// Longest query text, in bytes (its variables are not counted).
    #[arg(
        long,
        env = "LEVIER_MAX_QUERY_BYTES",
        default_value_t = 131_072,
        global = true
    )]
    pub max_query_bytes: usize,
    /// Most queries kept for automatic persisted queries (Apollo's protocol), in each process;
    /// the least recently used is dropped first. Only texts of at most 16 KiB are kept, so the
    /// cache holds at most this many times 16 KiB.
    #[arg(
        long,
        env = "LEVIER_APQ_CACHE_SIZE",
        default_value_t = 1000,
        global = true
    )]
    pub apq_cache_size: usize,
    /// Highest cost of a query (or of a batch's operations together), computed before it runs:
    /// about the number of objects it may return, each page counted at its size (see
    /// `graphql::limits::cost`). A costlier query is refused with QUERY_TOO_COMPLEX.
    #[arg(
        long,
        env = "LEVIER_MAX_QUERY_COST",
        default_value_t = 50_000,
        global = true
    )]
    pub max_query_cost: u64,
    /// Cost units a credential (a token's subject, an API key; an unauthenticated caller's IP
    /// address) may spend per second, across every endpoint (see `ratelimit`).
    #[arg(
        long,
        env = "LEVIER_RATE_LIMIT_CREDENTIAL_PER_SECOND",
        default_value_t = 10_000,
        global = true
    )]
    pub rate_limit_credential_per_second: u32,
    /// Cost units a credential may spend at once, from a full bucket.
    #[arg(
        long,
        env = "LEVIER_RATE_LIMIT_CREDENTIAL_BURST",
        default_value_t = 1_000_000,
        global = true
    )]
    pub rate_limit_credential_burst: u32,
    /// Cost units all the credentials of one tenant may spend per second together.
    #[arg(
        long,
        env = "LEVIER_RATE_LIMIT_TENANT_PER_SECOND",
        default_value_t = 20_000,
        global = true
    )]
    pub rate_limit_tenant_per_second: u32,
    /// Cost units all the credentials of one tenant may spend at once, from a full bucket.
    #[arg(
        long,
        env = "LEVIER_RATE_LIMIT_TENANT_BURST",
        default_value_t = 2_000_000,
        global = true
    )]
    pub rate_limit_tenant_burst: u32,
    /// Redis holding the rate limits' buckets, shared by every replica (`redis://host:port`);
    /// without it each process keeps its own.
    #[arg(long, env = "LEVIER_REDIS_URL", global = true)]
    pub redis_url: Option<String>,
    /// The prefix of the buckets' keys in Redis, for several deployments on one Redis.
    #[arg(
        long,
        env = "LEVIER_REDIS_KEY_PREFIX",
        default_value = "levier:rate:",
        global = true
    )]
    pub redis_key_prefix: String,
    /// `text` or `json`.
    #[arg(
        long,
        env = "LEVIER_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,
    /// Colour in text logs and OpenTelemetry traces (`NO_COLOR`, `OTEL_*`).
    #[command(flatten)]
    pub telemetry: TelemetrySettings,
    /// Seconds given to in-flight requests on shutdown.
    #[arg(
        long,
        env = "LEVIER_SHUTDOWN_TIMEOUT_SECONDS",
        default_value_t = 30,
        global = true
    )]
    pub shutdown_timeout_seconds: u64,
    /// Seconds `/readyz` answers 503 (`draining`) after SIGTERM before the server stops
    /// accepting, for load balancers to stop routing here first; 5 in production, 0 in
    /// development when omitted.
    #[arg(long, env = "LEVIER_SHUTDOWN_DRAIN_SECONDS", global = true)]
    pub shutdown_drain_seconds: Option<u64>,
    /// HTTP worker threads; one per core when omitted.
    #[arg(long, env = "LEVIER_WORKERS", global = true)]
    pub workers: Option<usize>,
    /// Do not apply migrations at start; check that none is pending instead, and stay unready
    /// (`/readyz` 503) until `levier migrate` has applied them. For deployments that migrate
    /// once, before starting their replicas.
    #[arg(
        long,
        env = "LEVIER_NO_MIGRATE",
        value_parser = clap::builder::BoolishValueParser::new(),
        default_value_t = false,
        global = true
    )]
    pub no_migrate: bool,
    /// Exit with an error when the database cannot be reached (or is not migrated) at start,
    /// instead of serving 503s and retrying with a backoff until it answers.
    #[arg(
        long,
        env = "LEVIER_EXIT_ON_DB_FAILURE",
        value_parser = clap::builder::BoolishValueParser::new(),
        default_value_t = false,
        global = true
    )]
    pub exit_on_db_failure: bool,
    /// A listener of its own for `GET /metrics` (e.g. `127.0.0.1:9464`, or an address only the
    /// monitoring network reaches); the main port then answers 404 there.
    #[arg(long, env = "LEVIER_METRICS_BIND", global = true)]
    pub metrics_bind: Option<SocketAddr>,
    /// The bearer token a scraper sends to read `GET /metrics`
    /// (`Authorization: Bearer <token>`), wherever the metrics are served. Without it the
    /// metrics are open in development, and in production only on `LEVIER_METRICS_BIND`.
    #[arg(
        long,
        env = "LEVIER_METRICS_TOKEN",
        hide_env_values = true,
        global = true
    )]
    pub metrics_token: Option<String>,
    /// Days the audit trail keeps its entries: older ones are purged every hour while the
    /// server runs; 0 keeps them forever. At most 36500.
    #[arg(
        long,
        env = "LEVIER_AUDIT_RETENTION_DAYS",
        default_value_t = 365,
        global = true
    )]
    pub audit_retention_days: u64,
    /// Webhook delivery (`LEVIER_WEBHOOK_*`).
    #[command(flatten)]
    pub webhooks: WebhookSettings,
}

/// The webhook flags and variables, before validation (flattened into [`Settings`]).
#[derive(Debug, Clone, Args)]
pub struct WebhookSettings {
    /// Let webhooks reach loopback, private (RFC 1918), link-local, unique-local and shared
    /// (CGNAT) addresses: a receiver on this host or network. Off by default: such targets are
    /// refused at registration and at connection time (server-side request forgery).
    #[arg(
        long,
        env = "LEVIER_WEBHOOK_ALLOW_PRIVATE",
        value_parser = clap::builder::BoolishValueParser::new(),
        default_value_t = false,
        global = true
    )]
    pub webhook_allow_private: bool,
    /// Longest wait to connect to a webhook endpoint, in seconds.
    #[arg(
        long,
        env = "LEVIER_WEBHOOK_CONNECT_TIMEOUT_SECONDS",
        default_value_t = 5,
        global = true
    )]
    pub webhook_connect_timeout_seconds: u64,
    /// Longest time one delivery may take, connection included, in seconds; slower is a
    /// failure, retried.
    #[arg(
        long,
        env = "LEVIER_WEBHOOK_TIMEOUT_SECONDS",
        default_value_t = 10,
        global = true
    )]
    pub webhook_timeout_seconds: u64,
    /// How often the dispatcher looks for new events while endpoints are enabled, in
    /// milliseconds.
    #[arg(
        long,
        env = "LEVIER_WEBHOOK_POLL_MS",
        default_value_t = 1000,
        global = true
    )]
    pub webhook_poll_ms: u64,
    /// The wait before the first retry of a failed delivery, in milliseconds; it doubles at each
    /// failure (with ±20 % jitter) up to an hour.
    #[arg(
        long,
        env = "LEVIER_WEBHOOK_FIRST_RETRY_MS",
        default_value_t = 5000,
        global = true
    )]
    pub webhook_first_retry_ms: u64,
    /// How long an endpoint may fail without a single success before it is disabled (an ADMIN
    /// enables it again), in seconds: a day by default.
    #[arg(
        long,
        env = "LEVIER_WEBHOOK_RETRY_SECONDS",
        default_value_t = 86_400,
        global = true
    )]
    pub webhook_retry_seconds: u64,
    /// How long one process owns an endpoint's deliveries before another replica may take them
    /// over, in seconds; renewed before every delivery, and longer than a delivery may take.
    #[arg(
        long,
        env = "LEVIER_WEBHOOK_LEASE_SECONDS",
        default_value_t = 30,
        global = true
    )]
    pub webhook_lease_seconds: u64,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            webhook_allow_private: false,
            webhook_connect_timeout_seconds: 5,
            webhook_timeout_seconds: 10,
            webhook_poll_ms: 1000,
            webhook_first_retry_ms: 5000,
            webhook_retry_seconds: 86_400,
            webhook_lease_seconds: 30,
        }
    }
}
