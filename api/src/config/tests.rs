//! Unit tests of the settings' validation.

use super::*;

fn settings(environment: Environment, secret: Option<&str>) -> Settings {
    Settings {
        database_url: "sqlite::memory:".into(),
        database_max_connections: 1,
        database_kept_read_connections: None,
        database_acquire_timeout_ms: 1500,
        database_busy_timeout_ms: 5000,
        head_timeout_seconds: 5,
        body_timeout_seconds: 10,
        keep_alive_seconds: 5,
        cors_origins: None,
        bind: "127.0.0.1:0".into(),
        environment,
        jwt_secret: secret.map(str::to_owned),
        jwt_public_key: None,
        jwt_jwks: None,
        jwt_issuer: None,
        jwt_audience: None,
        jwt_leeway_seconds: 30,
        max_body_bytes: 1024,
        max_import_bytes: 4096,
        allow_batching: false,
        max_batch_operations: 10,
        max_query_depth: 10,
        max_query_fields: 100,
        max_query_directives: 10,
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
        shutdown_timeout_seconds: 1,
        shutdown_drain_seconds: None,
        workers: None,
        no_migrate: false,
        exit_on_db_failure: false,
        audit_retention_days: 365,
        metrics_bind: None,
        metrics_token: None,
        webhooks: WebhookSettings::default(),
    }
}

#[test]
fn the_shutdown_drain_defaults_by_environment_and_is_bounded() {
    let drain = |environment, secret, seconds| {
        let mut settings = settings(environment, secret);
        settings.shutdown_drain_seconds = seconds;
        settings.into_config().map(|config| config.shutdown_drain)
    };
    let secret = "x".repeat(32);
    assert_eq!(
        drain(Environment::Development, None, None),
        Ok(Duration::ZERO)
    );
    assert_eq!(
        drain(Environment::Production, Some(&secret), None),
        Ok(Duration::from_secs(5))
    );
    assert_eq!(
        drain(Environment::Production, Some(&secret), Some(0)),
        Ok(Duration::ZERO)
    );
    assert_eq!(
        drain(Environment::Development, None, Some(12)),
        Ok(Duration::from_secs(12))
    );
    assert_eq!(
        drain(Environment::Development, None, Some(301)),
        Err(ConfigError::DrainTooLong(301))
    );
}

