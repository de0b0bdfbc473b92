//! Connecting to the database (SQLite pragmas or a PostgreSQL pool), migrating, readiness, and
//! counting the SQL statements the server runs. (Telling a database that is unavailable for now
//! from one that failed is the store's: `store::error`.)
//!
//! An SQLite file is opened at once, and a failure says which file and what to do
//! (`sqlite.rs`). A PostgreSQL pool connects lazily, so that the server can start before its
//! database answers; [`prepare`] then reaches it with a connection of its own, which tells the
//! driver's cause when it cannot (`postgres.rs`), and migrates under an advisory lock, or only
//! checks that no migration is pending ([`SchemaAction`]). [`DatabaseState`] is where that
//! stands, for `/readyz` and the requests.
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
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend};

use crate::config::Config;

mod error;
mod lanes;
mod postgres;
mod read_connections;
mod sqlite;
mod state;
mod write_queue;

pub use error::StartError;
pub use lanes::Lanes;
pub use read_connections::{ReadConnections, WriterWaiting};
pub use state::{DatabaseState, DatabaseStatus};
pub use write_queue::{NoTurn, WriteQueue, WriteTurn};

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

/// How long a pooled connection may sit idle and still be lent without a check that the
/// server still holds it.
const IDLE_BEFORE_CHECK: Duration = Duration::from_secs(1);

/// Opens the pool. SQLite gets WAL, foreign keys and a busy timeout (how long a writer waits
/// for the write lock); the file is created if missing (`mode=rwc` in the default URL), and
/// opened now: a file that cannot be opened is an error that names it. A PostgreSQL pool
/// connects on first use (see [`prepare`]). Every connection is waited for at most the acquire
/// timeout, which also bounds opening a new one.
pub async fn connect(
    config: &Config,
    counter: &StatementCounter,
) -> Result<DatabaseConnection, StartError> {
    let url = &config.database_url;
    let mut options = ConnectOptions::new(url.clone());
    options
        .connect_lazy(!url.starts_with("sqlite:"))
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
        // The driver checks each connection it lends with a round trip to the server, unless
        // told otherwise: on PostgreSQL one more exchange per statement (without it, a light
        // read took 28 % less of the database's CPU and ran 27 % faster, bench/README.md). A
        // connection in use moments ago is alive; one idle for longer may have been dropped by
        // the server (a restart) or by a firewall, and is checked before it is lent.
        .test_before_acquire_if_idle_for(IDLE_BEFORE_CHECK)
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
    if url.starts_with("postgres") {
        let url = url.clone();
        options.map_sqlx_postgres_opts(move |postgres| {
            postgres::without_tls_on_loopback(&url, postgres)
        });
    }
    let mut connection = Database::connect(options).await.map_err(|error| {
        sqlite::open_error(url, &error).unwrap_or_else(|| StartError::database(&error))
    })?;
    let counter = counter.clone();
    connection.set_metric_callback(move |info| observe_statement(&counter, info));
    Ok(connection)
}

/// What every statement the server runs goes through once it has run, on the pool or on a
/// kept connection ([`ReadConnections`]): counted, and reported.
fn observe_statement(counter: &StatementCounter, info: &sea_orm::metric::Info<'_>) {
    counter.increment();
    crate::observability::statements::count_statement();
    // A warning when slow, a span when traced: the statement's shape, never its values.
    crate::telemetry::statement::observe(info);
}

/// What [`prepare`] does with the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaAction {
    /// Apply the pending migrations (on PostgreSQL, one process at a time).
    Migrate,
    /// Only check that none is pending (`LEVIER_NO_MIGRATE`).
    Check,
}

/// Makes the database of `connection` ready to serve, once: on PostgreSQL, reaches it on a
/// connection of its own (the pool's timeout would hide why it cannot), then, for
/// [`SchemaAction::Migrate`], applies the pending migrations while holding the migration lock on
/// that connection, so that replicas starting together apply them once; for
/// [`SchemaAction::Check`], refuses a schema with pending migrations. `state` tells what it is
/// doing meanwhile.
pub async fn prepare(
    database_url: &str,
    connection: &DatabaseConnection,
    action: SchemaAction,
    state: &DatabaseState,
) -> Result<(), StartError> {
    if connection.get_database_backend() != DbBackend::Postgres {
        // One SQLite database has one server process: nobody to race with.
        return match action {
            SchemaAction::Migrate => Migrator::up(connection, None)
                .await
                .map_err(|error| StartError::migration(&error)),
            SchemaAction::Check => check_migrated(connection).await,
        };
    }
    let mut session = postgres::Session::open(database_url).await?;
    let prepared = match action {
        SchemaAction::Migrate => {
            session.lock_migrations(state).await?;
            state.set(DatabaseStatus::Starting {
                reason: "applying migrations".to_owned(),
            });
            Migrator::up(connection, None)
                .await
                .map_err(|error| StartError::migration(&error))
        }
        SchemaAction::Check => check_migrated(connection).await,
    };
    // Closing the session releases the lock even if unlocking fails.
    session.close().await;
    prepared
}

/// Refuses a schema with pending migrations, naming them (without creating the migrations'
/// table: this is a read).
async fn check_migrated(connection: &DatabaseConnection) -> Result<(), StartError> {
    let pending = Migrator::get_pending_migrations_read_only(connection)
        .await
        .map_err(|error| StartError::migration(&error))?;
    if pending.is_empty() {
        Ok(())
    } else {
        Err(StartError::MigrationsPending {
            names: pending
                .iter()
                .map(|migration| migration.name().to_owned())
                .collect(),
        })
    }
}

/// True when the database answers a trivial query within [`READINESS_TIMEOUT`].
pub async fn is_ready(connection: &DatabaseConnection) -> bool {
    matches!(
        tokio::time::timeout(READINESS_TIMEOUT, connection.ping()).await,
        Ok(Ok(()))
    )
}
