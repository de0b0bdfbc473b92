//! Every setting of the server, read once from flags and `LEVIER_*` environment variables and
//! validated before anything starts. Nothing else in the program reads the environment.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{Args, ValueEnum};
use secrecy::{ExposeSecret, SecretString};
use thiserror::Error;

/// The signing secret used when none is configured, so that `cargo run` works out of the box.
/// Production refuses it.
pub const DEVELOPMENT_SECRET: &str = "levier-development-secret-do-not-use-in-production";

/// The default database: an SQLite file beside the working directory, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://levier.sqlite?mode=rwc";

/// The shortest HS256 secret accepted in production (RFC 7518 §3.2: at least the hash size).
pub const MIN_SECRET_BYTES: usize = 32;

/// The largest clock skew tolerated on `exp` and `nbf`.
pub const MAX_LEEWAY_SECONDS: u64 = 60;

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
    /// SQLite only: longest wait for the database's write lock (held by another writer), in
    /// milliseconds, before a write answers 503 SERVICE_UNAVAILABLE.
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
    /// Listen address.
    #[arg(
        long,
        env = "LEVIER_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,
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
    /// `text` or `json`.
    #[arg(
        long,
        env = "LEVIER_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,
    /// Seconds given to in-flight requests on shutdown.
    #[arg(
        long,
        env = "LEVIER_SHUTDOWN_TIMEOUT_SECONDS",
        default_value_t = 30,
        global = true
    )]
    pub shutdown_timeout_seconds: u64,
    /// HTTP worker threads; one per core when omitted.
    #[arg(long, env = "LEVIER_WORKERS", global = true)]
    pub workers: Option<usize>,
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

/// Limits on the shape of a GraphQL query (see `graphql::limits`). Tokens, fields and
/// directives are one budget shared by all the operations of a batch.
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
    /// Longest wait for a pooled connection.
    pub database_acquire_timeout: Duration,
    /// SQLite: longest wait for the write lock.
    pub database_busy_timeout: Duration,
    /// Longest time to receive a request's head.
    pub head_timeout: Duration,
    /// Longest time to receive a request's body.
    pub body_timeout: Duration,
    /// Idle keep-alive time (zero: no keep-alive).
    pub keep_alive: Duration,
    /// Listen address.
    pub bind: SocketAddr,
    /// Environment.
    pub environment: Environment,
    /// Token verification.
    pub jwt: JwtConfig,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Whether array batching is accepted.
    pub allow_batching: bool,
    /// Most operations in one batch.
    pub max_batch_operations: usize,
    /// Query shape limits.
    pub query_limits: QueryLimits,
    /// Log format.
    pub log_format: LogFormat,
    /// Grace period on shutdown, in seconds.
    pub shutdown_timeout_seconds: u64,
    /// HTTP worker threads (`None`: one per core).
    pub workers: Option<usize>,
}

/// A setting that cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConfigError {
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
    /// Unknown database scheme.
    #[error("LEVIER_DATABASE_URL must start with sqlite: or postgres:")]
    UnsupportedDatabase,
    /// A zero limit.
    #[error("{0} must be greater than zero")]
    ZeroLimit(&'static str),
    /// A depth limit deeper than the stack margins were proven for.
    #[error("LEVIER_MAX_QUERY_DEPTH must be at most {MAX_QUERY_DEPTH_CEILING}, not {0}")]
    DepthTooDeep(usize),
}

