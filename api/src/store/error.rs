//! What can go wrong in the store, and the one place a database's error is classified: a
//! database that cannot serve now (unreachable, restarting, out of connections, SQLite's write
//! lock held past the busy timeout), a value it refuses (the caller's input), or a failure. The
//! layers above see only [`StoreError`], never `sea_orm::DbErr`'s details.

use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr, sqlx};
use thiserror::Error;

/// What can go wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// No such row for this tenant (another tenant's row is reported the same way).
    #[error("not found")]
    NotFound,
    /// The row's version is not the one the caller expected.
    #[error("version conflict")]
    Conflict,
    /// The database cannot serve the statement *now*; the same statement can succeed later,
    /// so the request deserves a "retry shortly" rather than an internal error.
    #[error("database unavailable: {0}")]
    Unavailable(DbErr),
    /// The database failed.
    #[error("database error: {0}")]
    Database(DbErr),
    /// The database refused a value the domain let through: a number or a sum beyond its
    /// range, a text it cannot store, a date it cannot represent. The domain checks its inputs
    /// first, so that both databases agree; this is the backstop that keeps such a refusal the
    /// caller's input problem rather than a fault of the server.
    #[error("value refused by the database ({kind:?}): {cause}")]
    ValueRefused {
        /// What kind of value.
        kind: RefusedValue,
        /// The database's error, for the log.
        cause: DbErr,
    },
}

/// The kinds of values a database refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusedValue {
    /// A number or a sum outside the range the database computes exactly (64-bit integers).
    Number,
    /// A text the database cannot store (a NUL character) or longer than its column.
    Text,
    /// A date or time outside the range the database represents.
    Date,
}

impl From<DbErr> for StoreError {
    fn from(cause: DbErr) -> Self {
        if is_unavailable(&cause) {
            if matches!(cause, DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)) {
                crate::observability::metrics::pool_timed_out();
            }
            return Self::Unavailable(cause);
        }
        match refused_value(&cause) {
            Some(kind) => Self::ValueRefused { kind, cause },
            None => Self::Database(cause),
        }
    }
}

/// No turn among the server's writers came within the busy timeout (SQLite): the database is
/// busy now, as when its write lock cannot be had.
impl From<crate::db::NoTurn> for StoreError {
    fn from(no_turn: crate::db::NoTurn) -> Self {
        Self::Unavailable(DbErr::Custom(no_turn.to_string()))
    }
}

impl StoreError {
    /// True when a write broke a unique index: another writer took the key between the domain's
    /// check and the write.
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            Self::Database(error)
                if matches!(error.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
        )
    }
}

impl StoreError {
    /// True when a write broke the unique index named `index` (PostgreSQL names it; SQLite,
    /// which lists the index's columns instead, never matches).
    pub fn is_unique_violation_of(&self, index: &str) -> bool {
        let Self::Database(
            DbErr::Exec(RuntimeErr::SqlxError(cause)) | DbErr::Query(RuntimeErr::SqlxError(cause)),
        ) = self
        else {
            return false;
        };
        match cause.as_ref() {
            sqlx::Error::Database(database) => {
                database.is_unique_violation() && database.constraint() == Some(index)
            }
            _ => false,
        }
    }

    /// True when a write broke the unique index of an external reference
    /// (`ux_<table>_external_ref`): PostgreSQL names the index, SQLite lists its columns.
    pub fn is_external_ref_violation(&self) -> bool {
        match self {
            Self::Database(error) => match error.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(message)) => {
                    message.contains("_external_ref") || message.contains(".external_source")
                }
                _ => false,
            },
            _ => false,
        }
    }
}

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;

/// Which kind of value the database refused, if `error` is such a refusal: PostgreSQL's
/// SQLSTATE class 22 ("data exception") codes, SQLite's messages (it has no such codes).
fn refused_value(error: &DbErr) -> Option<RefusedValue> {
    let (DbErr::Exec(RuntimeErr::SqlxError(cause)) | DbErr::Query(RuntimeErr::SqlxError(cause))) =
        error
    else {
        return None;
    };
    let sqlx::Error::Database(database) = cause.as_ref() else {
        return None;
    };
    match database.code().as_deref() {
        // numeric_value_out_of_range ("bigint out of range"), division_by_zero.
        Some("22003" | "22012") => return Some(RefusedValue::Number),
        // string_data_right_truncation ("value too long"), character_not_in_repertoire
        // ("invalid byte sequence for encoding UTF8: 0x00"), untranslatable_character (a
        // `\u0000` in jsonb).
        Some("22001" | "22021" | "22P05") => return Some(RefusedValue::Text),
        // datetime_field_overflow ("date out of range").
        Some("22008") => return Some(RefusedValue::Date),
        _ => {}
    }
    let message = database.message();
    if message.contains("integer overflow") {
        Some(RefusedValue::Number)
    } else if message.contains("pattern too complex") || message.contains("string or blob too big")
    {
        Some(RefusedValue::Text)
    } else {
        None
    }
}

/// True when `error` says the database cannot serve the statement now — it is unreachable,
/// restarting, out of connections, or (SQLite) locked by another writer past the busy timeout:
/// retrying the same statement later can succeed. (Also how `db::startup` tells an outage,
/// worth waiting for, from a refusal.)
pub(crate) fn is_unavailable(error: &DbErr) -> bool {
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
        let unavailable = [
            DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout),
            DbErr::Query(RuntimeErr::SqlxError(std::sync::Arc::new(
                sqlx::Error::PoolTimedOut,
            ))),
        ];
        for error in unavailable {
            assert!(
                matches!(StoreError::from(error), StoreError::Unavailable(_)),
                "unavailable"
            );
        }
        let failed = [
            DbErr::RecordNotFound("x".into()),
            DbErr::Query(RuntimeErr::Internal("syntax".into())),
        ];
        for error in failed {
            assert!(
                matches!(StoreError::from(error), StoreError::Database(_)),
                "a failure"
            );
        }
    }
}
