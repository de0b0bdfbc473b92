//! Connecting to the database (SQLite pragmas or a PostgreSQL pool), migrating, readiness,
//! telling a database that is unavailable for now from one that failed, and counting the SQL
//! statements the server runs.
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
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr, RuntimeErr, sqlx};

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

/// True when `error` says the database cannot serve the statement *now* — it is unreachable,
/// restarting, out of connections, or (SQLite) locked by another writer past the busy timeout —
/// so that the request deserves a "retry shortly" (503) rather than an internal error: retrying
/// the same statement later can succeed. The one place these causes are recognised.
pub fn is_unavailable(error: &DbErr) -> bool {
    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(cause)) | DbErr::Query(RuntimeErr::SqlxError(cause)) => {
            is_unavailable_sqlx(cause)
        }
        _ => false,
    }
}

fn is_unavailable_sqlx(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(database) => {
            let code = database.code();
            let code = code.as_deref().unwrap_or_default();
            if database
                .try_downcast_ref::<sqlx::sqlite::SqliteError>()
                .is_some()
            {
                is_sqlite_busy(code)
            } else {
                is_postgres_unavailable(code)
            }
        }
        _ => false,
    }
}

/// SQLite reports its extended result code; the primary code is its low byte. SQLITE_BUSY (5:
/// another connection holds the lock; extended 261 BUSY_RECOVERY, 517 BUSY_SNAPSHOT, 773
/// BUSY_TIMEOUT) and SQLITE_LOCKED (6: a conflict within the same connection or shared cache;
/// 262, 518 …) both mean "try again later".
fn is_sqlite_busy(code: &str) -> bool {
    const SQLITE_BUSY: i32 = 5;
    const SQLITE_LOCKED: i32 = 6;
    code.parse::<i32>()
        .is_ok_and(|code| matches!(code & 0xff, SQLITE_BUSY | SQLITE_LOCKED))
}

/// PostgreSQL SQLSTATEs of a server that cannot serve now: class 08 (connection exception),
/// 53300 (too many connections), 57P01–57P03 (shutting down, crashed, starting up).
fn is_postgres_unavailable(sqlstate: &str) -> bool {
    sqlstate.starts_with("08") || matches!(sqlstate, "53300" | "57P01" | "57P02" | "57P03")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_busy_and_locked_codes_are_unavailable_whatever_their_extension() {
        for code in ["5", "6", "261", "517", "773", "262", "518"] {
            assert!(is_sqlite_busy(code), "{code}");
        }
        // SQLITE_CONSTRAINT_UNIQUE (2067), SQLITE_ERROR (1), SQLITE_FULL (13) are not.
        for code in ["2067", "1", "13", "", "busy"] {
            assert!(!is_sqlite_busy(code), "{code}");
        }
    }

    #[test]
    fn postgres_connection_and_shutdown_states_are_unavailable() {
        for state in ["08006", "08001", "57P01", "57P03", "53300"] {
            assert!(is_postgres_unavailable(state), "{state}");
        }
        // unique_violation, string_data_right_truncation, deadlock_detected are not.
        for state in ["23505", "22001", "40P01", ""] {
            assert!(!is_postgres_unavailable(state), "{state}");
        }
    }

    #[test]
    fn a_pool_timeout_is_unavailable_and_a_constraint_is_not() {
        assert!(is_unavailable(&DbErr::ConnectionAcquire(
            sea_orm::ConnAcquireErr::Timeout
        )));
        assert!(is_unavailable(&DbErr::Query(RuntimeErr::SqlxError(
            std::sync::Arc::new(sqlx::Error::PoolTimedOut)
        ))));
        assert!(!is_unavailable(&DbErr::RecordNotFound("x".into())));
        assert!(!is_unavailable(&DbErr::Query(RuntimeErr::Internal(
            "syntax".into()
        ))));
    }
}
