//! Relay connections: `first/after/last/before` → a store [`PageRequest`], opaque cursors, and
//! the connection and edge types (generated per node type by [`connection!`](crate::connection)).

use async_graphql::SimpleObject;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use super::errors::ApiError;
use crate::store::page::PageRequest;

/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: u64 = 20;

/// Largest page; larger `first`/`last` are capped to it (`pageInfo` tells there is more).
pub const MAX_PAGE_SIZE: u64 = 100;

/// The opaque cursor of a row.
pub fn encode_cursor(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("cursor:{}", id.simple()))
}

fn decode_cursor(cursor: &str) -> Result<Uuid, ApiError> {
    let invalid = || ApiError::bad_input(format!("`{cursor}` is not a cursor of this list"));
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let uuid = text.strip_prefix("cursor:").ok_or_else(invalid)?;
    Uuid::parse_str(uuid).map_err(|_| invalid())
}

/// The pagination arguments of a connection field.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    /// `first`.
    pub first: Option<i32>,
    /// `after`.
    pub after: Option<String>,
    /// `last`.
    pub last: Option<i32>,
    /// `before`.
    pub before: Option<String>,
}

impl PageArgs {
    /// Checks the arguments and turns them into a store request.
    pub fn into_request(self) -> Result<PageRequest, ApiError> {
        let size = |value: i32, name: &str| {
            u64::try_from(value)
                .map(|size| size.min(MAX_PAGE_SIZE))
                .map_err(|_| ApiError::bad_input(format!("`{name}` must not be negative")))
        };
        let (limit, from_end) = match (self.first, self.last) {
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_input("use `first` or `last`, not both"));
            }
            (Some(first), None) => (size(first, "first")?, false),
            (None, Some(last)) => (size(last, "last")?, true),
            (None, None) => (DEFAULT_PAGE_SIZE, false),
        };
        Ok(PageRequest {
            after: self.after.as_deref().map(decode_cursor).transpose()?,
            before: self.before.as_deref().map(decode_cursor).transpose()?,
            limit,
            from_end,
        })
    }
}

/// Where a page stands in its list.
#[derive(Debug, Clone, SimpleObject)]
pub struct PageInfo {
    /// More items follow `endCursor` (when paginating forward with `first`).
    pub has_next_page: bool,
    /// More items precede `startCursor` (when paginating backward with `last`).
    pub has_previous_page: bool,
    /// The cursor of the first edge; null on an empty page.
    pub start_cursor: Option<String>,
    /// The cursor of the last edge; null on an empty page.
    pub end_cursor: Option<String>,
}

/// Declares a Relay connection type and its edge type for a node type that wraps a model.
#[macro_export]
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ident, $model:ty, $connection_doc:literal, $edge_doc:literal) => {
        #[doc = $connection_doc]
        #[derive(Debug, Clone, async_graphql::SimpleObject)]
        pub struct $connection {
            /// The edges of this page, in order.
            pub edges: Vec<$edge>,
            /// The nodes of this page, in order (a shortcut for `edges { node }`).
            pub nodes: Vec<$node>,
            /// Where this page stands in the list.
            pub page_info: $crate::graphql::connection::PageInfo,
            /// How many items the whole list has, all pages together.
            pub total_count: i64,
        }

        #[doc = $edge_doc]
        #[derive(Debug, Clone, async_graphql::SimpleObject)]
        pub struct $edge {
            /// Opaque cursor of this edge, for `after` and `before`.
            pub cursor: String,
            /// The item.
            pub node: $node,
        }

        impl $connection {
            /// Builds the connection from a store page and the list's total count.
            pub fn new(page: $crate::store::page::Page<$model>, total_count: u64) -> Self {
                let edges: Vec<$edge> = page
                    .items
                    .into_iter()
                    .map(|model| $edge {
                        cursor: $crate::graphql::connection::encode_cursor(model.id),
                        node: $node(model),
                    })
                    .collect();
                Self {
                    nodes: edges.iter().map(|edge| edge.node.clone()).collect(),
                    page_info: $crate::graphql::connection::PageInfo {
                        has_next_page: page.has_next,
                        has_previous_page: page.has_previous,
                        start_cursor: edges.first().map(|edge| edge.cursor.clone()),
                        end_cursor: edges.last().map(|edge| edge.cursor.clone()),
                    },
                    edges,
                    total_count: i64::try_from(total_count).unwrap_or(i64::MAX),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_caps_and_refusals() {
        let request = PageArgs::default().into_request().ok();
        assert_eq!(
            request.map(|r| (r.limit, r.from_end)),
            Some((DEFAULT_PAGE_SIZE, false))
        );
        let capped = PageArgs {
            first: Some(1000),
            ..Default::default()
        }
        .into_request()
        .ok();
        assert_eq!(capped.map(|r| r.limit), Some(MAX_PAGE_SIZE));
        assert!(
            PageArgs {
                first: Some(-1),
                ..Default::default()
            }
            .into_request()
            .is_err()
        );
        assert!(
            PageArgs {
                first: Some(1),
                last: Some(1),
                ..Default::default()
            }
            .into_request()
            .is_err()
        );
        assert!(
            PageArgs {
                after: Some("nope".into()),
                ..Default::default()
            }
            .into_request()
            .is_err()
        );
    }

    #[test]
    fn cursors_round_trip() {
        let id = Uuid::now_v7();
        let request = PageArgs {
            after: Some(encode_cursor(id)),
            last: Some(5),
            ..Default::default()
        }
        .into_request()
        .ok();
        assert_eq!(
            request.map(|r| (r.after, r.limit, r.from_end)),
            Some((Some(id), 5, true))
        );
    }
}
