//! Live updates: the bus that carries committed measurements to the subscribers of this server
//! process, and, on PostgreSQL, the notification channel that carries them between processes.
//! API-key revocations travel the same way ([`revocation`]), to end the connections the key
//! authenticated.
//!
//! A writer hands its batch to [`EventBus::commit_measurements`] instead of committing its
//! transaction itself:
//! - on PostgreSQL the batch is sent with `pg_notify` *inside* the transaction, which then
//!   commits. PostgreSQL delivers notifications only when (and if) the transaction commits, and
//!   to every listening session, so every server process, the writer's own included, receives a
//!   committed batch once through its [`listener`] and nothing of a rolled-back one;
//! - on SQLite the transaction commits, then the batch goes to this process's broadcast (an
//!   SQLite database is served by one process; another process on the same file would not see
//!   this one's events).
//!
//! Subscribers read the process-local `tokio::sync::broadcast` channel through
//! [`EventBus::measurements`], which keeps only their tenant's events (checked before anything
//! else) that match their filter. A subscriber that falls behind skips what it missed, with a
//! warning in the log, and carries on.

pub mod listener;
pub mod revocation;
pub mod wire;

use std::{collections::HashSet, collections::VecDeque, sync::Arc};

use entity::measurement;
use futures::Stream;
use sea_orm::{DatabaseTransaction, DbBackend};
use tokio::sync::broadcast::{self, error::RecvError};
use uuid::Uuid;

use crate::store::{self, Scoped, StoreResult};

/// The PostgreSQL notification channel measurements are announced on.
pub const MEASUREMENTS_CHANNEL: &str = "levier_measurements";

/// How many batches the local broadcast keeps for a slow subscriber before it starts skipping.
const BROADCAST_CAPACITY: usize = 1024;

/// Whether a recorded measurement was new or replaced the value of the same (source, external
/// id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasurementChange {
    /// A new measurement.
    Inserted,
    /// An existing measurement recorded again, with its new value.
    Updated,
}

/// One measurement as a committed write left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasurementEvent {
    /// Inserted or updated.
    pub change: MeasurementChange,
    /// The row as written.
    pub measurement: measurement::Model,
}

/// The measurements one transaction of one tenant recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasurementBatch {
    /// The tenant that wrote them (every row's `tenant_id`).
    pub tenant_id: Uuid,
    /// What was written, in order.
    pub events: Vec<MeasurementEvent>,
}

/// Which measurements a subscriber wants: always one tenant's, optionally only some KPIs and
/// some campaigns.
#[derive(Debug, Clone)]
pub struct MeasurementFilter {
    /// The subscriber's tenant; nothing of another tenant ever passes.
    pub tenant_id: Uuid,
    /// Only these KPI keys; `None` for all.
    pub kpi_keys: Option<HashSet<String>>,
    /// Only measurements of these campaigns; `None` for all (with or without a campaign).
    pub campaign_ids: Option<HashSet<Uuid>>,
}

impl MeasurementFilter {
    /// True when the subscriber wants `event` (its tenant was already checked).
    fn wants(&self, event: &MeasurementEvent) -> bool {
        let measurement = &event.measurement;
        measurement.tenant_id == self.tenant_id
            && self
                .kpi_keys
                .as_ref()
                .is_none_or(|keys| keys.contains(&measurement.kpi_key))
            && self.campaign_ids.as_ref().is_none_or(|campaigns| {
                measurement
                    .campaign_id
                    .is_some_and(|campaign| campaigns.contains(&campaign))
            })
    }
}

/// How committed batches reach the subscribers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Delivery {
    /// Straight to the local broadcast, after commit.
    Local,
    /// Through `pg_notify` in the transaction, back through every process's listener.
    Postgres,
}

#[derive(Debug)]
struct Inner {
    sender: broadcast::Sender<Arc<MeasurementBatch>>,
    revocations: broadcast::Sender<revocation::Signal>,
    delivery: Delivery,
}

/// The application's event bus: cheap to clone, shared by every session of the process.
#[derive(Debug, Clone)]
pub struct EventBus {
    inner: Arc<Inner>,
}

impl EventBus {
    /// A bus for a database of `backend`. On PostgreSQL, events reach this process's
    /// subscribers only once [`listener::start`] listens for them.
    pub fn new(backend: DbBackend) -> Self {
        let (sender, _) = broadcast::channel(BROADCAST_CAPACITY);
        let (revocations, _) = broadcast::channel(revocation::CAPACITY);
        let delivery = match backend {
            DbBackend::Postgres => Delivery::Postgres,
            _ => Delivery::Local,
        };
        Self {
            inner: Arc::new(Inner {
                sender,
                revocations,
                delivery,
            }),
        }
    }

