//! The `connection!` and `keyset_connection!` macros: a connection type and its edge type for
//! each node type, built from a store page.

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
                        // `into`: a model as it is, or shared (`Persona`).
                        #[allow(clippy::useless_conversion)]
                        node: $node(model.into()),
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
                        // `into`: a model as it is, or shared (`Persona`).
                        #[allow(clippy::useless_conversion)]
                        node: $node(model.into()),
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
