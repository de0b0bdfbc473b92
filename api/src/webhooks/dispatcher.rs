//! The dispatcher: a background task of every server process, started with the server and
//! stopped when it stops accepting.
//!
//! Each round it takes the lease of the enabled endpoints that are due and that no other
//! process holds (one conditional `UPDATE`, so that two replicas on one database never deliver
//! to one endpoint in parallel), and for each reads the change feed after the endpoint's cursor
//! and delivers the events it subscribes to, one at a time, in commit order. The cursor moves
//! past an event only after a 2xx (or when the endpoint does not subscribe to it). A failure
//! logs the attempt, and the same event is tried again after an exponential backoff
//! (`LEVIER_WEBHOOK_FIRST_RETRY_MS`, doubling up to an hour, ±20 % jitter); when an endpoint
//! has failed without one success for `LEVIER_WEBHOOK_RETRY_SECONDS` (a day by default), it is
//! disabled with a reason until an ADMIN enables it. The lease is renewed before each delivery
//! and is longer than a delivery may take; a process that stops gives its leases back, one that
//! is killed leaves them to expire (another process, or itself restarted with a new identity,
//! takes over then).
//!
//! While no endpoint is enabled anywhere, the dispatcher runs one query every
//! [`IDLE_CHECK`] (and at once when an endpoint is registered or enabled in this process).

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::{webhook_delivery, webhook_endpoint};
use reqwest::Client;
use sea_orm::{ActiveValue::Set, DatabaseConnection};
use uuid::Uuid;

use super::{client, event};
use crate::{
    config::{MAX_RETRY_WAIT, WebhookConfig},
    db::{DatabaseState, Lanes},
    domain::webhook::subscribed,
    shutdown::Shutdown,
    store::{
        self, Scoped, StoreResult,
        change_feed::{self, Position},
        webhook::Outcome,
    },
};

/// How often an idle dispatcher (no enabled endpoint known) looks for one.
pub const IDLE_CHECK: Duration = Duration::from_secs(30);

/// Events read from the feed at a time, per endpoint.
const BATCH: u64 = 100;

/// What the dispatcher needs.
#[derive(Clone)]
pub struct Dispatcher {
    db: DatabaseConnection,
    /// The server's lanes (its queue of writers on SQLite), for the scopes it writes through.
    lanes: Lanes,
    config: WebhookConfig,
    client: Client,
    /// This process's identity as a lease owner (new at each start).
    owner: String,
    shutdown: Shutdown,
}

/// Starts the dispatcher of a server process: it runs until the server stops accepting.
pub fn start(
    db: DatabaseConnection,
    lanes: Lanes,
    config: WebhookConfig,
    shutdown: Shutdown,
    database: DatabaseState,
) {
    let client = match client::build(&config) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!("webhooks are not delivered: the HTTP client cannot be built: {error}");
            return;
        }
    };
    let dispatcher = Dispatcher {
        db,
        lanes,
        config,
        client,
        owner: format!("levier-{}", Uuid::now_v7().simple()),
        shutdown,
    };
    tokio::spawn(dispatcher.run(database));
}

impl Dispatcher {
    async fn run(self, database: DatabaseState) {
        let stopping = self.shutdown.stopping();
        tokio::pin!(stopping);
        let mut wakes = super::wakes();
        let mut active = false;
        let mut first = true;
        loop {
            let wait = if first {
                Duration::ZERO
            } else if active {
                self.config.poll_interval
            } else {
                IDLE_CHECK
            };
            first = false;
            tokio::select! {
                () = &mut stopping => break,
                _ = wakes.changed() => {}
                () = tokio::time::sleep(wait) => {}
            }
            if !database.is_ready() {
                continue;
            }
            match self.round().await {
                Ok(still_active) => active = still_active,
                Err(error) => {
                    tracing::warn!("webhook dispatch failed, trying again: {error}");
                    active = true;
                }
            }
        }
        if let Err(error) = store::webhook::release_all(&self.db, &self.owner).await {
            tracing::warn!("the webhook leases could not be given back: {error}");
        }
    }

    /// One round; returns whether endpoints are enabled (poll again soon) or not (idle).
    async fn round(&self) -> StoreResult<bool> {
        if !store::webhook::any_enabled(&self.db).await? {
            return Ok(false);
        }
        let now = Utc::now();
        let endpoints =
            store::webhook::claim(&self.db, &self.owner, now, self.lease_until(now)).await?;
        let results =
            futures::future::join_all(endpoints.into_iter().map(|endpoint| self.serve(endpoint)))
                .await;
        for result in results {
            if let Err(error) = result {
                tracing::warn!("webhook delivery round failed: {error}");
            }
        }
        Ok(true)
    }

    fn lease_until(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + chrono::Duration::from_std(self.config.lease).unwrap_or(chrono::Duration::MAX)
    }

    fn stopping(&self) -> bool {
        self.shutdown.phase() == crate::shutdown::Phase::Stopping
    }

