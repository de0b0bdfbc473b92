//! `ExternalRefInput`: an external reference as a client sends it.

use async_graphql::InputObject;

use crate::{
    domain::external_ref::{Parent, RawExternalRef},
    error::ApiError,
    ids::{self, NodeType},
};

/// An object's reference in the system it is synced from. `source`: 1 to 64 ASCII letters,
/// digits, `.`, `_` or `-`; `id`: 1 to 255 characters, no control character, no leading or
/// trailing white space. Both are compared exactly (case-sensitive); INVALID, REQUIRED or
/// TOO_LONG otherwise.
#[derive(Debug, Clone, InputObject)]
pub struct ExternalRefInput {
    /// The system (`hubspot`, `sheet.q3`).
    pub source: String,
    /// The object's id in that system.
    pub id: String,
}

impl From<ExternalRefInput> for RawExternalRef {
    fn from(input: ExternalRefInput) -> Self {
        Self {
            source: input.source,
            id: input.id,
        }
    }
}

/// The parent of an upserted object, named by its global ID (`id_name`) or by its external
/// reference (`ref_name`): exactly one of the two, else BAD_USER_INPUT. An ID of another type
/// is NOT_FOUND, as everywhere.
pub fn parent(
    id: Option<&async_graphql::ID>,
    reference: Option<ExternalRefInput>,
    node_type: NodeType,
    id_name: &str,
    ref_name: &str,
) -> Result<Parent, ApiError> {
    match (id, reference) {
        (Some(id), None) => Ok(Parent::Id(ids::decode_as(id, node_type)?)),
        (None, Some(reference)) => Ok(Parent::Ref(reference.into())),
        _ => Err(ApiError::bad_input(format!(
            "give exactly one of `{id_name}` and `{ref_name}`"
        ))),
    }
}
