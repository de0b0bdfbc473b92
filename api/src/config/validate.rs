//! [`Settings::into_config`]: every check a setting must pass before the server starts, and the
//! [`Config`] built from them.

use std::{
    net::SocketAddr,
    num::{NonZeroU32, NonZeroUsize},
    time::Duration,
};

use secrecy::SecretString;

use super::{
    BindAddress, Config, ConfigError, CorsOrigins, DEVELOPMENT_SECRET, DatabaseStart, Environment,
    JwtConfig, JwtKeySource, MAX_LEEWAY_SECONDS, MAX_QUERY_DEPTH_CEILING, MAX_QUERY_NESTING,
    MAX_SHUTDOWN_DRAIN_SECONDS, MIN_SECRET_BYTES, MetricsConfig, PRODUCTION_SHUTDOWN_DRAIN,
    QueryLimits, Rate, RateLimits, Settings, WebhookConfig,
};

/// The longest retention `LEVIER_AUDIT_RETENTION_DAYS` accepts (100 years).
const MAX_AUDIT_RETENTION_DAYS: u64 = 36_500;

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
            ("LEVIER_MAX_IMPORT_BYTES", self.max_import_bytes),
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
            ("LEVIER_MAX_QUERY_COST", self.max_query_cost),
        ] {
            if value == 0 {
                return Err(ConfigError::ZeroLimit(name));
            }
        }
        if self.max_query_depth > MAX_QUERY_DEPTH_CEILING {
            return Err(ConfigError::DepthTooDeep(self.max_query_depth));
        }
        let apq_cache_size = NonZeroUsize::new(self.apq_cache_size)
            .ok_or(ConfigError::ZeroLimit("LEVIER_APQ_CACHE_SIZE"))?;
        let rate = |per_second: u32, per_second_name, burst: u32, burst_name| {
            Ok::<_, ConfigError>(Rate {
                per_second: NonZeroU32::new(per_second)
                    .ok_or(ConfigError::ZeroLimit(per_second_name))?,
                burst: NonZeroU32::new(burst).ok_or(ConfigError::ZeroLimit(burst_name))?,
            })
        };
        let rate_limits = RateLimits {
            credential: rate(
                self.rate_limit_credential_per_second,
                "LEVIER_RATE_LIMIT_CREDENTIAL_PER_SECOND",
                self.rate_limit_credential_burst,
                "LEVIER_RATE_LIMIT_CREDENTIAL_BURST",
            )?,
            tenant: rate(
                self.rate_limit_tenant_per_second,
                "LEVIER_RATE_LIMIT_TENANT_PER_SECOND",
                self.rate_limit_tenant_burst,
                "LEVIER_RATE_LIMIT_TENANT_BURST",
            )?,
            redis_url: self.redis_url.filter(|url| !url.is_empty()),
            redis_key_prefix: self.redis_key_prefix,
        };
        // Development stops at once on Ctrl-C; production gives the load balancer time to
        // see `/readyz` fail (see `shutdown`).
        let shutdown_drain = match self.shutdown_drain_seconds {
            Some(seconds) if seconds > MAX_SHUTDOWN_DRAIN_SECONDS => {
                return Err(ConfigError::DrainTooLong(seconds));
            }
            Some(seconds) => Duration::from_secs(seconds),
            None if production => PRODUCTION_SHUTDOWN_DRAIN,
            None => Duration::ZERO,
        };
        let bind = BindAddress::parse(&self.bind)?;
        if let Some(kept) = self.database_kept_read_connections
            && kept > 0
            && kept >= self.database_max_connections
        {
            return Err(ConfigError::KeptReadConnections {
                kept,
                max: self.database_max_connections,
            });
        }
        let metrics = metrics_config(self.metrics_bind, self.metrics_token, &bind, production)?;
        let webhooks = WebhookConfig::from_settings(&self.webhooks)?;
        Ok(Config {
            database_url: self.database_url,
            database_max_connections: self.database_max_connections,
            database_kept_read_connections: self.database_kept_read_connections,
            database_acquire_timeout: Duration::from_millis(self.database_acquire_timeout_ms),
            database_busy_timeout: Duration::from_millis(self.database_busy_timeout_ms),
            head_timeout: Duration::from_secs(self.head_timeout_seconds),
            body_timeout: Duration::from_secs(self.body_timeout_seconds),
            keep_alive: Duration::from_secs(self.keep_alive_seconds),
            cors_origins: CorsOrigins::parse(self.cors_origins.as_deref(), self.environment)?,
            bind,
            environment: self.environment,
            jwt: JwtConfig {
                keys,
                issuer: self.jwt_issuer,
                audience: self.jwt_audience,
                leeway_seconds: self.jwt_leeway_seconds,
                uses_development_secret,
            },
            max_body_bytes: self.max_body_bytes,
            max_import_bytes: self.max_import_bytes,
            allow_batching: self.allow_batching,
            max_batch_operations: self.max_batch_operations,
            query_limits: QueryLimits {
                max_depth: self.max_query_depth,
                max_fields: self.max_query_fields,
                max_directives: self.max_query_directives,
                max_nesting: MAX_QUERY_NESTING,
                max_tokens: self.max_query_tokens,
                max_bytes: self.max_query_bytes,
                max_cost: self.max_query_cost,
            },
            apq_cache_size,
            log_format: self.log_format,
            telemetry: self.telemetry.into_config()?,
            shutdown_timeout_seconds: self.shutdown_timeout_seconds,
            shutdown_drain,
            workers: self.workers,
            rate_limits,
            database_start: DatabaseStart {
                migrate: !self.no_migrate,
                exit_on_failure: self.exit_on_db_failure,
            },
            metrics,
            audit_retention: match self.audit_retention_days {
                0 => None,
                days if days > MAX_AUDIT_RETENTION_DAYS => {
                    return Err(ConfigError::AuditRetentionTooLong(days));
                }
                days => Some(chrono::TimeDelta::days(
                    i64::try_from(days).unwrap_or(i64::MAX),
                )),
            },
            webhooks,
        })
    }
}

/// The shortest metrics token accepted in production.
pub const MIN_METRICS_TOKEN_BYTES: usize = 16;

/// Where and to whom the metrics are served; an empty token counts as none.
fn metrics_config(
    bind: Option<SocketAddr>,
    token: Option<String>,
    main_bind: &BindAddress,
    production: bool,
) -> Result<MetricsConfig, ConfigError> {
    let token = token.filter(|token| !token.is_empty());
    if let Some(token) = &token
        && production
        && token.len() < MIN_METRICS_TOKEN_BYTES
    {
        return Err(ConfigError::MetricsTokenTooShort(token.len()));
    }
    // The same address as the main listener (port 0 asks for a fresh port each time).
    if let Some(bind) = bind
        && bind.port() != 0
        && bind.port() == main_bind.port
        && bind.ip().to_string() == main_bind.host
    {
        return Err(ConfigError::MetricsBindIsBind);
    }
    Ok(MetricsConfig {
        bind,
        token: token.map(SecretString::from),
        production,
    })
}
