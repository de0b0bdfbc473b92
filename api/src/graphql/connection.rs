//! Relay connections: the page arguments `first/after/last/before` and the store request they
//! become ([`args`]), opaque cursors ([`cursor`]), and the connection and edge types generated
//! per node type by [`connection!`](crate::connection) ([`types`]).

pub mod args;
pub mod cursor;
pub mod types;

use async_graphql::SimpleObject;

pub use args::PageArgs;
pub use cursor::{encode_cursor, encode_keyset_cursor};

/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: u64 = 20;

/// Largest page; larger `first`/`last` are capped to it (`pageInfo` tells there is more).
pub const MAX_PAGE_SIZE: u64 = 100;

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

#[cfg(test)]
mod tests;
