//! `ExternalRef`, the reference an outside system gives an object it syncs, and
//! `UpsertOutcome`, what an `upsert…` mutation did.

use async_graphql::{Enum, SimpleObject};

use crate::domain::external_ref as domain;

/// An object's reference in the system it is synced from (a CRM, a spreadsheet): unique per
/// tenant among the objects of its kind.
#[derive(Debug, Clone, PartialEq, Eq, SimpleObject)]
pub struct ExternalRef {
    /// The system: 1 to 64 ASCII letters, digits, `.`, `_` or `-` (`hubspot`, `sheet.q3`).
    pub source: String,
    /// The object's id in that system: 1 to 255 characters, no control character, no leading
    /// or trailing white space; compared exactly.
    pub id: String,
}

impl ExternalRef {
    /// The reference stored in a row's `external_source` and `external_id`, if any.
    pub fn of(source: &Option<String>, id: &Option<String>) -> Option<Self> {
        match (source, id) {
            (Some(source), Some(id)) => Some(Self {
                source: source.clone(),
                id: id.clone(),
            }),
            _ => None,
        }
    }
}

/// What an `upsert…` mutation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum UpsertOutcome {
    /// No object had the reference: one was created.
    Created,
    /// The object with the reference was changed; its version went up by one.
    Updated,
    /// The object with the reference already was as given: nothing was written (same version,
    /// same `updatedAt`).
    Unchanged,
}

impl From<domain::UpsertOutcome> for UpsertOutcome {
    fn from(outcome: domain::UpsertOutcome) -> Self {
        match outcome {
            domain::UpsertOutcome::Created => Self::Created,
            domain::UpsertOutcome::Updated => Self::Updated,
            domain::UpsertOutcome::Unchanged => Self::Unchanged,
        }
    }
}

/// Declares an upsert's payload: the object (null with user errors), the outcome (null with
/// user errors) and `userErrors`.
#[macro_export]
macro_rules! upsert_payload {
    ($payload:ident, $field:ident, $object:ty, $doc:literal, $field_doc:literal) => {
        #[doc = $doc]
        #[derive(async_graphql::SimpleObject)]
        pub struct $payload {
            #[doc = $field_doc]
            pub $field: Option<$object>,
            /// What the upsert did: CREATED, UPDATED or UNCHANGED; null when there are user
            /// errors.
            pub outcome: Option<$crate::graphql::types::external_ref::UpsertOutcome>,
            /// Problems with the input; when not empty, nothing was written.
            pub user_errors: Vec<$crate::graphql::errors::UserError>,
        }
    };
}
