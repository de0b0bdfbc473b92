//! What the handlers tell the access line and the metrics about a request: a
//! [`RequestRecord`] in the request's extensions (the tenant, written by `http::credentials`
//! once the credential is verified; the GraphQL operations, written by `http::graphql_run`),
//! and the code of an error answered from the error table in the response's
//! ([`AnsweredError`]). The kind of credential is read from the request itself
//! ([`CredentialKind::of_authorization`]), whether or not a handler got to check it.

use actix_web::{HttpMessage, HttpRequest};

use super::operation_names::{OperationName, UNKNOWN};
use crate::{auth::api_key::SECRET_MARKER, error::ErrorCode};

/// What a request's handlers learnt about it.
#[derive(Debug, Default)]
pub struct RequestRecord {
    /// The tenant it was authenticated for.
    pub tenant: Option<String>,
    /// Its GraphQL operations, in order.
    pub operations: Vec<OperationRecord>,
}

/// The kind of credential a request carried (never the credential itself).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CredentialKind {
    /// No `Authorization` header.
    #[default]
    None,
    /// A bearer JWT.
    Jwt,
    /// An API key, as a bearer token or as Basic's password.
    ApiKey,
    /// An `Authorization` header of another shape, or several of them (refused).
    Other,
}

impl CredentialKind {
    /// The kind of the credential in an `Authorization` header's value.
    pub fn of_authorization(value: &str) -> Self {
        let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
        if scheme.eq_ignore_ascii_case("basic") {
            // Basic carries API keys only.
            Self::ApiKey
        } else if scheme.eq_ignore_ascii_case("bearer") && !rest.trim().is_empty() {
            if rest.trim().starts_with(SECRET_MARKER) {
                Self::ApiKey
            } else {
                Self::Jwt
            }
        } else {
            Self::Other
        }
    }

    /// Its label: `none`, `jwt`, `api_key` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Jwt => "jwt",
            Self::ApiKey => "api_key",
            Self::Other => "other",
        }
    }
}

/// One GraphQL operation of a request.
#[derive(Debug, Clone)]
pub struct OperationRecord {
    /// Its name, bounded (`operation_names`).
    pub name: OperationName,
    /// `query`, `mutation`, `subscription`, or `unknown` when no operation could be chosen.
    pub kind: &'static str,
    /// The code of its first error once it was answered; `None`: none (or the whole request
    /// was refused, and the response's [`AnsweredError`] says why).
    pub code: Option<ErrorCode>,
}

impl OperationRecord {
    /// An operation whose document was refused before it could be read.
    pub fn unknown() -> Self {
        Self {
            name: OperationName::Fixed(UNKNOWN),
            kind: UNKNOWN,
            code: None,
        }
    }
}

/// The code of the error a response answers from the error table (a request refused whole).
#[derive(Debug, Clone, Copy)]
pub struct AnsweredError(pub ErrorCode);

/// Updates the record of `request` (made on first use).
fn update(request: &HttpRequest, change: impl FnOnce(&mut RequestRecord)) {
    let mut extensions = request.extensions_mut();
    match extensions.get_mut::<RequestRecord>() {
        Some(record) => change(record),
        None => {
            let mut record = RequestRecord::default();
            change(&mut record);
            extensions.insert(record);
        }
    }
}

/// Records the tenant `request` was authenticated for.
pub fn tenant(request: &HttpRequest, tenant: &str) {
    update(request, |record| record.tenant = Some(tenant.to_owned()));
}

/// Records the GraphQL operations of `request`, before they run.
pub fn operations(request: &HttpRequest, operations: Vec<OperationRecord>) {
    update(request, |record| record.operations = operations);
}

/// Records the code of each operation's first error (in the order of [`operations`]), once
/// they were answered.
pub fn outcomes(request: &HttpRequest, codes: impl IntoIterator<Item = Option<ErrorCode>>) {
    update(request, |record| {
        for (operation, code) in record.operations.iter_mut().zip(codes) {
            operation.code = code;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_of_a_credential_is_read_from_its_shape() {
        for (value, kind) in [
            ("Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", CredentialKind::Jwt),
            ("bearer lvk_abc_def", CredentialKind::ApiKey),
            ("Basic dXNlcjpsdmtfYWJj", CredentialKind::ApiKey),
            ("Bearer ", CredentialKind::Other),
            ("Token abc", CredentialKind::Other),
        ] {
            assert_eq!(CredentialKind::of_authorization(value), kind, "{value}");
        }
    }
}
