//! Every setting of the server, read once from flags and `LEVIER_*` environment variables and
//! validated before anything starts. Nothing else in the program reads the environment.
//!
//! The flags are declared in `settings.rs` ([`Settings`]) and checked in `validate.rs`
//! ([`Settings::into_config`]); this module holds what the rest of the program reads: the
//! [`Config`] and its parts.

mod bind;
mod cors;
mod settings;
mod telemetry;
mod validate;
mod webhooks;

use std::{
    net::SocketAddr,
    num::{NonZeroU32, NonZeroUsize},
    path::PathBuf,
    time::Duration,
};

use clap::ValueEnum;
use secrecy::{ExposeSecret, SecretString};
use thiserror::Error;

pub use bind::BindAddress;
pub use cors::CorsOrigins;
pub use settings::{Settings, WebhookSettings};
pub use telemetry::{TelemetryConfig, TelemetrySettings, TracesConfig};
pub use webhooks::{MAX_RETRY_WAIT, WebhookConfig};

/// The signing secret used when none is configured, so that `cargo run` works out of the box.
/// Production refuses it.
pub const DEVELOPMENT_SECRET: &str = "levier-development-secret-do-not-use-in-production";

/// The default database: an SQLite file beside the working directory, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://levier.sqlite?mode=rwc";

/// How long a production server drains when `LEVIER_SHUTDOWN_DRAIN_SECONDS` is not set: enough
/// for a load balancer that checks `/readyz` every second or two and takes a replica out after
/// two failures (HAProxy's `inter 1s fall 2`, `deploy/haproxy/haproxy.cfg`).
pub const PRODUCTION_SHUTDOWN_DRAIN: Duration = Duration::from_secs(5);

/// The longest `LEVIER_SHUTDOWN_DRAIN_SECONDS` accepted: orchestrators kill a process that
/// takes longer than that to stop (Kubernetes waits 30 s by default, systemd 90 s).
pub const MAX_SHUTDOWN_DRAIN_SECONDS: u64 = 300;

/// The shortest HS256 secret accepted in production (RFC 7518 §3.2: at least the hash size).
pub const MIN_SECRET_BYTES: usize = 32;

/// The largest clock skew tolerated on `exp` and `nbf`.
pub const MAX_LEEWAY_SECONDS: u64 = 60;

/// How many of the pool's connections are left to it by default when reads keep the others
/// (`LEVIER_DATABASE_KEPT_READ_CONNECTIONS`).
const DEFAULT_CONNECTIONS_LEFT_TO_THE_POOL: u32 = 2;

/// Where the server runs: development tolerates the built-in secret, production does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    /// Local use: the development secret is allowed (and announced in the log).
    Development,
    /// Real deployments: a configured secret of at least 32 bytes (or a public key) is required.
    Production,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// How tokens are verified.
#[derive(Clone)]
pub enum JwtKeySource {
    /// HS256 with a shared secret.
    Secret(SecretString),
    /// RS256 or ES256 with the public key in this PEM file.
    PublicKeyPem(PathBuf),
    /// Keys of a JWKS document, chosen by `kid`.
    JwksFile(PathBuf),
}

impl std::fmt::Debug for JwtKeySource {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Secret(_) => formatter.write_str("Secret([REDACTED])"),
            Self::PublicKeyPem(path) => write!(formatter, "PublicKeyPem({})", path.display()),
            Self::JwksFile(path) => write!(formatter, "JwksFile({})", path.display()),
        }
    }
}

/// Token verification settings.
#[derive(Debug, Clone)]
pub struct JwtConfig {
    /// Where the verification key comes from; it also pins the algorithm.
    pub keys: JwtKeySource,
    /// Required issuer.
    pub issuer: Option<String>,
    /// Required audience.
    pub audience: Option<String>,
    /// Tolerated clock skew.
    pub leeway_seconds: u64,
    /// True when the built-in development secret is in use.
    pub uses_development_secret: bool,
}

/// Limits on the shape and cost of a GraphQL query (see `graphql::limits`). Bytes, tokens,
/// fields, directives and cost are one budget shared by all the operations of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryLimits {
    /// Deepest nesting of field selections.
    pub max_depth: usize,
    /// Most field selections (aliases and fragment spreads expanded).
    pub max_fields: usize,
    /// Most directives, wherever they stand.
    pub max_directives: usize,
    /// Deepest nesting of brackets in the text, and of selections once fragments are expanded:
    /// [`MAX_QUERY_NESTING`], lower only in tests.
    pub max_nesting: usize,
    /// Most lexical tokens.
    pub max_tokens: usize,
    /// Longest query text, in bytes.
    pub max_bytes: usize,
    /// Highest cost of the operations that run (`graphql::limits::cost`).
    pub max_cost: u64,
}

