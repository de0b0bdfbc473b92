//! On PostgreSQL, every server process listens on [`MEASUREMENTS_CHANNEL`] and
//! [`REVOCATIONS_CHANNEL`] with a connection of its own and forwards what arrives to its local
//! broadcasts, so that a subscriber connected to any process sees the batches committed by all
//! of them, and a connection authenticated by an API key ends wherever the key is revoked.
//!
//! The listener reconnects by itself when its connection drops (notifications sent meanwhile
//! are lost: live updates are a feed, not a log; a client that must not miss a value reads the
//! measurements back; the watchers of API keys are told, and check their key). When
//! reconnecting fails, it retries with an exponential backoff, from 100 ms up to 30 s.

use std::time::Duration;

use sea_orm::{DbErr, sqlx::postgres::PgListener};

use super::{
    EventBus, MEASUREMENTS_CHANNEL,
    revocation::{self, REVOCATIONS_CHANNEL},
    wire,
};

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
        .listen_all([MEASUREMENTS_CHANNEL, REVOCATIONS_CHANNEL])
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
                if backoff > FIRST_BACKOFF {
                    // Back after failures: what was sent in between is lost.
                    bus.revocations_maybe_missed();
                    backoff = FIRST_BACKOFF;
                }
                forward_one(&bus, notification.channel(), notification.payload());
            }
            Ok(None) => {
                // The connection dropped and was re-established (try_recv reconnects before
                // returning None): what was sent in between is lost.
                tracing::warn!("the event listener lost its connection and reconnected");
                bus.revocations_maybe_missed();
                backoff = FIRST_BACKOFF;
            }
            Err(error) => {
                tracing::warn!(
                    %error,
                    retry_in_ms = backoff.as_millis() as u64,
                    "the event listener cannot reach the database"
                );
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// Hands one notification to the bus, by its channel.
fn forward_one(bus: &EventBus, channel: &str, payload: &str) {
    if channel == REVOCATIONS_CHANNEL {
        match revocation::decode(payload) {
            Ok(revocation) => bus.deliver_revocation(revocation),
            Err(error) => {
                tracing::error!(%error, "an unreadable revocation notification was skipped");
                // Its key's connections check their key instead.
                bus.revocations_maybe_missed();
            }
        }
    } else if bus.has_measurement_subscribers() {
        match wire::decode(payload) {
            Ok(batch) => bus.deliver(batch),
            Err(error) => {
                tracing::error!(%error, "an unreadable measurement notification was skipped");
            }
        }
    }
}
