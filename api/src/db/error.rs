//! Why the database cannot be used at start, in words that say what to do: each message names
//! the file, or the server, and the driver's cause, once (no `source()` repeating it down an
//! error chain).

use std::path::PathBuf;

use sea_orm::{DbErr, RuntimeErr, sqlx};
use thiserror::Error;

/// Why the database cannot be opened, reached, migrated or checked at start.
#[derive(Debug, Error)]
pub enum StartError {
    /// The folder of an SQLite file is missing: SQLite creates files, never folders.
    #[error(
        "the folder {} of the SQLite database {} does not exist: create it (mkdir -p {}) or set LEVIER_DATABASE_URL to another path",
        folder.display(), file.display(), folder.display()
    )]
    SqliteFolderMissing {
        /// The missing folder.
        folder: PathBuf,
        /// The database file.
        file: PathBuf,
    },
    /// The SQLite file is missing and the URL does not ask to create it.
    #[error(
        "the SQLite database {} does not exist: to create it, add mode=rwc to LEVIER_DATABASE_URL ({suggested}); otherwise correct its path",
        file.display()
    )]
    SqliteFileMissing {
        /// The database file.
        file: PathBuf,
        /// The URL that would create it.
        suggested: String,
    },
    /// SQLite cannot open the file for another reason (permissions, a folder in its place).
    #[error("cannot open the SQLite database {}: {cause}", file.display())]
    SqliteOpen {
        /// The database file.
        file: PathBuf,
        /// SQLite's answer.
        cause: String,
    },
    /// PostgreSQL does not answer (yet): down, starting, unreachable, or out of connections.
    #[error("cannot reach PostgreSQL at {server}: {cause}")]
    Unreachable {
        /// `host:port` (or the socket's path).
        server: String,
        /// The driver's cause.
        cause: String,
    },
    /// PostgreSQL answers and refuses: a wrong password, a missing database, TLS required.
    #[error("PostgreSQL at {server} refused the connection: {cause}")]
    Refused {
        /// `host:port` (or the socket's path).
        server: String,
        /// The server's cause.
        cause: String,
    },
    /// `LEVIER_NO_MIGRATE` and the schema lacks migrations this program needs.
    #[error(
        "the database schema is not up to date: {} migration(s) pending ({}); run `levier migrate` (the server does not migrate with LEVIER_NO_MIGRATE)",
        names.len(), names.join(", ")
    )]
    MigrationsPending {
        /// The pending migrations' names.
        names: Vec<String>,
    },
    /// A migration, or reading which are applied, failed.
    #[error("migrating the database failed: {cause}")]
    Migration {
        /// The database's answer.
        cause: String,
        /// True when the database went away meanwhile.
        transient: bool,
    },
    /// Anything else the database answered.
    #[error("database: {cause}")]
    Other {
        /// The database's answer.
        cause: String,
        /// True when the database is unavailable rather than refusing.
        transient: bool,
    },
}

impl StartError {
    /// True when waiting can cure it: the database is down or not migrated *yet*. A wrong
    /// password, a missing database or file, or a failing migration need someone to act.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable { .. } | Self::MigrationsPending { .. } => true,
            Self::Migration { transient, .. } | Self::Other { transient, .. } => *transient,
            _ => false,
        }
    }

    /// A short reason for `/readyz`, which anyone may read: no host, path or user name.
    pub fn public_reason(&self) -> String {
        match self {
            Self::Unreachable { cause, .. } => format!("cannot reach the database: {cause}"),
            Self::Refused { .. } => "the database refuses the connection".to_owned(),
            Self::MigrationsPending { names } => {
                format!("{} migration(s) pending: run `levier migrate`", names.len())
            }
            Self::Migration { .. } => "migrating the database failed".to_owned(),
            Self::SqliteFolderMissing { .. }
            | Self::SqliteFileMissing { .. }
            | Self::SqliteOpen { .. } => "the database file cannot be opened".to_owned(),
            Self::Other { .. } => "the database is unavailable".to_owned(),
        }
    }

    /// `error` met while migrating or checking migrations: transient when the database
    /// went away meanwhile.
    pub fn migration(error: &DbErr) -> Self {
        Self::Migration {
            cause: describe(error),
            transient: is_transient(error),
        }
    }

    /// Any other `error` of the database at start.
    pub fn database(error: &DbErr) -> Self {
        Self::Other {
            cause: describe(error),
            transient: is_transient(error),
        }
    }
}

/// `error`'s message once: SeaORM's errors repeat their cause in their own message, and a
/// chain of them would print it three times.
fn describe(error: &DbErr) -> String {
    match error {
        DbErr::Conn(RuntimeErr::SqlxError(cause))
        | DbErr::Exec(RuntimeErr::SqlxError(cause))
        | DbErr::Query(RuntimeErr::SqlxError(cause)) => describe_sqlx(cause),
        DbErr::Conn(RuntimeErr::Internal(message))
        | DbErr::Exec(RuntimeErr::Internal(message))
        | DbErr::Query(RuntimeErr::Internal(message)) => message.clone(),
        other => other.to_string(),
    }
}

/// The cause of a driver's error in a few words: an I/O error by its kind ("connection
/// refused"), a database's by its message and code.
pub fn describe_sqlx(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Io(io) => describe_io(io),
        sqlx::Error::Database(database) => match database.code() {
            Some(code) => format!("{} (code {code})", database.message()),
            None => database.message().to_owned(),
        },
        sqlx::Error::PoolTimedOut => "no connection within the acquire timeout".to_owned(),
        other => other.to_string(),
    }
}

/// An I/O error by its kind where the kind says it all, by its message otherwise (a name that
/// does not resolve, for one).
fn describe_io(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        kind @ (ErrorKind::ConnectionRefused
        | ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::TimedOut
        | ErrorKind::HostUnreachable
        | ErrorKind::NetworkUnreachable
        | ErrorKind::NotConnected
        | ErrorKind::BrokenPipe
        | ErrorKind::UnexpectedEof) => kind.to_string(),
        _ => error.to_string(),
    }
}

/// True when `error` is the database being unavailable rather than refusing (the store's
/// classification, shared).
fn is_transient(error: &DbErr) -> bool {
    crate::store::error::is_unavailable(error)
}
