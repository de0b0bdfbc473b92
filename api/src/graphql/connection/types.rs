//! The `connection!` and `keyset_connection!` macros: a connection type and its edge type for
//! each node type, built from a store page.
//!
//! A connection holds its page's nodes once. `edges` and `nodes` lend them out as they are
//! selected, and a cursor is encoded only when `cursor` (or `pageInfo`) is asked for: a nested
//! read that selects `edges { node }` of 400 campaigns neither copies each node into `nodes`
//! nor encodes 400 cursors nobody reads.

/// Declares a Relay connection type and its edge type for a node type that wraps a model.
#[macro_export]
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ident, $model:ty, $connection_doc:literal, $edge_doc:literal) => {
        $crate::__connection_types!(
            $connection,
            $edge,
            $node,
            $connection_doc,
            $edge_doc,
            "Opaque cursor of this edge, for `after` and `before`."
        );

        impl $connection {
            /// Builds the connection from a store page and the list's total count.
            pub fn new(page: $crate::store::page::Page<$model>, total_count: u64) -> Self {
                Self::from_page(page, total_count, |model| {
                    let cursor = $crate::graphql::connection::types::LazyCursor::Id(model.id);
                    // `into`: a model as it is, or shared (`Persona`).
                    #[allow(clippy::useless_conversion)]
                    ($node(model.into()), cursor)
                })
            }
        }
    };
}

/// Declares a Relay connection type and its edge type for a list sorted by a column other than
/// the id, whose cursors carry the sort value (see [`encode_keyset_cursor`]).
///
/// [`encode_keyset_cursor`]: crate::graphql::connection::encode_keyset_cursor
#[macro_export]
macro_rules! keyset_connection {
    ($connection:ident, $edge:ident, $node:ident, $model:ty, $connection_doc:literal, $edge_doc:literal) => {
        $crate::__connection_types!(
            $connection,
            $edge,
            $node,
            $connection_doc,
            $edge_doc,
            "Opaque cursor of this edge, for `after` and `before` in the same order."
        );

        impl $connection {
            /// Builds the connection from a store page, the list's total count, the name of its
            /// ordering and the sort value of a row.
            pub fn new(
                page: $crate::store::page::Page<$model>,
                total_count: u64,
                ordering: &str,
                sort_value: impl Fn(&$model) -> $crate::store::page::SortValue,
            ) -> Self {
                let ordering: std::sync::Arc<str> = std::sync::Arc::from(ordering);
                Self::from_page(page, total_count, |model| {
                    let cursor = $crate::graphql::connection::types::LazyCursor::Keyset(
                        std::sync::Arc::clone(&ordering),
                        $crate::store::page::KeysetPosition {
                            value: sort_value(&model),
                            id: model.id,
                        },
                    );
                    // `into`: a model as it is, or shared (`Persona`).
                    #[allow(clippy::useless_conversion)]
                    ($node(model.into()), cursor)
                })
            }
        }
    };
}

/// What a cursor encodes, kept until the cursor is asked for.
#[derive(Debug, Clone)]
pub enum LazyCursor {
    /// A list ordered by id.
    Id(uuid::Uuid),
    /// A list ordered by `ordering`, at this position.
    Keyset(std::sync::Arc<str>, crate::store::page::KeysetPosition),
}

impl LazyCursor {
    /// The opaque cursor.
    pub fn encode(&self) -> String {
        match self {
            Self::Id(id) => super::encode_cursor(*id),
            Self::Keyset(ordering, position) => super::encode_keyset_cursor(ordering, position),
        }
    }
}

/// The connection and edge types of both macros.
#[doc(hidden)]
#[macro_export]
macro_rules! __connection_types {
    ($connection:ident, $edge:ident, $node:ident, $connection_doc:literal, $edge_doc:literal, $cursor_doc:literal) => {
        #[doc = $connection_doc]
        #[derive(Debug, Clone)]
        pub struct $connection {
            nodes: Vec<$node>,
            cursors: Vec<$crate::graphql::connection::types::LazyCursor>,
            has_next_page: bool,
            has_previous_page: bool,
            total_count: u64,
        }

        impl $connection {
            /// Builds the connection from a store page, each item made into its node and cursor.
            fn from_page<M>(
                page: $crate::store::page::Page<M>,
                total_count: u64,
                node_and_cursor: impl FnMut(
                    M,
                )
                    -> ($node, $crate::graphql::connection::types::LazyCursor),
            ) -> Self {
                let (nodes, cursors) = page.items.into_iter().map(node_and_cursor).unzip();
                Self {
                    nodes,
                    cursors,
                    has_next_page: page.has_next,
                    has_previous_page: page.has_previous,
                    total_count,
                }
            }
        }

        #[doc = $connection_doc]
        #[async_graphql::Object]
        impl $connection {
            /// The edges of this page, in order.
            async fn edges(&self) -> Vec<$edge<'_>> {
                self.nodes
                    .iter()
                    .zip(&self.cursors)
                    .map(|(node, cursor)| $edge { node, cursor })
                    .collect()
            }

            /// The nodes of this page, in order (a shortcut for `edges { node }`).
            async fn nodes(&self) -> &[$node] {
                &self.nodes
            }

            /// Where this page stands in the list.
            async fn page_info(&self) -> $crate::graphql::connection::PageInfo {
                $crate::graphql::connection::PageInfo {
                    has_next_page: self.has_next_page,
                    has_previous_page: self.has_previous_page,
                    start_cursor: self.cursors.first().map(|cursor| cursor.encode()),
                    end_cursor: self.cursors.last().map(|cursor| cursor.encode()),
                }
            }

            /// How many items the whole list has, all pages together.
            async fn total_count(&self) -> i64 {
                i64::try_from(self.total_count).unwrap_or(i64::MAX)
            }
        }

        #[doc = $edge_doc]
        pub struct $edge<'a> {
            node: &'a $node,
            cursor: &'a $crate::graphql::connection::types::LazyCursor,
        }

        #[doc = $edge_doc]
        #[async_graphql::Object]
        impl<'a> $edge<'a> {
            #[doc = $cursor_doc]
            async fn cursor(&self) -> String {
                self.cursor.encode()
            }

            /// The item.
            async fn node(&self) -> &$node {
                self.node
            }
        }
    };
}