#[test]
fn kept_read_connections_default_to_two_fewer_than_the_pool_and_leave_it_one() {
    let kept = |max, kept| {
        let mut settings = settings(Environment::Development, None);
        settings.database_max_connections = max;
        settings.database_kept_read_connections = kept;
        settings
            .into_config()
            .map(|config| config.kept_read_connections())
    };
    assert_eq!(kept(10, None), Ok(8));
    assert_eq!(kept(2, None), Ok(0));
    assert_eq!(kept(1, None), Ok(0));
    assert_eq!(kept(10, Some(0)), Ok(0));
    assert_eq!(kept(10, Some(9)), Ok(9));
    assert_eq!(
        kept(10, Some(10)),
        Err(ConfigError::KeptReadConnections { kept: 10, max: 10 })
    );
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
fn the_persisted_query_cache_holds_at_least_one_document() {
    let mut none = settings(Environment::Development, None);
    none.apq_cache_size = 0;
    assert_eq!(
        none.into_config().err(),
        Some(ConfigError::ZeroLimit("LEVIER_APQ_CACHE_SIZE"))
    );
    let mut one = settings(Environment::Development, None);
    one.apq_cache_size = 1;
    assert_eq!(
        one.into_config().map(|config| config.apq_cache_size.get()),
        Ok(1)
    );
}

#[test]
fn the_query_cost_bound_is_read_and_cannot_be_zero() {
    let mut cheap = settings(Environment::Development, None);
    cheap.max_query_cost = 1_000;
    assert_eq!(
        cheap
            .into_config()
            .map(|config| config.query_limits.max_cost)
            .ok(),
        Some(1_000)
    );
    let mut zero = settings(Environment::Development, None);
    zero.max_query_cost = 0;
    assert_eq!(
        zero.into_config().err(),
        Some(ConfigError::ZeroLimit("LEVIER_MAX_QUERY_COST"))
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

#[test]
fn rate_limits_cannot_be_zero_and_an_empty_redis_url_is_none() {
    let mut none = settings(Environment::Development, None);
    none.rate_limit_tenant_burst = 0;
    assert_eq!(
        none.into_config().err(),
        Some(ConfigError::ZeroLimit("LEVIER_RATE_LIMIT_TENANT_BURST"))
    );
    let mut still = settings(Environment::Development, None);
    still.rate_limit_credential_per_second = 0;
    assert_eq!(
        still.into_config().err(),
        Some(ConfigError::ZeroLimit(
            "LEVIER_RATE_LIMIT_CREDENTIAL_PER_SECOND"
        ))
    );
    let mut empty = settings(Environment::Development, None);
    empty.redis_url = Some(String::new());
    let config = empty.into_config().map(|config| config.rate_limits);
    assert_eq!(config.ok().and_then(|limits| limits.redis_url), None);
}

#[test]
fn bind_takes_addresses_and_host_names() {
    for (value, host, port, shown) in [
        ("127.0.0.1:8080", "127.0.0.1", 8080, "127.0.0.1:8080"),
        ("0.0.0.0:0", "0.0.0.0", 0, "0.0.0.0:0"),
        ("[::1]:8080", "::1", 8080, "[::1]:8080"),
        ("localhost:8080", "localhost", 8080, "localhost:8080"),
        ("myhost:80", "myhost", 80, "myhost:80"),
        (
            "api-1.internal.example.com:443",
            "api-1.internal.example.com",
            443,
            "api-1.internal.example.com:443",
        ),
    ] {
        let mut given = settings(Environment::Development, None);
        given.bind = value.to_owned();
        let bind = given.into_config().map(|config| config.bind);
        assert_eq!(
            bind.as_ref().map(|b| (b.host.as_str(), b.port)),
            Ok((host, port)),
            "{value}"
        );
        assert_eq!(bind.map(|b| b.to_string()), Ok(shown.to_owned()), "{value}");
    }
}

#[test]
fn bind_refuses_what_is_not_host_and_port_and_says_why() {
    for (value, reason) in [
        ("localhost", "has no port"),
        (
            "localhost:http",
            "has no port number (0 to 65535) after its last `:`",
        ),
        (
            "localhost:70000",
            "has no port number (0 to 65535) after its last `:`",
        ),
        (":8080", "has no valid host name before its port"),
        ("local host:80", "has no valid host name before its port"),
        ("-bad.example:80", "has no valid host name before its port"),
        ("::1:8080", "holds an IPv6 address without brackets"),
        (
            "[nope]:8080",
            "has brackets around something that is not an IPv6 address",
        ),
    ] {
        let mut given = settings(Environment::Development, None);
        given.bind = value.to_owned();
        let error = given.into_config().err();
        assert_eq!(
            error,
            Some(ConfigError::Bind {
                value: value.to_owned(),
                reason
            }),
            "{value}"
        );
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.starts_with(&format!("LEVIER_BIND: `{value}` {reason}; write host:port")),
            "{message}"
        );
    }
}

#[test]
fn the_database_start_follows_its_flags() {
    #[derive(clap::Parser)]
    struct Command {
        #[command(flatten)]
        settings: Settings,
    }
    let parse = |arguments: &[&str]| {
        <Command as clap::Parser>::try_parse_from(arguments)
            .map_err(|error| error.to_string())
            .and_then(|command| command.settings.into_config().map_err(|e| e.to_string()))
            .map(|config| config.database_start)
    };
    assert_eq!(
        parse(&["levier", "--no-migrate", "--exit-on-db-failure"]),
        Ok(DatabaseStart {
            migrate: false,
            exit_on_failure: true
        })
    );
    let development = Config::development("sqlite::memory:").database_start;
    assert_eq!(
        development,
        DatabaseStart {
            migrate: true,
            exit_on_failure: false
        }
    );
    assert!(
        parse(&["levier", "--no-migrate=yes"]).is_err(),
        "a flag takes no value"
    );
}

#[test]
fn metrics_are_hidden_on_the_main_port_in_production_unless_a_token_guards_them() {
    let production = || settings(Environment::Production, Some(&"s".repeat(32)));
    let exposure = |settings: Settings| {
        let metrics = settings
            .into_config()
            .unwrap_or_else(|error| panic!("valid: {error}"))
            .metrics;
        (
            metrics.main_port_exposure(),
            metrics.own_listener_exposure(),
        )
    };
    assert_eq!(
        exposure(settings(Environment::Development, None)),
        (MetricsExposure::Open, MetricsExposure::Open)
    );
    assert_eq!(
        exposure(production()),
        (MetricsExposure::Hidden, MetricsExposure::Open)
    );
    let mut with_token = production();
    with_token.metrics_token = Some("a-token-of-16-by".into());
    assert_eq!(
        exposure(with_token.clone()),
        (MetricsExposure::Token, MetricsExposure::Token)
    );
    with_token.metrics_bind = Some(SocketAddr::from(([127, 0, 0, 1], 9464)));
    assert_eq!(
        exposure(with_token),
        (MetricsExposure::Hidden, MetricsExposure::Token)
    );
    // An empty variable is no token.
    let mut empty = settings(Environment::Development, None);
    empty.metrics_token = Some(String::new());
    assert_eq!(
        exposure(empty),
        (MetricsExposure::Open, MetricsExposure::Open)
    );
}

#[test]
fn a_metrics_token_or_listener_that_cannot_work_is_refused() {
    let mut short = settings(Environment::Production, Some(&"s".repeat(32)));
    short.metrics_token = Some("short".into());
    assert_eq!(
        short.into_config().err(),
        Some(ConfigError::MetricsTokenTooShort(5))
    );
    let mut same = settings(Environment::Development, None);
    same.metrics_bind = Some(std::net::SocketAddr::from(([127, 0, 0, 1], 8080)));
    same.bind = "127.0.0.1:8080".to_owned();
    assert_eq!(
        same.into_config().err(),
        Some(ConfigError::MetricsBindIsBind)
    );
}

#[test]
fn a_webhook_lease_must_outlast_a_delivery() {
    let mut given = settings(Environment::Development, None);
    given.webhooks.webhook_lease_seconds = 10;
    given.webhooks.webhook_timeout_seconds = 10;
    assert!(matches!(
        given.into_config(),
        Err(ConfigError::WebhookLease {
            lease: 10,
            timeout: 10
        })
    ));
    let mut zero = settings(Environment::Development, None);
    zero.webhooks.webhook_poll_ms = 0;
    assert!(matches!(
        zero.into_config(),
        Err(ConfigError::ZeroLimit("LEVIER_WEBHOOK_POLL_MS"))
    ));
}
