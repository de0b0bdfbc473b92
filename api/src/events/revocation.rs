//! API-key revocations, announced to every server process so that the connections a revoked key
//! authenticated (WebSockets, which outlive the request that checked the key) end at once,
//! wherever they are served.
//!
//! They travel like measurements ([`super`]): on PostgreSQL with `pg_notify` inside the
//! transaction that revokes the key, so that every process's [`super::listener`] receives the
//! revocation when (and only if) it commits; on SQLite through this process's broadcast, after
//! the commit.
//!
//! An announcement can be lost: while the listener reconnects to PostgreSQL, or when a watcher
//! falls behind the broadcast. Either way the watchers are told ([`KeyNotice::MaybeMissed`]),
//! and check their key against the database.

use futures::Stream;
use sea_orm::DatabaseTransaction;
use serde::Deserialize;
use tokio::sync::broadcast::{self, error::RecvError};
use uuid::Uuid;

use super::{Delivery, EventBus};
use crate::store::{self, Scoped, StoreResult};

/// The PostgreSQL notification channel revocations are announced on.
pub const REVOCATIONS_CHANNEL: &str = "levier_api_key_revocations";

/// How many signals the local broadcast keeps for a watcher that has not read them yet.
pub(super) const CAPACITY: usize = 256;

/// A revoked key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Revocation {
    /// The key's tenant.
    #[serde(rename = "t")]
    pub tenant_id: Uuid,
    /// The key.
    #[serde(rename = "k")]
    pub key_id: Uuid,
}

/// What the local broadcast carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Signal {
    /// A key was revoked.
    Revoked(Revocation),
    /// Announcements may have been lost.
    MaybeMissed,
}

/// What the watcher of one key learns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyNotice {
    /// The key was revoked.
    Revoked,
    /// A revocation may have gone unannounced: check the key.
    MaybeMissed,
}

impl EventBus {
    /// Commits `transaction`, which revoked the key `key_id` of its tenant, and announces the
    /// revocation to every process if, and only if, the transaction commits. Use it in place of
    /// `transaction.commit()`.
    pub async fn commit_revocation(
        &self,
        transaction: Scoped<DatabaseTransaction>,
        key_id: Uuid,
    ) -> StoreResult<()> {
        let revocation = Revocation {
            tenant_id: transaction.tenant_id(),
            key_id,
        };
        match self.inner.delivery {
            Delivery::Postgres => {
                let payload = encode(&revocation);
                store::notify::notify(&transaction, REVOCATIONS_CHANNEL, &[payload]).await?;
                transaction.commit().await
            }
            Delivery::Local => {
                transaction.commit().await?;
                self.deliver_revocation(revocation);
                Ok(())
            }
        }
    }

    /// Hands a committed revocation to this process's watchers.
    pub(crate) fn deliver_revocation(&self, revocation: Revocation) {
        // An error only means that nobody watches right now.
        let _ = self.inner.revocations.send(Signal::Revoked(revocation));
    }

    /// Tells this process's watchers that announcements may have been lost.
    pub(crate) fn revocations_maybe_missed(&self) {
        let _ = self.inner.revocations.send(Signal::MaybeMissed);
    }

    /// A watch on the revocations announced from now on. Start it before checking a key, so
    /// that a revocation committed in between is not missed; then narrow it to the key with
    /// [`KeyWatch::of`].
    pub fn watch_api_keys(&self) -> KeyWatch {
        KeyWatch(self.inner.revocations.subscribe())
    }
}

/// The revocations announced since [`EventBus::watch_api_keys`].
#[derive(Debug)]
pub struct KeyWatch(broadcast::Receiver<Signal>);

impl KeyWatch {
    /// What concerns the key `key_id` of `tenant_id`: its revocation, and each time an
    /// announcement may have been lost. The stream ends only when the bus is gone.
    pub fn of(
        self,
        tenant_id: Uuid,
        key_id: Uuid,
    ) -> impl Stream<Item = KeyNotice> + Send + 'static {
        let watched = Revocation { tenant_id, key_id };
        futures::stream::unfold(self.0, move |mut receiver| async move {
            loop {
                let notice = match receiver.recv().await {
                    Ok(Signal::Revoked(revocation)) if revocation == watched => KeyNotice::Revoked,
                    Ok(Signal::Revoked(_)) => continue,
                    Ok(Signal::MaybeMissed) | Err(RecvError::Lagged(_)) => KeyNotice::MaybeMissed,
                    Err(RecvError::Closed) => return None,
                };
                return Some((notice, receiver));
            }
        })
    }
}

/// The payload of a revocation's notification.
pub fn encode(revocation: &Revocation) -> String {
    format!(
        "{{\"t\":\"{}\",\"k\":\"{}\"}}",
        revocation.tenant_id, revocation.key_id
    )
}

/// The revocation a notification's payload announces.
pub fn decode(payload: &str) -> Result<Revocation, serde_json::Error> {
    serde_json::from_str(payload)
}

#[cfg(test)]
mod tests {
    use futures::StreamExt;
    use sea_orm::DbBackend;

    use super::*;

    #[test]
    fn a_payload_reads_back() {
        let revocation = Revocation {
            tenant_id: Uuid::now_v7(),
            key_id: Uuid::now_v7(),
        };
        assert_eq!(decode(&encode(&revocation)).ok(), Some(revocation));
        assert!(decode("{\"t\":\"nope\"}").is_err());
    }

    #[tokio::test]
    async fn a_watcher_learns_of_its_key_and_of_possible_losses_only() {
        let bus = EventBus::new(DbBackend::Sqlite);
        let (tenant_id, key_id) = (Uuid::now_v7(), Uuid::now_v7());
        let mut notices = Box::pin(bus.watch_api_keys().of(tenant_id, key_id));
        // Another key of the tenant, and the same id in another tenant: not this key.
        bus.deliver_revocation(Revocation {
            tenant_id,
            key_id: Uuid::now_v7(),
        });
        bus.deliver_revocation(Revocation {
            tenant_id: Uuid::now_v7(),
            key_id,
        });
        bus.revocations_maybe_missed();
        bus.deliver_revocation(Revocation { tenant_id, key_id });
        assert_eq!(notices.next().await, Some(KeyNotice::MaybeMissed));
        assert_eq!(notices.next().await, Some(KeyNotice::Revoked));
    }

    #[tokio::test]
    async fn a_watcher_that_falls_behind_is_told_it_may_have_missed_one() {
        let bus = EventBus::new(DbBackend::Sqlite);
        let (tenant_id, key_id) = (Uuid::now_v7(), Uuid::now_v7());
        let mut notices = Box::pin(bus.watch_api_keys().of(tenant_id, key_id));
        for _ in 0..CAPACITY + 1 {
            bus.deliver_revocation(Revocation {
                tenant_id,
                key_id: Uuid::now_v7(),
            });
        }
        assert_eq!(notices.next().await, Some(KeyNotice::MaybeMissed));
    }
}