    /// Commits `transaction` and announces `rows` (each with whether it was inserted) to the
    /// subscribers of every process: the announcement happens if and only if the transaction
    /// commits. Use it in place of `transaction.commit()` for a transaction that recorded
    /// measurements.
    pub async fn commit_measurements(
        &self,
        transaction: Scoped<DatabaseTransaction>,
        rows: &[(measurement::Model, bool)],
    ) -> StoreResult<()> {
        let batch = MeasurementBatch {
            tenant_id: transaction.tenant_id(),
            events: rows
                .iter()
                // The scope wrote every row for its tenant; a row of another would be a bug,
                // and is never announced.
                .filter(|(row, _)| row.tenant_id == transaction.tenant_id())
                .map(|(row, inserted)| MeasurementEvent {
                    change: if *inserted {
                        MeasurementChange::Inserted
                    } else {
                        MeasurementChange::Updated
                    },
                    measurement: row.clone(),
                })
                .collect(),
        };
        match self.inner.delivery {
            Delivery::Postgres => {
                if !batch.events.is_empty() {
                    let payloads = wire::encode(&batch);
                    store::notify::notify(&transaction, MEASUREMENTS_CHANNEL, &payloads).await?;
                }
                transaction.commit().await
            }
            Delivery::Local => {
                transaction.commit().await?;
                self.deliver(batch);
                Ok(())
            }
        }
    }

    /// Whether anyone in this process follows measurements now: the listener decodes a
    /// notification only then (an ingestion-heavy server with no live dashboard skips that work).
    pub(crate) fn has_measurement_subscribers(&self) -> bool {
        self.inner.sender.receiver_count() > 0
    }

    /// Hands a committed batch to this process's subscribers.
    pub(crate) fn deliver(&self, batch: MeasurementBatch) {
        if batch.events.is_empty() {
            return;
        }
        // An error only means that nobody is subscribed right now.
        let _ = self.inner.sender.send(Arc::new(batch));
    }

    /// The measurements `filter` lets through, as they are committed from now on. The stream
    /// ends only when the bus is gone.
    pub fn measurements(
        &self,
        filter: MeasurementFilter,
    ) -> impl Stream<Item = MeasurementEvent> + Send + 'static {
        let receiver = self.inner.sender.subscribe();
        futures::stream::unfold(
            (receiver, VecDeque::new(), filter),
            |(mut receiver, mut ready, filter)| async move {
                loop {
                    if let Some(event) = ready.pop_front() {
                        return Some((event, (receiver, ready, filter)));
                    }
                    match receiver.recv().await {
                        Ok(batch) => {
                            // The tenant first: another tenant's batch is never looked into.
                            if batch.tenant_id != filter.tenant_id {
                                continue;
                            }
                            ready.extend(
                                batch
                                    .events
                                    .iter()
                                    .filter(|event| filter.wants(event))
                                    .cloned(),
                            );
                        }
                        Err(RecvError::Lagged(skipped)) => {
                            tracing::warn!(
                                skipped_batches = skipped,
                                "a measurement subscriber fell behind and skips what it missed"
                            );
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};
    use entity::enums::TimeGrain;
    use futures::StreamExt;

    use super::*;

    fn event(tenant_id: Uuid, kpi_key: &str, campaign_id: Option<Uuid>) -> MeasurementEvent {
        MeasurementEvent {
            change: MeasurementChange::Inserted,
            measurement: measurement::Model {
                tenant_id,
                id: Uuid::now_v7(),
                kpi_key: kpi_key.to_owned(),
                date: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap_or_default(),
                grain: TimeGrain::Day,
                value_micros: 1_000_000,
                source: "manual".to_owned(),
                external_id: None,
                plan_id: None,
                campaign_id,
                action_id: None,
                lever: None,
                persona_id: None,
                original_value_micros: None,
                original_currency: None,
                exchange_rate: None,
                rate_date: None,
                created_at: Utc::now(),
                updated_at: Utc::now(),
            },
        }
    }

    #[tokio::test]
    async fn a_subscriber_gets_its_tenants_matching_events_in_order() {
        let bus = EventBus::new(DbBackend::Sqlite);
        let (mine, theirs, campaign) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let mut stream = Box::pin(bus.measurements(MeasurementFilter {
            tenant_id: mine,
            kpi_keys: Some(HashSet::from(["clicks".to_owned()])),
            campaign_ids: Some(HashSet::from([campaign])),
        }));
        let wanted = event(mine, "clicks", Some(campaign));
        bus.deliver(MeasurementBatch {
            tenant_id: theirs,
            events: vec![event(theirs, "clicks", Some(campaign))],
        });
        bus.deliver(MeasurementBatch {
            tenant_id: mine,
            events: vec![
                event(mine, "spend", Some(campaign)),
                event(mine, "clicks", None),
                event(mine, "clicks", Some(Uuid::now_v7())),
                wanted.clone(),
            ],
        });
        assert_eq!(stream.next().await, Some(wanted));
    }

    #[tokio::test]
    async fn a_lagging_subscriber_skips_and_carries_on() {
        let bus = EventBus::new(DbBackend::Sqlite);
        let tenant = Uuid::now_v7();
        let mut stream = Box::pin(bus.measurements(MeasurementFilter {
            tenant_id: tenant,
            kpi_keys: None,
            campaign_ids: None,
        }));
        for _ in 0..BROADCAST_CAPACITY + 10 {
            bus.deliver(MeasurementBatch {
                tenant_id: tenant,
                events: vec![event(tenant, "clicks", None)],
            });
        }
        let last = event(tenant, "spend", None);
        bus.deliver(MeasurementBatch {
            tenant_id: tenant,
            events: vec![last.clone()],
        });
        let mut received = 0;
        while let Some(event) = stream.next().await {
            received += 1;
            if event == last {
                break;
            }
        }
        // The oldest batches were dropped; the newest capacity's worth arrived.
        assert_eq!(received, BROADCAST_CAPACITY);
    }
}
