//! `node` and `nodes`.

use async_graphql::{Context, ID, Object, Result};

use crate::{error::ApiError, graphql::node::Node};

/// Most IDs accepted by one `nodes` call.
pub const MAX_NODES: usize = 100;

/// Fetching any object by its global ID.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The object with this global ID, or null if there is none for this tenant.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID.")] id: ID,
    ) -> Result<Option<Node>> {
        Ok(
            crate::graphql::node::resolve_many(ctx, std::slice::from_ref(&id))
                .await?
                .into_iter()
                .next()
                .flatten(),
        )
    }

    /// The objects with these global IDs, in the same order, with null where there is none
    /// (at most 100 IDs).
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global IDs, at most 100.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(
                ApiError::bad_input(format!("ask for at most {MAX_NODES} IDs at once")).into(),
            );
        }
        crate::graphql::node::resolve_many(ctx, &ids).await
    }
}
