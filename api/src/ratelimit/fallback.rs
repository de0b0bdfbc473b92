//! Whether Redis answers: after a failure the buckets are local for [`BACKOFF`], then Redis is
//! tried again. Each change is logged once (a warning when Redis is lost, a notice when it is
//! back), and `/readyz` reports the current [`Mode`] with the number of charges that fell back.

use std::{
    sync::{
        Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use serde::Serialize;

/// How long the buckets stay local after Redis failed, before Redis is tried again.
pub const BACKOFF: Duration = Duration::from_secs(1);

/// Where the buckets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "buckets")]
pub enum Mode {
    /// In this process: no Redis is configured.
    Local,
    /// In Redis, shared by every replica.
    Shared,
    /// In this process, because Redis is configured but does not answer.
    #[serde(rename_all = "camelCase")]
    Fallback {
        /// Charges made to the local buckets since the process started, for want of Redis.
        fallback_charges: u64,
    },
}

/// The state of the link to Redis.
#[derive(Debug, Default)]
pub struct Health {
    down: AtomicBool,
    /// While down: when to try Redis again.
    retry_at: Mutex<Option<Instant>>,
    fallback_charges: AtomicU64,
}

impl Health {
    /// Whether to ask Redis now: it is up, or it has been down for [`BACKOFF`].
    pub fn should_try(&self) -> bool {
        if !self.down.load(Ordering::Relaxed) {
            return true;
        }
        let retry_at = self.retry_at.lock().map(|guard| *guard).unwrap_or(None);
        retry_at.is_none_or(|at| Instant::now() >= at)
    }

    /// Redis answered.
    pub fn succeeded(&self) {
        if self.down.swap(false, Ordering::Relaxed) {
            tracing::info!("Redis answers again: the rate limits are shared by every replica");
        }
    }

    /// Redis did not answer (or was not tried): this charge goes to the local buckets.
    pub fn fell_back(&self, cause: Option<&dyn std::fmt::Display>) {
        self.fallback_charges.fetch_add(1, Ordering::Relaxed);
        let Some(cause) = cause else {
            return;
        };
        if let Ok(mut retry_at) = self.retry_at.lock() {
            *retry_at = Some(Instant::now() + BACKOFF);
        }
        if !self.down.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                error = %cause,
                "Redis does not answer: the rate limits fall back to this process's buckets"
            );
        }
    }

    /// The mode this state means.
    pub fn mode(&self) -> Mode {
        if self.down.load(Ordering::Relaxed) {
            Mode::Fallback {
                fallback_charges: self.fallback_charges.load(Ordering::Relaxed),
            }
        } else {
            Mode::Shared
        }
    }
}