/// The deepest nesting of brackets (`{`, `[`, `(`) in a query's text, and of selections
/// (fields, inline fragments, fragment spreads) once fragments are expanded: room for the
/// deepest fields allowed with inline fragments and argument values around them, and the
/// parser's own bound on nested selection sets. Not a setting: the stack margins of
/// `graphql::limits` are proven for it.
pub const MAX_QUERY_NESTING: usize = 64;

/// The highest `LEVIER_MAX_QUERY_DEPTH` accepted: `graphql::limits` has a test proving that
/// a query this deep runs on a small thread stack.
pub const MAX_QUERY_DEPTH_CEILING: usize = 24;

/// The validated configuration the whole program runs on.
#[derive(Debug, Clone)]
pub struct Config {
    /// Database URL.
    pub database_url: String,
    /// Pool size.
    pub database_max_connections: u32,
    /// PostgreSQL: most connections kept out of the pool for reads (`db::ReadConnections`);
    /// 0 for none, `None` for the default ([`Config::kept_read_connections`]).
    pub database_kept_read_connections: Option<u32>,
    /// Longest wait for a pooled connection.
    pub database_acquire_timeout: Duration,
    /// SQLite: longest wait of a write transaction for its turn in the server's queue of
    /// writers (`db::WriteQueue`), and for the write lock.
    pub database_busy_timeout: Duration,
    /// Longest time to receive a request's head.
    pub head_timeout: Duration,
    /// Longest time to receive a request's body.
    pub body_timeout: Duration,
    /// Idle keep-alive time (zero: no keep-alive).
    pub keep_alive: Duration,
    /// The browser origins that may call the API across origins (CORS).
    pub cors_origins: CorsOrigins,
    /// Listen address (a host name is resolved when the server starts).
    pub bind: BindAddress,
    /// Environment.
    pub environment: Environment,
    /// Token verification.
    pub jwt: JwtConfig,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Largest file an import endpoint accepts.
    pub max_import_bytes: usize,
    /// Whether array batching is accepted.
    pub allow_batching: bool,
    /// Most operations in one batch.
    pub max_batch_operations: usize,
    /// Query shape limits.
    pub query_limits: QueryLimits,
    /// Most queries kept for automatic persisted queries.
    pub apq_cache_size: NonZeroUsize,
    /// Log format.
    pub log_format: LogFormat,
    /// Colour in text logs, and where traces go.
    pub telemetry: TelemetryConfig,
    /// Grace period on shutdown, in seconds.
    pub shutdown_timeout_seconds: u64,
    /// How long `/readyz` answers 503 before the server stops accepting, on shutdown.
    pub shutdown_drain: Duration,
    /// HTTP worker threads (`None`: one per core).
    pub workers: Option<usize>,
    /// The rate limits, and where their buckets are kept.
    pub rate_limits: RateLimits,
    /// What the server does when its database cannot be reached, migrated or checked at start.
    pub database_start: DatabaseStart,
    /// Where and to whom `GET /metrics` is served.
    pub metrics: MetricsConfig,
    /// How long the audit trail keeps its entries (`None`: forever).
    pub audit_retention: Option<chrono::TimeDelta>,
    /// How webhooks are delivered.
    pub webhooks: WebhookConfig,
}

/// Where and to whom the Prometheus metrics are served (`observability::metrics`).
#[derive(Debug, Clone)]
pub struct MetricsConfig {
    /// A listener of their own; `None`: the main port serves them (if [`Self::exposure`] lets
    /// it).
    pub bind: Option<SocketAddr>,
    /// The bearer token a scraper must send, wherever they are served.
    pub token: Option<SecretString>,
    /// True in production, where the main port never serves them openly.
    pub production: bool,
}

/// Who may read `GET /metrics` on one listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsExposure {
    /// Anyone who reaches the listener.
    Open,
    /// A caller sending `Authorization: Bearer <token>`.
    Token,
    /// Nobody: the route answers 404 like an unknown one.
    Hidden,
}

