//! The Prometheus metrics: every family's name, unit and help in one place, the functions the
//! code records them through, and the recorder they are kept in until `GET /metrics` renders
//! them (`http::metrics`, with the exporter's [`PrometheusHandle::render`]).
//!
//! The recorder is global (the `metrics` facade has one per process): it is installed by the
//! first application built, and every later one (the tests start many) shares it. Histograms
//! are kept as raw samples until they are folded into their buckets: a thread does it every
//! [`UPKEEP_INTERVAL`], so that memory stays flat between scrapes.
//!
//! Labels are bounded: routes are the matched patterns (`/plans/{id}/document.md`, `unmatched`
//! for a path no route takes), operation names go through `operation_names`, codes are the
//! error table's.

use std::{sync::OnceLock, time::Duration};

use actix_web::http::{Method, StatusCode};
use metrics::{
    SharedString, Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge,
    histogram,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{DatabaseConnection, DbBackend};

use super::record::OperationRecord;
use crate::{error::ErrorCode, ratelimit::Bucket};

/// HTTP requests answered, by `method`, `route` and `status`.
pub const HTTP_REQUESTS: &str = "levier_http_requests_total";
/// Time to answer an HTTP request (to its response's head), by `method` and `route`.
pub const HTTP_DURATION: &str = "levier_http_request_duration_seconds";
/// SQL statements run for one HTTP request, by `route`.
pub const HTTP_STATEMENTS: &str = "levier_http_request_sql_statements";
/// GraphQL operations answered over HTTP, by `operation`, `type` and `code`.
pub const GRAPHQL_OPERATIONS: &str = "levier_graphql_operations_total";
/// Time to answer the request a GraphQL operation came in, by `operation` and `type`.
pub const GRAPHQL_DURATION: &str = "levier_graphql_operation_duration_seconds";
/// Operations running over WebSockets (subscriptions, mostly).
pub const SUBSCRIPTIONS_OPEN: &str = "levier_graphql_subscriptions_open";
/// Connections of the database pool, by `state` (`idle`, `in_use`).
pub const DB_POOL_CONNECTIONS: &str = "levier_db_pool_connections";
/// The most connections the database pool opens.
pub const DB_POOL_MAX: &str = "levier_db_pool_max_connections";
/// Waits for a pooled connection that ran out of time (the request answered 503).
pub const DB_POOL_TIMEOUTS: &str = "levier_db_pool_acquire_timeouts_total";
/// Measurements written by `recordMeasurements`, by `write` (`inserted`, `updated`).
pub const MEASUREMENTS_INGESTED: &str = "levier_measurements_ingested_total";
/// Measurements of batches refused whole for invalid rows.
pub const MEASUREMENTS_REFUSED: &str = "levier_measurements_refused_total";
/// Requests refused by the rate limits, by the `scope` of the budget that was short.
pub const RATE_LIMIT_REFUSALS: &str = "levier_rate_limit_refusals_total";
/// Requests refused over a query limit before running, by `limit` (`cost`, `shape`).
pub const QUERY_LIMIT_REFUSALS: &str = "levier_query_limit_refusals_total";
/// Always 1, labelled with the `version` and the `git_sha` of the build.
pub const BUILD_INFO: &str = "levier_build_info";

/// How often histograms are folded into their buckets.
pub const UPKEEP_INTERVAL: Duration = Duration::from_secs(5);

/// Latency buckets, in seconds: from a cached read to a slow export.
const SECONDS_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Statement-count buckets: a request's statements grow with its depth, not its rows.
const STATEMENT_BUCKETS: [f64; 11] = [0.0, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0, 55.0, 89.0];

/// The commit the binary was built from, when the build said (`LEVIER_GIT_SHA=$(git rev-parse
/// --short HEAD) cargo build --release`).
const GIT_SHA: Option<&str> = option_env!("LEVIER_GIT_SHA");

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The handle that renders the metrics, installing the recorder on first call.
pub fn handle() -> PrometheusHandle {
    HANDLE.get_or_init(install).clone()
}

fn with_buckets(
    builder: PrometheusBuilder,
    matcher: Matcher,
    buckets: &[f64],
) -> PrometheusBuilder {
    match builder.set_buckets_for_metric(matcher, buckets) {
        Ok(builder) => builder,
        Err(error) => unreachable!("the bucket lists are not empty: {error}"),
    }
}

fn install() -> PrometheusHandle {
    let builder = with_buckets(
        PrometheusBuilder::new(),
        Matcher::Suffix("_seconds".to_owned()),
        &SECONDS_BUCKETS,
    );
    let builder = with_buckets(
        builder,
        Matcher::Full(HTTP_STATEMENTS.to_owned()),
        &STATEMENT_BUCKETS,
    );
    let recorder = builder.build_recorder();
    let handle = recorder.handle();
    if let Err(error) = metrics::set_global_recorder(recorder) {
        // Only an embedding program that installed its own recorder gets here; /metrics then
        // renders what this recorder holds: nothing but the build's information.
        tracing::warn!(%error, "another metrics recorder is installed: /metrics shows none of Levier's metrics");
    }
    describe();
    // The counters that may stay at zero for long are there from the first scrape: a rate of
    // an absent series is no rate at all.
    for bucket in [Bucket::Credential, Bucket::Tenant] {
        counter!(RATE_LIMIT_REFUSALS, "scope" => bucket.as_str()).increment(0);
    }
    for limit in ["cost", "shape"] {
        counter!(QUERY_LIMIT_REFUSALS, "limit" => limit).increment(0);
    }
    for write in ["inserted", "updated"] {
        counter!(MEASUREMENTS_INGESTED, "write" => write).increment(0);
    }
    counter!(MEASUREMENTS_REFUSED).increment(0);
    counter!(DB_POOL_TIMEOUTS).increment(0);
    gauge!(SUBSCRIPTIONS_OPEN).increment(0.0);
    gauge!(
        BUILD_INFO,
        "version" => env!("CARGO_PKG_VERSION"),
        "git_sha" => GIT_SHA.unwrap_or("unknown")
    )
    .set(1.0);
    let upkeep = handle.clone();
    let started = std::thread::Builder::new()
        .name("levier-metrics".to_owned())
        .spawn(move || {
            loop {
                std::thread::sleep(UPKEEP_INTERVAL);
                upkeep.run_upkeep();
            }
        });
    if let Err(error) = started {
        // Rendering folds the histograms too: they then grow only between two scrapes.
        tracing::warn!(%error, "the metrics upkeep thread did not start");
    }
    handle
}

fn describe() {
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by method, route pattern and status."
    );
    describe_histogram!(
        HTTP_DURATION,
        Unit::Seconds,
        "Time to answer an HTTP request (to its response's head), by method and route pattern."
    );
    describe_histogram!(
        HTTP_STATEMENTS,
        "SQL statements run for one HTTP request (until its response's head), by route pattern."
    );
    describe_counter!(
        GRAPHQL_OPERATIONS,
        "GraphQL operations answered over HTTP, by operation name (bounded: anonymous, other, unknown), type and code (ok, or the first error's extensions.code)."
    );
    describe_histogram!(
        GRAPHQL_DURATION,
        Unit::Seconds,
        "Time to answer the HTTP request a GraphQL operation came in, by operation name and type."
    );
    describe_gauge!(
        SUBSCRIPTIONS_OPEN,
        "GraphQL operations running over WebSockets."
    );
    describe_gauge!(
        DB_POOL_CONNECTIONS,
        "Open connections of the database pool, by state (idle, in_use), read at scrape time."
    );
    describe_gauge!(DB_POOL_MAX, "The most connections the database pool opens.");
    describe_counter!(
        DB_POOL_TIMEOUTS,
        "Requests that waited for a pooled database connection past the acquire timeout (answered 503): the pool is saturated or the database unreachable."
    );
    describe_counter!(
        MEASUREMENTS_INGESTED,
        "Measurements written by recordMeasurements, by write (inserted, updated)."
    );
    describe_counter!(
        MEASUREMENTS_REFUSED,
        "Measurements of recordMeasurements batches refused whole for invalid rows."
    );
    describe_counter!(
        RATE_LIMIT_REFUSALS,
        "Requests refused with RATE_LIMITED, by the scope of the budget that was short (credential, tenant)."
    );
    describe_counter!(
        QUERY_LIMIT_REFUSALS,
        "GraphQL requests refused with QUERY_TOO_COMPLEX before running, by limit (cost: LEVIER_MAX_QUERY_COST; shape: size, depth, fields, directives)."
    );
    describe_gauge!(
        BUILD_INFO,
        "Always 1, labelled with the build's version and git_sha."
    );
}

