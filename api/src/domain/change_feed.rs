//! The change feed for incremental sync: the tenant's changes after a position, in commit
//! order, for whoever reads plans (API keys with `READ_PLANS` included). Each change is one
//! audit event: the object's type and id, whether it was written or deleted (a tombstone), and
//! the position to resume after it.

use entity::audit_event;

use super::{DomainResult, Session};
use crate::{
    auth::Permission,
    store::{self, change_feed::Position},
};

/// Most changes in one page.
pub const MAX_PAGE: u64 = 500;

/// Changes in one page when the caller does not say.
pub const DEFAULT_PAGE: u64 = 100;

/// One page of the feed.
#[derive(Debug, Clone)]
pub struct FeedPage {
    /// The changes, in commit order.
    pub events: Vec<audit_event::Model>,
    /// Where to resume: after the last change of the page, or where the caller was when the
    /// page is empty.
    pub end: Position,
    /// More changes are already waiting after `end`.
    pub has_more: bool,
}

/// The changes after `after` (the start when `None`), of the object types `object_types`, at
/// most `limit` (capped to [`MAX_PAGE`]).
pub async fn read(
    session: &Session,
    after: Option<Position>,
    object_types: &[&str],
    limit: u64,
) -> DomainResult<FeedPage> {
    let scope = session.scope(Permission::ReadPlan)?;
    let limit = limit.clamp(1, MAX_PAGE);
    let start = after.unwrap_or_default();
    let mut events =
        store::change_feed::after(&scope, start, Some(object_types), limit + 1).await?;
    let has_more = events.len() as u64 > limit;
    events.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let end = events.last().map_or(start, Position::of);
    Ok(FeedPage {
        events,
        end,
        has_more,
    })
}
