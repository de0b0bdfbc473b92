//! Introspection's own bound. The standard introspection documents of graphql-js and
//! graphql-core (what GraphiQL, graphql-codegen, graphql-inspector and Python gql send) nest
//! fields 15 deep, `ofType` nine times: deeper than the data's `max_depth` allows by default.
//! Under a root `__schema` or `__type` the walk therefore allows
//! [`MAX_INTROSPECTION_DEPTH`] levels (or `max_depth`, when higher), within the stack margins.
//!
//! What the extra depth could buy is output, not stack: `types`, `fields`, `inputFields`,
//! `interfaces` and `possibleTypes` are lists, and each of the last four leads back to types,
//! so `fields { type { fields { type … } } }` multiplies the answer by the fields of a type at
//! every turn. Along one path at most [`MAX_INTROSPECTION_LISTS`] of those four may be nested,
//! graphql-js's `MaxIntrospectionDepthRule` (the standard documents nest one). `ofType` leads
//! to one type, and `args` only from a field or a directive, so the depth bounds their chains.
//! Everything else still applies: introspection fields count in the field budget like any
//! other (aliases and fragments expanded), and directives and nesting are bounded as usual.

use crate::config::{MAX_QUERY_DEPTH_CEILING, QueryLimits};

/// The deepest nesting of fields under a root `__schema` or `__type`, when `max_depth` is
/// lower: the standard documents need 15 (`__schema`, `types`, `fields`, `args`, `type` and
/// nine `ofType`, then their leaves), and one more level is spare.
pub const MAX_INTROSPECTION_DEPTH: usize = 16;

// The stack margins are proven for fields nested `MAX_QUERY_DEPTH_CEILING` deep.
const _: () = assert!(MAX_INTROSPECTION_DEPTH <= MAX_QUERY_DEPTH_CEILING);

/// Most of `fields`, `inputFields`, `interfaces` and `possibleTypes`, together, nested along
/// one path of an introspection selection: graphql-js refuses the third.
pub const MAX_INTROSPECTION_LISTS: usize = 2;

/// The introspection fields that list what leads back to types.
const TYPE_LISTS: [&str; 4] = ["fields", "inputFields", "interfaces", "possibleTypes"];

/// Whether a selection set is part of the data or of an introspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// Anything outside a root `__schema` or `__type`.
    Data,
    /// Inside a root `__schema` or `__type`, with the number of [`TYPE_LISTS`] fields
    /// entered on the way.
    Introspection {
        /// Type lists nested so far along this path.
        lists: usize,
    },
}

impl Scope {
    /// The scope of the selections of a field named `name`, standing `depth` fields deep in
    /// this scope (1 for the operation's own fields); a refusal for a type list nested once
    /// too often.
    pub(super) fn enter(self, name: &str, depth: usize) -> Result<Self, String> {
        match self {
            Self::Data if depth == 1 && matches!(name, "__schema" | "__type") => {
                Ok(Self::Introspection { lists: 0 })
            }
            Self::Data => Ok(Self::Data),
            Self::Introspection { lists } if TYPE_LISTS.contains(&name) => {
                let lists = lists + 1;
                if lists > MAX_INTROSPECTION_LISTS {
                    return Err(format!(
                        "the introspection query nests `fields`, `inputFields`, `interfaces` \
                         and `possibleTypes` more than {MAX_INTROSPECTION_LISTS} deep along \
                         one path"
                    ));
                }
                Ok(Self::Introspection { lists })
            }
            Self::Introspection { .. } => Ok(self),
        }
    }

    /// The deepest nesting of fields allowed in this scope, and how a refusal names it.
    pub(super) fn max_depth(self, limits: &QueryLimits) -> (usize, &'static str) {
        match self {
            Self::Data => (limits.max_depth, "query"),
            Self::Introspection { .. } => (
                limits.max_depth.max(MAX_INTROSPECTION_DEPTH),
                "introspection query",
            ),
        }
    }
}

#[cfg(test)]
pub(super) mod tests;