/// The label of an HTTP method, without allocating for the usual ones.
fn method_label(method: &Method) -> SharedString {
    let label = match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "other",
    };
    SharedString::const_str(label)
}

/// The label of a status, without allocating for those the server answers.
fn status_label(status: StatusCode) -> SharedString {
    let label = match status.as_u16() {
        101 => "101",
        200 => "200",
        204 => "204",
        304 => "304",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        405 => "405",
        406 => "406",
        408 => "408",
        409 => "409",
        413 => "413",
        415 => "415",
        429 => "429",
        500 => "500",
        503 => "503",
        other => return SharedString::from_owned(other.to_string()),
    };
    SharedString::const_str(label)
}

/// One HTTP request answered.
pub struct HttpExchange<'a> {
    /// Its method.
    pub method: &'a Method,
    /// The route pattern it matched, or `unmatched`.
    pub route: SharedString,
    /// The response's status.
    pub status: StatusCode,
    /// Time to the response's head.
    pub elapsed: Duration,
    /// SQL statements run for it.
    pub statements: u32,
}

/// Records an HTTP request, and its GraphQL `operations` (whose code, when they have none of
/// their own, is `answered`: the error that refused the whole request).
pub fn http_request(
    exchange: &HttpExchange<'_>,
    operations: &[OperationRecord],
    answered: Option<ErrorCode>,
) {
    let seconds = exchange.elapsed.as_secs_f64();
    counter!(
        HTTP_REQUESTS,
        "method" => method_label(exchange.method),
        "route" => exchange.route.clone(),
        "status" => status_label(exchange.status)
    )
    .increment(1);
    histogram!(
        HTTP_DURATION,
        "method" => method_label(exchange.method),
        "route" => exchange.route.clone()
    )
    .record(seconds);
    histogram!(HTTP_STATEMENTS, "route" => exchange.route.clone())
        .record(f64::from(exchange.statements));
    for operation in operations {
        let code = operation.code.or(answered).map_or("ok", ErrorCode::as_str);
        counter!(
            GRAPHQL_OPERATIONS,
            "operation" => SharedString::from(&operation.name),
            "type" => operation.kind,
            "code" => code
        )
        .increment(1);
        histogram!(
            GRAPHQL_DURATION,
            "operation" => SharedString::from(&operation.name),
            "type" => operation.kind
        )
        .record(seconds);
    }
}