impl MetricsConfig {
    /// Who may read the metrics on the main port: nobody when they have a listener of their
    /// own; with a token, its holders; without one, anyone in development and nobody in
    /// production (metrics tell request rates, tenants' activity and the build: not for the
    /// public internet unless the operator says so).
    pub fn main_port_exposure(&self) -> MetricsExposure {
        if self.bind.is_some() {
            MetricsExposure::Hidden
        } else if self.token.is_some() {
            MetricsExposure::Token
        } else if self.production {
            MetricsExposure::Hidden
        } else {
            MetricsExposure::Open
        }
    }

    /// Who may read the metrics on their own listener ([`Self::bind`]): the token's holders if
    /// there is one, else anyone who reaches that address (keeping it private is the point of
    /// binding it apart).
    pub fn own_listener_exposure(&self) -> MetricsExposure {
        if self.token.is_some() {
            MetricsExposure::Token
        } else {
            MetricsExposure::Open
        }
    }
}

/// What the server does with its database at start (`db::startup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatabaseStart {
    /// Apply pending migrations (under a PostgreSQL advisory lock); `false`
    /// (`LEVIER_NO_MIGRATE`): only check that none is pending, and stay unready until
    /// `levier migrate` has applied them.
    pub migrate: bool,
    /// Exit with the error rather than retrying until the database answers
    /// (`LEVIER_EXIT_ON_DB_FAILURE`).
    pub exit_on_failure: bool,
}

/// One budget of cost units: refilled at `per_second`, holding at most `burst`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Units added back each second.
    pub per_second: NonZeroU32,
    /// The most units the bucket holds, spent at once from a full one.
    pub burst: NonZeroU32,
}

/// The rate limits (`ratelimit`): one budget per credential, one per tenant, both in cost units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Each credential's budget (and each unauthenticated client address's).
    pub credential: Rate,
    /// Each tenant's budget, shared by its credentials.
    pub tenant: Rate,
    /// The Redis every replica shares its buckets in; `None`: each process keeps its own.
    pub redis_url: Option<String>,
    /// The prefix of the buckets' keys in Redis.
    pub redis_key_prefix: String,
}

/// A setting that cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConfigError {
    /// `LEVIER_CORS_ORIGINS` names something that is not an exact origin.
    #[error(
        "LEVIER_CORS_ORIGINS: {0:?} is not an origin; write scheme://host[:port], e.g. https://app.example.com"
    )]
    CorsOrigin(String),
    /// `LEVIER_CORS_ORIGINS=*` in production.
    #[error("LEVIER_ENV=production refuses LEVIER_CORS_ORIGINS=*: list the origins of your apps")]
    CorsWildcardInProduction,
    /// `LEVIER_AUDIT_RETENTION_DAYS` beyond 100 years.
    #[error("LEVIER_AUDIT_RETENTION_DAYS is {0}; use at most 36500 (or 0 to keep entries forever)")]
    AuditRetentionTooLong(u64),
    /// Production with the built-in secret.
    #[error(
        "LEVIER_ENV=production refuses the development secret: set LEVIER_JWT_SECRET (at least 32 bytes) or LEVIER_JWT_PUBLIC_KEY"
    )]
    DevelopmentSecretInProduction,
    /// Production with a short secret.
    #[error("LEVIER_JWT_SECRET is {0} bytes long; production needs at least 32")]
    SecretTooShort(usize),
    /// Two key sources at once.
    #[error("set only one of LEVIER_JWT_SECRET, LEVIER_JWT_PUBLIC_KEY and LEVIER_JWT_JWKS")]
    SeveralKeySources,
    /// Leeway over the maximum.
    #[error("LEVIER_JWT_LEEWAY_SECONDS must be at most 60, not {0}")]
    LeewayTooLarge(u64),
    /// A metrics token too short to resist guessing, in production.
    #[error("LEVIER_METRICS_TOKEN is {0} bytes long; production needs at least 16")]
    MetricsTokenTooShort(usize),
    /// The metrics listener on the main listener's address.
    #[error(
        "LEVIER_METRICS_BIND is the address of LEVIER_BIND: give the metrics another port, or unset it to serve them on the main port"
    )]
    MetricsBindIsBind,
    /// `LEVIER_DATABASE_KEPT_READ_CONNECTIONS` leaves the pool no connection.
    #[error(
        "LEVIER_DATABASE_KEPT_READ_CONNECTIONS is {kept}; keep fewer than LEVIER_DATABASE_MAX_CONNECTIONS ({max}), or 0 for none"
    )]
    KeptReadConnections {
        /// As set.
        kept: u32,
        /// The pool size.
        max: u32,
    },
    /// Unknown database scheme.
    #[error("LEVIER_DATABASE_URL must start with sqlite: or postgres:")]
    UnsupportedDatabase,
    /// A zero limit.
    #[error("{0} must be greater than zero")]
    ZeroLimit(&'static str),
    /// A webhook lease no longer than a delivery may take.
    #[error(
        "LEVIER_WEBHOOK_LEASE_SECONDS ({lease}) must be longer than LEVIER_WEBHOOK_TIMEOUT_SECONDS ({timeout}): a delivery must end while its process owns the endpoint"
    )]
    WebhookLease {
        /// The lease, in seconds.
        lease: u64,
        /// The delivery timeout, in seconds.
        timeout: u64,
    },
    /// A drain longer than any orchestrator waits.
    #[error("LEVIER_SHUTDOWN_DRAIN_SECONDS must be at most {MAX_SHUTDOWN_DRAIN_SECONDS}, not {0}")]
    DrainTooLong(u64),
    /// `LEVIER_BIND` is not `host:port`.
    #[error(
        "LEVIER_BIND: `{value}` {reason}; write host:port, e.g. 127.0.0.1:8080, localhost:8080 or [::1]:8080"
    )]
    Bind {
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A depth limit deeper than the stack margins were proven for.
    #[error("LEVIER_MAX_QUERY_DEPTH must be at most {MAX_QUERY_DEPTH_CEILING}, not {0}")]
    DepthTooDeep(usize),
    /// An OTLP endpoint that cannot be used.
    #[error("{variable}: {url:?}: {reason}")]
    OtlpEndpoint {
        /// The variable that names it.
        variable: &'static str,
        /// The URL as given.
        url: String,
        /// What to do instead.
        reason: &'static str,
    },
    /// An OTLP protocol other than the one built in.
    #[error("OTEL_EXPORTER_OTLP_PROTOCOL: {0:?} is not supported; use http/protobuf")]
    OtlpProtocol(String),
}

