//! The domain: the rules and computations of the plan. It knows nothing of HTTP or GraphQL;
//! it takes plain Rust inputs, checks them, and reads and writes through the tenant-scoped store.

pub mod api_key;
pub mod attribution;
pub mod audit;
pub mod campaign;
pub mod change_feed;
pub mod comment;
pub mod exchange_rate;
pub mod external_ref;
pub mod import;
pub mod kpi;
pub mod lever;
pub mod money;
pub mod plan;
pub mod ratio;
pub mod session;
pub mod share_link;
pub mod strategy;
pub mod tenant;
pub mod validation;
pub mod webhook;

use thiserror::Error;

pub use session::Session;
pub use validation::{FieldError, FieldErrorCode};

use crate::{auth::AuthError, store::StoreError};

/// What can go wrong in a domain operation.
#[derive(Debug, Error)]
pub enum DomainError {
    /// The input breaks rules; nothing was written. One entry per offending field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The object does not exist for this tenant.
    #[error("not found")]
    NotFound,
    /// The object changed since the version the caller read.
    #[error("the object was changed by someone else; read it again and retry")]
    Conflict,
    /// The caller may not do this.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// The store failed.
    #[error("store failure: {0}")]
    Store(StoreError),
    /// A fault of the server outside the store (the system's random generator, say); the cause
    /// is for the log, never for the client.
    #[error("internal failure: {0}")]
    Internal(String),
}

impl From<StoreError> for DomainError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict => Self::Conflict,
            other => Self::Store(other),
        }
    }
}

/// Shorthand for domain results.
pub type DomainResult<T> = Result<T, DomainError>;
