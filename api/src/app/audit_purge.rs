//! The audit trail's retention: while the server runs, every hour, the entries older than
//! `LEVIER_AUDIT_RETENTION_DAYS` are deleted (`store::audit::purge_older_than`). The task ends
//! when the server stops accepting.

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use sea_orm::DatabaseConnection;

/// How often the purge runs; the first run is one period after the start, once the database
/// has had time to be reached and migrated.
const PERIOD: Duration = Duration::from_secs(3600);

/// Purges every [`PERIOD`] until `stopping` resolves. A failed purge is logged and tried again
/// at the next period.
pub(super) async fn run(
    db: DatabaseConnection,
    retention: TimeDelta,
    stopping: impl Future<Output = ()>,
) {
    let mut stopping = std::pin::pin!(stopping);
    loop {
        tokio::select! {
            () = &mut stopping => return,
            () = tokio::time::sleep(PERIOD) => {}
        }
        let cutoff = Utc::now() - retention;
        match crate::store::audit::purge_older_than(&db, cutoff).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, %cutoff, "audit trail: old entries purged"),
            Err(error) => {
                tracing::warn!(%error, "audit trail: the purge failed; retried in an hour")
            }
        }
    }
}