impl Config {
    /// How many connections reads may keep out of the pool: as set, or by default two fewer
    /// than the pool holds (what writes, transactions and the server's own statements can
    /// always have).
    pub fn kept_read_connections(&self) -> u32 {
        self.database_kept_read_connections.unwrap_or_else(|| {
            self.database_max_connections
                .saturating_sub(DEFAULT_CONNECTIONS_LEFT_TO_THE_POOL)
        })
    }

    /// The development defaults (what `cargo run` uses), on the given database. Tests start from
    /// here and change what they need.
    pub fn development(database_url: impl Into<String>) -> Self {
        Settings {
            database_url: database_url.into(),
            database_max_connections: 10,
            database_kept_read_connections: None,
            database_acquire_timeout_ms: 1500,
            database_busy_timeout_ms: 5000,
            head_timeout_seconds: 5,
            body_timeout_seconds: 10,
            keep_alive_seconds: 5,
            cors_origins: None,
            bind: "127.0.0.1:8080".into(),
            environment: Environment::Development,
            jwt_secret: None,
            jwt_public_key: None,
            jwt_jwks: None,
            jwt_issuer: None,
            jwt_audience: None,
            jwt_leeway_seconds: 30,
            max_body_bytes: 1_048_576,
            max_import_bytes: 10_485_760,
            allow_batching: false,
            max_batch_operations: 10,
            max_query_depth: 12,
            max_query_fields: 500,
            max_query_directives: 50,
            max_query_tokens: 10_000,
            max_query_bytes: 131_072,
            apq_cache_size: 1000,
            max_query_cost: 50_000,
            rate_limit_credential_per_second: 10_000,
            rate_limit_credential_burst: 1_000_000,
            rate_limit_tenant_per_second: 20_000,
            rate_limit_tenant_burst: 2_000_000,
            redis_url: None,
            redis_key_prefix: "levier:rate:".into(),
            log_format: LogFormat::Text,
            telemetry: TelemetrySettings::default(),
            shutdown_timeout_seconds: 30,
            shutdown_drain_seconds: None,
            workers: None,
            no_migrate: false,
            exit_on_db_failure: false,
            metrics_bind: None,
            metrics_token: None,
            audit_retention_days: 365,
            webhooks: WebhookSettings::default(),
        }
        .into_config()
        .unwrap_or_else(|error| unreachable!("the development defaults are valid: {error}"))
    }

    /// The HS256 secret, when tokens are verified with one (used by `levier token`).
    pub fn hs256_secret(&self) -> Option<&str> {
        match &self.jwt.keys {
            JwtKeySource::Secret(secret) => Some(secret.expose_secret()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
