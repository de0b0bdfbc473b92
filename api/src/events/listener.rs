//! On PostgreSQL, every server process listens on [`MEASUREMENTS_CHANNEL`] with a connection of
//! its own and forwards what arrives to its local broadcast, so that a subscriber connected to
//! any process sees the batches committed by all of them.
//!
//! The listener reconnects by itself when its connection drops (notifications sent meanwhile
//! are lost: live updates are a feed, not a log; a client that must not miss a value reads the
//! measurements back). When reconnecting fails, it retries with an exponential backoff, from
//! 100 ms up to 30 s.

use std::time::Duration;

use sea_orm::{DbErr, sqlx::postgres::PgListener};

use super::{EventBus, MEASUREMENTS_CHANNEL, wire};

/// The first wait after a failed reconnection.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);

/// The longest wait between two reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Connects to `database_url`, listens on the measurements channel, and forwards notifications
/// to `bus` from a background task. Returns once listening, so that every batch committed after
/// the server has started reaches it.
pub async fn start(bus: EventBus, database_url: &str) -> Result<(), DbErr> {
    let mut listener = PgListener::connect(database_url)
        .await
        .map_err(|error| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(error.into())))?;
    listener
        .listen(MEASUREMENTS_CHANNEL)
        .await
        .map_err(|error| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(error.into())))?;
    tokio::spawn(forward(bus, listener));
    Ok(())
}

/// Forwards notifications until the process ends.
async fn forward(bus: EventBus, mut listener: PgListener) {
    let mut backoff = FIRST_BACKOFF;
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => {
                backoff = FIRST_BACKOFF;
                match wire::decode(notification.payload()) {
                    Ok(batch) => bus.deliver(batch),
                    Err(error) => {
                        tracing::error!(%error, "an unreadable measurement notification was skipped");
                    }
                }
            }
            Ok(None) => {
                // The connection dropped and was re-established (try_recv reconnects before
                // returning None): what was sent in between is lost.
                tracing::warn!("the measurement listener lost its connection and reconnected");
            }
            Err(error) => {
                tracing::warn!(
                    %error,
                    retry_in_ms = backoff.as_millis() as u64,
                    "the measurement listener cannot reach the database"
                );
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}
