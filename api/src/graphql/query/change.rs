//! `changes`: the change feed.

use async_graphql::{Context, Object, Result};

use crate::{
    domain::{self, change_feed::DEFAULT_PAGE},
    error::ApiError,
    graphql::{
        context::session,
        types::change::{Change, ChangeFeed, ChangeObjectType, decode_cursor, encode_cursor},
    },
};

/// The change feed.
#[derive(Default)]
pub struct ChangeFeedQuery;

#[Object]
impl ChangeFeedQuery {
    /// The tenant's changes after a cursor, in commit order, for incremental sync (whoever
    /// reads plans, API keys with READ_PLANS included): each written object with its current
    /// state, each deleted one as a tombstone. Keep `endCursor` and ask again with it to get
    /// only what changed since; `hasMore` says more is already waiting. BAD_USER_INPUT for a
    /// cursor that is not one. On PostgreSQL a transaction still running holds the feed back
    /// until it ends, so that no change is ever skipped.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Return changes after this cursor (an `endCursor` or a change's \
                          `cursor`); from the start when omitted."
        )]
        after: Option<String>,
        #[graphql(desc = "Only changes of these kinds of object; every kind when omitted.")]
        types: Option<Vec<ChangeObjectType>>,
        #[graphql(desc = "Return at most n changes (default 100, at most 500).")] first: Option<
            i32,
        >,
    ) -> Result<ChangeFeed> {
        let position = after.as_deref().map(decode_cursor).transpose()?;
        let kinds = types.unwrap_or_else(|| ChangeObjectType::ALL.to_vec());
        let names: Vec<&str> = kinds.iter().map(|kind| kind.name()).collect();
        let limit = match first {
            None => DEFAULT_PAGE,
            Some(first) if first < 0 => {
                return Err(ApiError::bad_input("first: must not be negative").into());
            }
            Some(first) => u64::try_from(first).unwrap_or(DEFAULT_PAGE),
        };
        if limit == 0 {
            return Ok(ChangeFeed {
                changes: Vec::new(),
                end_cursor: encode_cursor(position.unwrap_or_default()),
                has_more: false,
            });
        }
        let page = domain::change_feed::read(session(ctx)?, position, &names, limit)
            .await
            .map_err(ApiError::from)?;
        Ok(ChangeFeed {
            changes: page.events.into_iter().map(Change).collect(),
            end_cursor: encode_cursor(page.end),
            has_more: page.has_more,
        })
    }
}