    /// Delivers the events due to one endpoint, in order, until the feed is exhausted, a
    /// delivery fails, the lease is lost, or the process stops.
    async fn serve(&self, endpoint: webhook_endpoint::Model) -> StoreResult<()> {
        let scope = Scoped::new(self.db.clone(), self.lanes.clone(), endpoint.tenant_id);
        let mut endpoint = endpoint;
        let mut position = Position {
            txid: endpoint.cursor_txid,
            seq: endpoint.cursor_seq,
        };
        loop {
            let events = change_feed::after(&scope, position, None, BATCH).await?;
            if events.is_empty() {
                return Ok(());
            }
            let mut skipped = false;
            for audit in &events {
                if self.stopping() {
                    return self.pass(&scope, &endpoint, position, skipped).await;
                }
                let event_type = event::event_type(audit);
                if !subscribed(&endpoint.event_types.0, &event_type) {
                    position = Position::of(audit);
                    skipped = true;
                    continue;
                }
                let now = Utc::now();
                let Some(renewed) =
                    store::webhook::renew(&scope, endpoint.id, &self.owner, self.lease_until(now))
                        .await?
                else {
                    // Lost (expired and taken, disabled or deleted): whoever holds it now
                    // starts from the cursor, which has not moved.
                    return Ok(());
                };
                endpoint = renewed;
                let body = serde_json::to_vec(&event::body(audit)).unwrap_or_default();
                let attempt = client::deliver(
                    &self.client,
                    &endpoint.url,
                    &endpoint.secret,
                    &audit.id.to_string(),
                    &event_type,
                    body,
                    self.config.allow_private,
                )
                .await;
                let now = Utc::now();
                let outcome = if attempt.succeeded() {
                    Outcome::Passed {
                        txid: audit.txid,
                        seq: audit.seq,
                    }
                } else {
                    let failing_since = endpoint.failing_since.unwrap_or(now);
                    let retry_for = chrono::Duration::from_std(self.config.retry_for)
                        .unwrap_or(chrono::Duration::MAX);
                    if now - failing_since >= retry_for {
                        Outcome::Disabled { failing_since }
                    } else {
                        Outcome::Failed {
                            retry_at: now
                                + backoff(
                                    self.config.first_retry,
                                    endpoint.consecutive_failures + 1,
                                ),
                            failing_since,
                        }
                    }
                };
                let next_retry_at = match outcome {
                    Outcome::Failed { retry_at, .. } => Some(retry_at),
                    _ => None,
                };
                store::webhook::log_delivery(
                    &scope,
                    webhook_delivery::ActiveModel {
                        endpoint_id: Set(endpoint.id),
                        event_id: Set(audit.id),
                        event_type: Set(event_type.clone()),
                        attempt: Set(endpoint.consecutive_failures + 1),
                        status_code: Set(attempt.status.map(i32::from)),
                        error: Set(attempt.error.clone()),
                        duration_ms: Set(
                            i64::try_from(attempt.duration.as_millis()).unwrap_or(i64::MAX)
                        ),
                        attempted_at: Set(now),
                        next_retry_at: Set(next_retry_at),
                        succeeded: Set(attempt.succeeded()),
                        ..Default::default()
                    },
                )
                .await?;
                if matches!(outcome, Outcome::Disabled { .. }) {
                    tracing::warn!(
                        endpoint = %endpoint.id,
                        "webhook endpoint disabled: every delivery failed for {} s",
                        self.config.retry_for.as_secs()
                    );
                }
                let held =
                    store::webhook::settle(&scope, endpoint.id, &self.owner, outcome, now).await?;
                if !held || !attempt.succeeded() {
                    return Ok(());
                }
                endpoint.consecutive_failures = 0;
                endpoint.failing_since = None;
                position = Position::of(audit);
                skipped = false;
            }
            if skipped {
                self.pass(&scope, &endpoint, position, true).await?;
            }
        }
    }

    /// Moves the cursor past events the endpoint does not subscribe to.
    async fn pass(
        &self,
        scope: &Scoped<DatabaseConnection>,
        endpoint: &webhook_endpoint::Model,
        position: Position,
        skipped: bool,
    ) -> StoreResult<()> {
        if skipped {
            store::webhook::settle(
                scope,
                endpoint.id,
                &self.owner,
                Outcome::Passed {
                    txid: position.txid,
                    seq: position.seq,
                },
                Utc::now(),
            )
            .await?;
        }
        Ok(())
    }
}

/// The wait before attempt `failures + 1`: `first` doubled at each failure, at most an hour,
/// times a random factor between 0.8 and 1.2 (so that endpoints failing together do not retry
/// together).
pub fn backoff(first: Duration, failures: i32) -> chrono::Duration {
    let doublings = u32::try_from(failures.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    let base = first.saturating_mul(1_u32 << doublings).min(MAX_RETRY_WAIT);
    let mut random = [0_u8; 2];
    let jitter = match getrandom::fill(&mut random) {
        Ok(()) => 0.8 + 0.4 * f64::from(u16::from_le_bytes(random)) / f64::from(u16::MAX),
        Err(_) => 1.0,
    };
    chrono::Duration::from_std(base.mul_f64(jitter)).unwrap_or(chrono::Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_up_to_an_hour() {
        let first = Duration::from_secs(5);
        for (failures, expected) in [(1, 5.0), (2, 10.0), (3, 20.0), (10, 2560.0), (30, 3600.0)] {
            let wait = backoff(first, failures).num_milliseconds() as f64 / 1000.0;
            assert!(
                wait >= expected * 0.8 - 0.001 && wait <= expected * 1.2 + 0.001,
                "failure {failures}: {wait} s, expected about {expected} s"
            );
        }
    }
}