impl Settings {
    /// Validates the settings into a [`Config`].
    pub fn into_config(self) -> Result<Config, ConfigError> {
        let key_sources = [
            self.jwt_secret.is_some(),
            self.jwt_public_key.is_some(),
            self.jwt_jwks.is_some(),
        ];
        if key_sources.iter().filter(|set| **set).count() > 1 {
            return Err(ConfigError::SeveralKeySources);
        }
        let production = self.environment == Environment::Production;
        let (keys, uses_development_secret) =
            match (self.jwt_secret, self.jwt_public_key, self.jwt_jwks) {
                (Some(secret), _, _) => {
                    if production && secret == DEVELOPMENT_SECRET {
                        return Err(ConfigError::DevelopmentSecretInProduction);
                    }
                    if production && secret.len() < MIN_SECRET_BYTES {
                        return Err(ConfigError::SecretTooShort(secret.len()));
                    }
                    (JwtKeySource::Secret(SecretString::from(secret)), false)
                }
                (None, Some(path), _) => (JwtKeySource::PublicKeyPem(path), false),
                (None, None, Some(path)) => (JwtKeySource::JwksFile(path), false),
                (None, None, None) => {
                    if production {
                        return Err(ConfigError::DevelopmentSecretInProduction);
                    }
                    (
                        JwtKeySource::Secret(SecretString::from(DEVELOPMENT_SECRET)),
                        true,
                    )
                }
            };
        if self.jwt_leeway_seconds > MAX_LEEWAY_SECONDS {
            return Err(ConfigError::LeewayTooLarge(self.jwt_leeway_seconds));
        }
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres:")
            || self.database_url.starts_with("postgresql:"))
        {
            return Err(ConfigError::UnsupportedDatabase);
        }
        for (name, value) in [
            ("LEVIER_MAX_BODY_BYTES", self.max_body_bytes),
            ("LEVIER_MAX_QUERY_DEPTH", self.max_query_depth),
            ("LEVIER_MAX_QUERY_FIELDS", self.max_query_fields),
            ("LEVIER_MAX_QUERY_DIRECTIVES", self.max_query_directives),
            ("LEVIER_MAX_QUERY_TOKENS", self.max_query_tokens),
            ("LEVIER_MAX_QUERY_BYTES", self.max_query_bytes),
            ("LEVIER_MAX_BATCH_OPERATIONS", self.max_batch_operations),
            (
                "LEVIER_DATABASE_MAX_CONNECTIONS",
                self.database_max_connections as usize,
            ),
        ] {
            if value == 0 {
                return Err(ConfigError::ZeroLimit(name));
            }
        }
        for (name, value) in [
            (
                "LEVIER_DATABASE_ACQUIRE_TIMEOUT_MS",
                self.database_acquire_timeout_ms,
            ),
            (
                "LEVIER_DATABASE_BUSY_TIMEOUT_MS",
                self.database_busy_timeout_ms,
            ),
            ("LEVIER_HEAD_TIMEOUT_SECONDS", self.head_timeout_seconds),
            ("LEVIER_BODY_TIMEOUT_SECONDS", self.body_timeout_seconds),
        ] {
            if value == 0 {
                return Err(ConfigError::ZeroLimit(name));
            }
        }
        if self.max_query_depth > MAX_QUERY_DEPTH_CEILING {
            return Err(ConfigError::DepthTooDeep(self.max_query_depth));
        }
        Ok(Config {
            database_url: self.database_url,
            database_max_connections: self.database_max_connections,
            database_acquire_timeout: Duration::from_millis(self.database_acquire_timeout_ms),
            database_busy_timeout: Duration::from_millis(self.database_busy_timeout_ms),
            head_timeout: Duration::from_secs(self.head_timeout_seconds),
            body_timeout: Duration::from_secs(self.body_timeout_seconds),
            keep_alive: Duration::from_secs(self.keep_alive_seconds),
            bind: self.bind,
            environment: self.environment,
            jwt: JwtConfig {
                keys,
                issuer: self.jwt_issuer,
                audience: self.jwt_audience,
                leeway_seconds: self.jwt_leeway_seconds,
                uses_development_secret,
            },
            max_body_bytes: self.max_body_bytes,
            allow_batching: self.allow_batching,
            max_batch_operations: self.max_batch_operations,
            query_limits: QueryLimits {
                max_depth: self.max_query_depth,
                max_fields: self.max_query_fields,
                max_directives: self.max_query_directives,
                max_nesting: MAX_QUERY_NESTING,
                max_tokens: self.max_query_tokens,
                max_bytes: self.max_query_bytes,
            },
            log_format: self.log_format,
            shutdown_timeout_seconds: self.shutdown_timeout_seconds,
            workers: self.workers,
        })
    }
}

