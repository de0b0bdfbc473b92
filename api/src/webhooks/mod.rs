//! Signed webhooks, driven from the audit table as a transactional outbox: every change writes
//! its audit event in its own transaction, and the dispatcher reads each enabled endpoint's
//! events from the change feed after the endpoint's cursor, delivers them in order, and moves
//! the cursor only after a 2xx. A process killed mid-delivery loses nothing: the cursor has not
//! moved, and the event is delivered again (at least once; receivers deduplicate on
//! `Levier-Event-Id`).
//!
//! - [`address`]: which targets may be reached (server-side request forgery);
//! - [`signature`]: the `Levier-Signature` header and the secrets;
//! - [`event`]: the JSON body of a delivery;
//! - [`client`]: the HTTP client (reqwest with rustls, no redirects, no proxies, timeouts);
//! - [`dispatcher`]: the background task, its leases, retries and backoff.

pub mod address;
pub mod client;
pub mod dispatcher;
pub mod event;
pub mod signature;

use std::sync::OnceLock;

use tokio::sync::watch;

/// The signal that endpoints were registered, changed or enabled in this process: dispatchers
/// that were idle (no enabled endpoint) look again at once instead of at their next check.
fn wake_signal() -> &'static watch::Sender<u64> {
    static SIGNAL: OnceLock<watch::Sender<u64>> = OnceLock::new();
    SIGNAL.get_or_init(|| watch::Sender::new(0))
}

/// Wakes this process's dispatchers (after an endpoint was registered, changed or enabled).
pub fn wake() {
    wake_signal().send_modify(|count| *count = count.wrapping_add(1));
}

/// A receiver of [`wake`]s.
pub(crate) fn wakes() -> watch::Receiver<u64> {
    wake_signal().subscribe()
}
