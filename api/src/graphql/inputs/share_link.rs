//! Inputs of share-link mutations.

use async_graphql::{ID, InputObject};
use entity::share_link::ShareLinkScope;

use crate::graphql::scalars::DateTime;

/// A new share link.
#[derive(Debug, InputObject)]
pub struct CreateShareLinkInput {
    /// The plan the link opens.
    pub plan_id: ID,
    /// Whom the link is for (1 to 200 characters), e.g. "Board review".
    pub label: String,
    /// What the link opens: the document, the read API, or both.
    pub scope: ShareLinkScope,
    /// When the link stops working: in the future, at most 90 days away.
    pub expires_at: DateTime,
}

/// The share link to revoke.
#[derive(Debug, InputObject)]
pub struct RevokeShareLinkInput {
    /// The link's global ID.
    pub id: ID,
}