impl Config {
    /// The development defaults (what `cargo run` uses), on the given database. Tests start from
    /// here and change what they need.
    pub fn development(database_url: impl Into<String>) -> Self {
        Settings {
            database_url: database_url.into(),
            database_max_connections: 10,
            database_acquire_timeout_ms: 1500,
            database_busy_timeout_ms: 5000,
            head_timeout_seconds: 5,
            body_timeout_seconds: 10,
            keep_alive_seconds: 5,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            environment: Environment::Development,
            jwt_secret: None,
            jwt_public_key: None,
            jwt_jwks: None,
            jwt_issuer: None,
            jwt_audience: None,
            jwt_leeway_seconds: 30,
            max_body_bytes: 1_048_576,
            allow_batching: false,
            max_batch_operations: 10,
            max_query_depth: 12,
            max_query_fields: 500,
            max_query_directives: 50,
            max_query_tokens: 10_000,
            max_query_bytes: 131_072,
            log_format: LogFormat::Text,
            shutdown_timeout_seconds: 30,
            workers: None,
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
mod tests {
    use super::*;

    fn settings(environment: Environment, secret: Option<&str>) -> Settings {
        Settings {
            database_url: "sqlite::memory:".into(),
            database_max_connections: 1,
            database_acquire_timeout_ms: 1500,
            database_busy_timeout_ms: 5000,
            head_timeout_seconds: 5,
            body_timeout_seconds: 10,
            keep_alive_seconds: 5,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            environment,
            jwt_secret: secret.map(str::to_owned),
            jwt_public_key: None,
            jwt_jwks: None,
            jwt_issuer: None,
            jwt_audience: None,
            jwt_leeway_seconds: 30,
            max_body_bytes: 1024,
            allow_batching: false,
            max_batch_operations: 10,
            max_query_depth: 10,
            max_query_fields: 100,
            max_query_directives: 10,
            max_query_tokens: 10_000,
            max_query_bytes: 131_072,
            log_format: LogFormat::Text,
            shutdown_timeout_seconds: 1,
            workers: None,
        }
    }

    #[test]
    fn production_refuses_the_development_secret() {
        assert_eq!(
            settings(Environment::Production, None).into_config().err(),
            Some(ConfigError::DevelopmentSecretInProduction)
        );
        assert_eq!(
            settings(Environment::Production, Some(DEVELOPMENT_SECRET))
                .into_config()
                .err(),
            Some(ConfigError::DevelopmentSecretInProduction)
        );
    }

    #[test]
    fn production_refuses_a_short_secret() {
        assert_eq!(
            settings(Environment::Production, Some("too-short"))
                .into_config()
                .err(),
            Some(ConfigError::SecretTooShort(9))
        );
        assert!(
            settings(Environment::Production, Some(&"x".repeat(32)))
                .into_config()
                .is_ok()
        );
    }

    #[test]
    fn development_falls_back_to_the_development_secret() {
        let config = settings(Environment::Development, None).into_config().ok();
        assert_eq!(
            config
                .and_then(|c| c.hs256_secret().map(str::to_owned))
                .as_deref(),
            Some(DEVELOPMENT_SECRET)
        );
    }

    #[test]
    fn leeway_is_capped() {
        let mut too_lenient = settings(Environment::Development, None);
        too_lenient.jwt_leeway_seconds = 61;
        assert_eq!(
            too_lenient.into_config().err(),
            Some(ConfigError::LeewayTooLarge(61))
        );
    }

    #[test]
    fn zero_timeouts_are_refused_but_keep_alive_may_be_off() {
        let mut no_body_time = settings(Environment::Development, None);
        no_body_time.body_timeout_seconds = 0;
        assert_eq!(
            no_body_time.into_config().err(),
            Some(ConfigError::ZeroLimit("LEVIER_BODY_TIMEOUT_SECONDS"))
        );
        let mut no_acquire_time = settings(Environment::Development, None);
        no_acquire_time.database_acquire_timeout_ms = 0;
        assert_eq!(
            no_acquire_time.into_config().err(),
            Some(ConfigError::ZeroLimit("LEVIER_DATABASE_ACQUIRE_TIMEOUT_MS"))
        );
        let mut no_keep_alive = settings(Environment::Development, None);
        no_keep_alive.keep_alive_seconds = 0;
        assert_eq!(
            no_keep_alive
                .into_config()
                .map(|config| config.keep_alive)
                .ok(),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn query_depth_is_capped_by_the_proven_stack_margin() {
        let mut deep = settings(Environment::Development, None);
        deep.max_query_depth = MAX_QUERY_DEPTH_CEILING + 1;
        assert_eq!(
            deep.into_config().err(),
            Some(ConfigError::DepthTooDeep(MAX_QUERY_DEPTH_CEILING + 1))
        );
        let mut ceiling = settings(Environment::Development, None);
        ceiling.max_query_depth = MAX_QUERY_DEPTH_CEILING;
        assert!(ceiling.into_config().is_ok());
        let mut none = settings(Environment::Development, None);
        none.max_query_tokens = 0;
        assert_eq!(
            none.into_config().err(),
            Some(ConfigError::ZeroLimit("LEVIER_MAX_QUERY_TOKENS"))
        );
    }

    #[test]
    fn secrets_never_print() {
        let config = settings(
            Environment::Development,
            Some("super-secret-value-0123456789abcdef"),
        )
        .into_config()
        .ok();
        assert!(!format!("{config:?}").contains("super-secret-value"));
    }
}
