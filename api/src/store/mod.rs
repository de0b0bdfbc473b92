//! The store: the only code that runs SQL. Every tenant-owned statement goes through
//! [`scope::Scoped`], which adds the tenant to each read and write; the per-aggregate modules hold
//! the queries a feature needs.

pub mod api_key;
pub mod attribution;
pub mod campaign;
pub mod kpi;
pub mod lever;
pub mod notify;
pub mod page;
pub mod plan;
pub mod scope;
pub mod strategy;
pub mod sum;
pub mod tenant;

use sea_orm::DbErr;
use thiserror::Error;

pub use scope::Scoped;

/// What can go wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// No such row for this tenant (another tenant's row is reported the same way).
    #[error("not found")]
    NotFound,
    /// The row's version is not the one the caller expected.
    #[error("version conflict")]
    Conflict,
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
        match refused_value(&cause) {
            Some(kind) => Self::ValueRefused { kind, cause },
            None => Self::Database(cause),
        }
    }
}

/// Which kind of value the database refused, if `error` is such a refusal: PostgreSQL's
/// SQLSTATE class 22 ("data exception") codes, SQLite's messages (it has no such codes).
fn refused_value(error: &DbErr) -> Option<RefusedValue> {
    use sea_orm::{RuntimeErr, sqlx};
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

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;
