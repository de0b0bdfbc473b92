//! The input of `auditEvents`.

use async_graphql::{ID, InputObject};

use crate::{
    error::ApiError,
    graphql::{scalars::DateTime, types::audit::AuditAction},
    ids,
    store::audit::AuditFilter,
};

/// Which audit entries to list; every condition given must hold.
#[derive(Debug, Default, InputObject)]
pub struct AuditEventFilter {
    /// Only the entries of this object (its global ID).
    pub object_id: Option<ID>,
    /// Only the entries made by this actor (its subject: a token's `sub`, `apikey:<prefix>`).
    pub actor: Option<String>,
    /// Only these actions (all when omitted or empty).
    pub types: Option<Vec<AuditAction>>,
    /// Only entries that occurred at or after this instant.
    pub from: Option<DateTime>,
    /// Only entries that occurred before this instant.
    pub to: Option<DateTime>,
}

impl AuditEventFilter {
    /// The store's filter; an object ID that is not a global ID (nor a UUID) is BAD_USER_INPUT.
    pub fn into_filter(self) -> Result<AuditFilter, ApiError> {
        let object_id = match self.object_id {
            None => None,
            Some(id) => Some(match ids::decode(&id) {
                Some((_, uuid)) => uuid,
                None => id.parse().map_err(|_| {
                    ApiError::bad_input(format!("`{}` is not an object's ID", id.as_str()))
                })?,
            }),
        };
        Ok(AuditFilter {
            object_id,
            actor: self.actor,
            types: self
                .types
                .unwrap_or_default()
                .into_iter()
                .map(|action| action.stored().to_owned())
                .collect(),
            from: self.from.map(|at| at.0),
            to: self.to.map(|at| at.0),
        })
    }
}
