//! Authentication and authorization: who is calling (a verified token becomes a [`Principal`])
//! and what they may do ([`policy`], the one place access is decided).

pub mod api_key;
pub mod claims;
pub mod jwt;
pub mod policy;
pub mod principal;
pub mod share_link;
pub mod verified_tokens;

use thiserror::Error;

pub use claims::{Claims, Role};
pub use policy::Permission;
pub use principal::{Grant, Principal};

/// Why a request is not let through.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// No credential, or one that failed verification (HTTP 401).
    #[error("{0}")]
    Unauthenticated(String),
    /// A valid credential without the right to do this (HTTP 403).
    #[error("{0}")]
    Forbidden(String),
    /// The key material could not be loaded at start-up.
    #[error("cannot load the token verification key: {0}")]
    KeyMaterial(String),
}
