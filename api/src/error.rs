//! The API's errors in one table: each code as API.md spells it, the HTTP status it answers and
//! what it means ([`ErrorCode`]); an error as the client sees it, a code with a message fit to
//! show ([`ApiError`]); and the one mapping from each layer's errors (auth, store, domain) to it.
//! Internal causes are logged here, inside the request's span (which carries the request id),
//! and never returned.
//!
//! The plain-HTTP endpoints (the CSV exports, the plan document, an unknown route) answer an
//! error with its status from the table. GraphQL reports errors in the body of an HTTP 200,
//! except the few that HTTP clients act on: `http/graphql.rs` says which. `graphql/errors.rs`
//! puts an [`ApiError`] into a GraphQL response.

use actix_web::http::StatusCode;

use crate::{
    auth::AuthError,
    domain::DomainError,
    store::{RefusedValue, StoreError},
};

/// Declares [`ErrorCode`] from its table: one row per code with its name, its HTTP status and
/// its description (which also documents the variant).
macro_rules! error_codes {
    ($($variant:ident, $name:literal, $status:ident, $description:literal;)*) => {
        /// Every `extensions.code` the API returns (API.md, "Errors").
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode {
            $(#[doc = $description] $variant,)*
        }

        impl ErrorCode {
            /// Every code, in the order of the table.
            pub const ALL: &[Self] = &[$(Self::$variant),*];

            /// The code as API.md spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// The HTTP status that answers this code. GraphQL answers most codes with 200 and
            /// the error in its body (see `http/graphql.rs`).
            pub fn http_status(self) -> StatusCode {
                match self {
                    $(Self::$variant => StatusCode::$status,)*
                }
            }

            /// What the code means, in one line.
            pub fn description(self) -> &'static str {
                match self {
                    $(Self::$variant => $description,)*
                }
            }
        }
    };
}

error_codes! {
    Unauthenticated,     "UNAUTHENTICATED",       UNAUTHORIZED,          "No valid credential: none where one is needed, or one that is malformed, forged, expired or revoked.";
    Forbidden,           "FORBIDDEN",             FORBIDDEN,             "A valid credential without the right: its role, its scopes or its tenants do not allow it.";
    NotFound,            "NOT_FOUND",             NOT_FOUND,             "No such object for this tenant (another tenant's object is reported the same way), or no such route.";
    BadUserInput,        "BAD_USER_INPUT",        BAD_REQUEST,           "The request is malformed or invalid: an argument, a parameter, a header, or a value the database cannot hold.";
    Conflict,            "CONFLICT",              CONFLICT,              "A stale `expectedVersion`: the object changed since the caller read it.";
    QueryTooComplex,     "QUERY_TOO_COMPLEX",     BAD_REQUEST,           "The query's shape (size, depth, selections, directives, batch) is over the limits.";
    RateLimited,         "RATE_LIMITED",          TOO_MANY_REQUESTS,     "Too many requests: come back after `Retry-After` seconds.";
    ServiceUnavailable,  "SERVICE_UNAVAILABLE",   SERVICE_UNAVAILABLE,   "The database is unavailable or busy: retry after `Retry-After` seconds.";
    InternalServerError, "INTERNAL_SERVER_ERROR", INTERNAL_SERVER_ERROR, "A fault of the server; its details are in the server's log, under the request id.";
}

impl ErrorCode {
    /// The code spelt `name`, if it is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|code| code.as_str() == name)
    }
}

/// An error as the client sees it: a code and a message fit to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The code.
    pub code: ErrorCode,
    /// The message.
    pub message: String,
    /// For `RATE_LIMITED`: the seconds to wait before the request can pass, told in the
    /// `Retry-After` header and the error's `extensions.retryAfter`.
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with this code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// `RATE_LIMITED`: the caller's budget is spent for `retry_after` more seconds.
    pub fn rate_limited(retry_after: u64, message: impl Into<String>) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(ErrorCode::RateLimited, message)
        }
    }

    /// `NOT_FOUND`.
    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound, "no such object")
    }

    /// `UNAUTHENTICATED`, for requests without a credential.
    pub fn unauthenticated() -> Self {
        Self::new(
            ErrorCode::Unauthenticated,
            "authentication required: send Authorization: Bearer <token>",
        )
    }

    /// `BAD_USER_INPUT`.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadUserInput, message)
    }

    /// `INTERNAL_SERVER_ERROR`, after logging the real cause.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(ErrorCode::InternalServerError, "internal server error")
    }
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::Unauthenticated(message) => Self::new(ErrorCode::Unauthenticated, message),
            AuthError::Forbidden(message) => Self::new(ErrorCode::Forbidden, message),
            AuthError::KeyMaterial(_) => Self::internal(&error),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::not_found(),
            StoreError::Conflict => Self::new(
                ErrorCode::Conflict,
                "the object was changed by someone else; read it again",
            ),
            StoreError::Unavailable(ref cause) => {
                tracing::error!(error = %cause, "database unavailable");
                Self::new(
                    ErrorCode::ServiceUnavailable,
                    "the database is unavailable or busy; retry shortly",
                )
            }
            StoreError::Database(_) => Self::internal(&error),
            StoreError::ValueRefused { kind, ref cause } => {
                // The caller's input, not a fault: logged for the operator, told to the client.
                tracing::warn!(error = %cause, "the database refused a value");
                Self::bad_input(match kind {
                    RefusedValue::Number => {
                        "a number or a sum is beyond the range computed exactly (64-bit \
                         integers of millionths); narrow the request or the values"
                    }
                    RefusedValue::Text => {
                        "a text cannot be stored or searched: it holds a NUL character or \
                         is longer than its field allows"
                    }
                    RefusedValue::Date => "a date is outside the range that can be stored",
                })
            }
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::Invalid(errors) => {
                let detail: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field.join("."), e.message))
                    .collect();
                Self::bad_input(detail.join("; "))
            }
            DomainError::NotFound => Self::not_found(),
            DomainError::Conflict => Self::new(ErrorCode::Conflict, error.to_string()),
            DomainError::Auth(auth) => auth.into(),
            DomainError::Store(store) => store.into(),
            DomainError::Internal(_) => Self::internal(&error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_one_name_and_reads_back() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_name(code.as_str()), Some(*code));
            assert!(!code.description().is_empty(), "{code:?}");
        }
        assert_eq!(ErrorCode::ALL.len(), 9);
        assert_eq!(ErrorCode::from_name("not_found"), None);
    }

    #[test]
    fn the_statuses_clients_act_on() {
        assert_eq!(
            ErrorCode::Unauthenticated.http_status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(ErrorCode::NotFound.http_status(), StatusCode::NOT_FOUND);
        assert_eq!(
            ErrorCode::ServiceUnavailable.http_status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            ErrorCode::QueryTooComplex.http_status(),
            StatusCode::BAD_REQUEST
        );
    }
}