/// One request refused by the rate limits, `bucket` being the budget that was short.
pub fn rate_limited(bucket: Bucket) {
    counter!(RATE_LIMIT_REFUSALS, "scope" => bucket.as_str()).increment(1);
}

/// The limit a refused query passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryLimit {
    /// `LEVIER_MAX_QUERY_COST`.
    Cost,
    /// A bound on the document's shape (bytes, tokens, depth, fields, directives…).
    Shape,
}

/// One GraphQL request refused over a query limit.
pub fn query_refused(limit: QueryLimit) {
    let limit = match limit {
        QueryLimit::Cost => "cost",
        QueryLimit::Shape => "shape",
    };
    counter!(QUERY_LIMIT_REFUSALS, "limit" => limit).increment(1);
}

/// Measurements recorded: `inserted` new rows and `updated` replaced ones.
pub fn measurements_ingested(inserted: u64, updated: u64) {
    counter!(MEASUREMENTS_INGESTED, "write" => "inserted").increment(inserted);
    counter!(MEASUREMENTS_INGESTED, "write" => "updated").increment(updated);
}

/// A batch of `rows` measurements refused whole.
pub fn measurements_refused(rows: u64) {
    counter!(MEASUREMENTS_REFUSED).increment(rows);
}

/// A wait for a pooled database connection that ran out of time.
pub fn pool_timed_out() {
    counter!(DB_POOL_TIMEOUTS).increment(1);
}

/// An operation running over a WebSocket, counted in [`SUBSCRIPTIONS_OPEN`] until dropped.
#[derive(Debug)]
pub struct OpenSubscription(());

impl OpenSubscription {
    /// Counts an operation that starts.
    pub fn start() -> Self {
        gauge!(SUBSCRIPTIONS_OPEN).increment(1.0);
        Self(())
    }
}

impl Drop for OpenSubscription {
    fn drop(&mut self) {
        gauge!(SUBSCRIPTIONS_OPEN).decrement(1.0);
    }
}

/// Reads the pool's gauges (before a render: sqlx keeps the figures, not the history). The
/// connections kept out of the pool for reads (`reads`) are the pool's too: idle when on their
/// stack, in use when lent.
pub fn read_pool(connection: &DatabaseConnection, reads: Option<&crate::db::ReadConnections>) {
    let (size, idle, max) = match connection.get_database_backend() {
        DbBackend::Postgres => {
            let pool = connection.get_postgres_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        DbBackend::Sqlite => {
            let pool = connection.get_sqlite_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        // Not compiled in.
        _ => return,
    };
    let idle = idle + reads.map_or(0, crate::db::ReadConnections::idle);
    let idle = u32::try_from(idle).unwrap_or(u32::MAX).min(size);
    gauge!(DB_POOL_CONNECTIONS, "state" => "idle").set(f64::from(idle));
    gauge!(DB_POOL_CONNECTIONS, "state" => "in_use").set(f64::from(size - idle));
    gauge!(DB_POOL_MAX).set(f64::from(max));
}
