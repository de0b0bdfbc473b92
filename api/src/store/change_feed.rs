//! The change feed: a tenant's audit events (`audit_events`, written by every change in the
//! same transaction) read in commit order, from a position.
//!
//! A position is the pair `(txid, seq)` of the last event read. On SQLite writers are
//! serialised, `txid` is 0 and `seq` order is commit order. On PostgreSQL `seq` is handed out
//! at insertion, not at commit: a transaction that started first may commit last with a lower
//! `seq`. So the reader orders by `(txid, seq)` and reads only the events of transactions that
//! have all ended: `txid` below the reading snapshot's `xmin` (every transaction below it has
//! committed or rolled back, and their rows are visible to it or never will be). A transaction
//! still running holds the feed back at its `txid` until it ends; nothing after it is skipped.
//! Caveat: when two transactions write the same row, the one with the lower `txid` may commit
//! after the other; the `version` in each event's `after` orders one object's changes exactly.

use entity::audit_event;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};

use super::{Scoped, StoreResult};

/// A position in a tenant's feed: after the event `(txid, seq)`. `(0, 0)` is the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// The transaction id of the last event read (0 on SQLite).
    pub txid: i64,
    /// The sequence number of the last event read.
    pub seq: i64,
}

impl Position {
    /// The position just after `event`.
    pub fn of(event: &audit_event::Model) -> Self {
        Self {
            txid: event.txid,
            seq: event.seq,
        }
    }
}

/// Only the events of transactions that have all ended (PostgreSQL; SQLite serialises its
/// writers, so every committed event is final there).
fn ended<C: ConnectionTrait>(scope: &Scoped<C>) -> Condition {
    match scope.connection().get_database_backend() {
        DbBackend::Postgres => Condition::all().add(Expr::cust(
            "\"audit_events\".\"txid\" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
        )),
        _ => Condition::all(),
    }
}

/// The events after `position`, in commit order, at most `limit`; of the object types
/// `object_types` only when given.
pub async fn after<C: ConnectionTrait>(
    scope: &Scoped<C>,
    position: Position,
    object_types: Option<&[&str]>,
    limit: u64,
) -> StoreResult<Vec<audit_event::Model>> {
    let later = Condition::any()
        .add(audit_event::Column::Txid.gt(position.txid))
        .add(
            Condition::all()
                .add(audit_event::Column::Txid.eq(position.txid))
                .add(audit_event::Column::Seq.gt(position.seq)),
        );
    let mut select = scope
        .select::<audit_event::Entity>()
        .filter(later)
        .filter(ended(scope));
    if let Some(object_types) = object_types {
        select = select.filter(
            audit_event::Column::ObjectType.is_in(object_types.iter().map(|name| name.to_string())),
        );
    }
    Ok(select
        .order_by_asc(audit_event::Column::Txid)
        .order_by_asc(audit_event::Column::Seq)
        .limit(limit)
        .all(scope.connection())
        .await?)
}

/// The position after the tenant's last event that is already final: where a new reader
/// (a new webhook endpoint) starts so that it gets only what is committed from now on.
pub async fn head<C: ConnectionTrait>(scope: &Scoped<C>) -> StoreResult<(i64, i64)> {
    let last = scope
        .select::<audit_event::Entity>()
        .order_by_desc(audit_event::Column::Txid)
        .order_by_desc(audit_event::Column::Seq)
        .one(scope.connection())
        .await?;
    Ok(last.map_or((0, 0), |event| (event.txid, event.seq)))
}
