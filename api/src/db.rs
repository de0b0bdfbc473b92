//! Connecting to the database (SQLite pragmas or a PostgreSQL pool), migrating, readiness, and
//! counting the SQL statements the server runs.

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

/// Opens the pool. SQLite gets WAL, foreign keys and a busy timeout; the file is created if
/// missing (`mode=rwc` in the default URL).
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
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
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
        options.map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
        });
    }
    let mut connection = Database::connect(options).await?;
    let counter = counter.clone();
    connection.set_metric_callback(move |info| {
        counter.increment();
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

/// True when the database answers a trivial query.
pub async fn is_ready(connection: &DatabaseConnection) -> bool {
    connection.ping().await.is_ok()
}
