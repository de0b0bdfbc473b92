//! The store: the only code that runs SQL. Every tenant-owned statement goes through
//! [`scope::Scoped`], which adds the tenant to each read and write; the per-aggregate modules hold
//! the queries a feature needs.

pub mod action;
pub mod api_key;
pub mod attribution;
pub mod budget;
pub mod calendar;
pub mod campaign;
pub mod content;
pub mod document;
pub mod kpi;
pub mod lever;
pub mod measurement;
pub mod measurement_export;
pub mod notify;
pub mod objective;
pub mod objective_progress;
pub mod page;
pub mod persona;
pub mod plan;
pub mod scope;
pub mod series;
pub mod strategy;
pub mod tenant;
pub mod tenant_kpi;

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
    Database(#[from] DbErr),
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
