//! Connecting to the database (SQLite pragmas or a PostgreSQL pool), migrating, readiness, and
//! counting the SQL statements the server runs. (Telling a database that is unavailable for now
//! from one that failed is the store's: `store::error`.)
//!
//! Every wait on the database is bounded, so that an outage or a busy database answers fast
//! with 503 instead of holding requests: a pooled connection is waited for at most
//! `LEVIER_DATABASE_ACQUIRE_TIMEOUT_MS`, SQLite's write lock at most
//! `LEVIER_DATABASE_BUSY_TIMEOUT_MS`, and the readiness probe at most [`READINESS_TIMEOUT`].

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::Config;

/// How many SQL statements this process has run, read by tests and benchmarks to prove that a
/// request's statement count does not grow with the rows it returns.
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Statements run so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    fn increment(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// True for an SQLite database that lives only in memory: each connection would see its own
/// empty database, so the pool must hold exactly one.
fn is_in_memory_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:") && (url.contains(":memory:") || url.contains("mode=memory"))
}

/// The longest the readiness probe waits for the database: a load balancer's probe gets its
/// answer within a second even when the database does not answer at all.
pub const READINESS_TIMEOUT: Duration = Duration::from_millis(750);

/// Opens the pool. SQLite gets WAL, foreign keys and a busy timeout (how long a writer waits
/// for the write lock); the file is created if missing (`mode=rwc` in the default URL). Every
/// connection is waited for at most the acquire timeout, which also bounds opening a new one.
pub async fn connect(
    config: &Config,
    counter: &StatementCounter,
) -> Result<DatabaseConnection, DbErr> {
    let url = &config.database_url;
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(if is_in_memory_sqlite(url) {
            1
        } else {
            config.database_max_connections
        })
        .min_connections(if is_in_memory_sqlite(url) { 1 } else { 0 })
        // sqlx has one timeout for both: waiting for a free connection and opening a new one.
        .connect_timeout(config.database_acquire_timeout)
        .acquire_timeout(config.database_acquire_timeout)
        // Keep the one connection of an in-memory database alive for the life of the pool.
        .idle_timeout(if is_in_memory_sqlite(url) {
            Duration::from_secs(u32::MAX.into())
        } else {
            Duration::from_secs(600)
        })
        .max_lifetime(if is_in_memory_sqlite(url) {
            Duration::from_secs(u32::MAX.into())
        } else {
            Duration::from_secs(1800)
        })
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        let busy_timeout = config.database_busy_timeout;
        options.map_sqlx_sqlite_opts(move |sqlite| {
            sqlite
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(busy_timeout)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
        });
    }
    let mut connection = Database::connect(options).await?;
    let counter = counter.clone();
    connection.set_metric_callback(move |info| {
        counter.increment();
        crate::observability::statements::count_statement();
        if info.elapsed > Duration::from_millis(200) {
            tracing::warn!(elapsed_ms = info.elapsed.as_millis() as u64, sql = %info.statement, "slow statement");
        }
    });
    Ok(connection)
}

/// Applies every pending migration.
pub async fn migrate(connection: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(connection, None).await
}

/// True when the database answers a trivial query within [`READINESS_TIMEOUT`].
pub async fn is_ready(connection: &DatabaseConnection) -> bool {
    matches!(
        tokio::time::timeout(READINESS_TIMEOUT, connection.ping()).await,
        Ok(Ok(()))
    )
}
