//! Relay connections: `first/after/last/before` → a store [`PageRequest`], opaque cursors, and
//! the connection and edge types (generated per node type by [`connection!`](crate::connection)).

use async_graphql::SimpleObject;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::error::ApiError;
use crate::{
    domain::validation::{is_supported_date, parse_date},
    store::page::{KeysetPosition, OrderedPageRequest, PageRequest, SortKind, SortValue},
};

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

/// The opaque cursor of a row in a list sorted as `ordering` (a name such as
/// `action:DUE_DATE:ASC`): the ordering, the row's sort value and its id.
pub fn encode_keyset_cursor(ordering: &str, position: &KeysetPosition) -> String {
    let value = match &position.value {
        SortValue::Integer(value) => format!("i={value}"),
        SortValue::Date(value) => format!("d={}", value.format("%Y-%m-%d")),
        SortValue::Instant(value) => format!(
            "t={}",
            value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        ),
    };
    URL_SAFE_NO_PAD.encode(format!(
        "keyset:{ordering}:{value}:{}",
        position.id.simple()
    ))
}

/// The position inside a cursor of a list sorted as `ordering` by a column of type `kind`; a
/// cursor of any other list or ordering, or carrying a value of another type (a date where the
/// list is sorted by an integer) or outside the dates the API accepts, is refused with
/// `BAD_USER_INPUT` before it reaches the database.
fn decode_keyset_cursor(
    cursor: &str,
    ordering: &str,
    kind: SortKind,
) -> Result<KeysetPosition, ApiError> {
    let invalid = || {
        ApiError::bad_input(format!(
            "`{cursor}` is not a cursor of this list in this order"
        ))
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let rest = text
        .strip_prefix("keyset:")
        .and_then(|rest| rest.strip_prefix(ordering))
        .and_then(|rest| rest.strip_prefix(':'))
        .ok_or_else(invalid)?;
    let (value, id) = rest.rsplit_once(':').ok_or_else(invalid)?;
    let id = Uuid::parse_str(id).map_err(|_| invalid())?;
    let value = match value.split_once('=').ok_or_else(invalid)? {
        ("i", number) => SortValue::Integer(number.parse().map_err(|_| invalid())?),
        ("d", date) => SortValue::Date(parse_date(date).ok_or_else(invalid)?),
        ("t", instant) => {
            let instant = chrono::DateTime::parse_from_rfc3339(instant)
                .map_err(|_| invalid())?
                .with_timezone(&chrono::Utc);
            if !is_supported_date(instant.date_naive()) {
                return Err(invalid());
            }
            SortValue::Instant(instant)
        }
        _ => return Err(invalid()),
    };
    if value.kind() != kind {
        return Err(invalid());
    }
    Ok(KeysetPosition { value, id })
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

impl PageArgs {
    /// Checks the arguments of a list sorted as `ordering` by a column of type `kind` and turns
    /// them into a store request; `descending` when the list runs from the largest sort value
    /// down.
    pub fn into_ordered_request(
        self,
        ordering: &str,
        kind: SortKind,
        descending: bool,
    ) -> Result<OrderedPageRequest, ApiError> {
        let after = self
            .after
            .as_deref()
            .map(|cursor| decode_keyset_cursor(cursor, ordering, kind))
            .transpose()?;
        let before = self
            .before
            .as_deref()
            .map(|cursor| decode_keyset_cursor(cursor, ordering, kind))
            .transpose()?;
        let shape = PageArgs {
            first: self.first,
            last: self.last,
            after: None,
            before: None,
        }
        .into_request()?;
        Ok(OrderedPageRequest {
            after,
            before,
            limit: shape.limit,
            from_end: shape.from_end,
            descending,
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

/// Declares a Relay connection type and its edge type for a list sorted by a column other than
/// the id, whose cursors carry the sort value (see [`encode_keyset_cursor`]).
#[macro_export]
macro_rules! keyset_connection {
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
            /// Opaque cursor of this edge, for `after` and `before` in the same order.
            pub cursor: String,
            /// The item.
            pub node: $node,
        }

        impl $connection {
            /// Builds the connection from a store page, the list's total count, the name of its
            /// ordering and the sort value of a row.
            pub fn new(
                page: $crate::store::page::Page<$model>,
                total_count: u64,
                ordering: &str,
                sort_value: impl Fn(&$model) -> $crate::store::page::SortValue,
            ) -> Self {
                let edges: Vec<$edge> = page
                    .items
                    .into_iter()
                    .map(|model| $edge {
                        cursor: $crate::graphql::connection::encode_keyset_cursor(
                            ordering,
                            &$crate::store::page::KeysetPosition {
                                value: sort_value(&model),
                                id: model.id,
                            },
                        ),
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
    fn keyset_cursors_round_trip_and_belong_to_one_ordering() {
        let position = KeysetPosition {
            value: SortValue::Instant(chrono::Utc::now()),
            id: Uuid::now_v7(),
        };
        let cursor = encode_keyset_cursor("action:CREATED_AT:ASC", &position);
        let instant = SortKind::Instant;
        assert_eq!(
            decode_keyset_cursor(&cursor, "action:CREATED_AT:ASC", instant).ok(),
            Some(position.clone())
        );
        assert!(decode_keyset_cursor(&cursor, "action:CREATED_AT:DESC", instant).is_err());
        assert!(decode_keyset_cursor(&cursor, "action:DUE_DATE:ASC", SortKind::Date).is_err());
        assert!(
            decode_keyset_cursor(
                &encode_cursor(position.id),
                "action:DUE_DATE:ASC",
                SortKind::Date
            )
            .is_err()
        );
    }

    #[test]
    fn keyset_cursors_carry_a_value_of_their_column_type() {
        let id = Uuid::now_v7();
        let cursor = |value: &str| {
            URL_SAFE_NO_PAD.encode(format!(
                "keyset:action:DUE_DATE:ASC:{value}:{}",
                id.simple()
            ))
        };
        let decode = |value: &str| {
            decode_keyset_cursor(&cursor(value), "action:DUE_DATE:ASC", SortKind::Date)
        };
        assert!(decode("d=2027-03-01").is_ok());
        assert!(decode("i=1").is_err());
        assert!(decode("t=2027-03-01T00:00:00Z").is_err());
        assert!(decode("d=+200000-01-01").is_err());
        assert!(decode("d=-0001-01-01").is_err());
        assert!(decode("d=10000-01-01").is_err());
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
