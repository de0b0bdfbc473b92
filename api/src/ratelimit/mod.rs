//! Rate limits in cost units: every request spends from two budgets, its credential's and its
//! tenant's, each a bucket refilled at a steady rate up to a burst (GCRA, the generic cell rate
//! algorithm, which is a token bucket kept as one timestamp). A GraphQL request spends its
//! admitted cost (`graphql::limits::cost`, at least 1), a subscription its cost when it starts,
//! the CSV exports [`EXPORT_COST`] and the plan document [`DOCUMENT_COST`]. When either budget
//! is short the request is refused with the wait until it would pass.
//!
//! The buckets live in this process (`local.rs`, the `governor` crate), or, with
//! `LEVIER_REDIS_URL`, in Redis, where every replica draws from the same ones (`redis.rs`, one
//! Lua script checking and charging both buckets atomically). When Redis does not answer
//! within [`redis::TIMEOUT`], the request is charged to the local buckets instead and the
//! server says so in its log, once per change, and in `/readyz` (`fallback.rs`): a Redis
//! outage loosens the limits (each replica enforces them alone) but never fails a request.
//!
//! Both budgets must hold the units. In Redis the script charges neither when one is short. In
//! the local buckets the credential is charged first, then the tenant: a request refused by
//! its tenant's budget has still spent its credential's units (and only its own credential's),
//! so a credential refused never drains its tenant for the others. A request costing more than
//! a whole burst is charged the burst: it passes from a full bucket, and empties it.
//!
//! Unauthenticated requests (schema reads, GraphiQL's introspection) have no credential and no
//! tenant: they spend from a bucket of their client's IP address, with the credential's rate.

mod fallback;
mod local;
pub mod redis;

use std::{net::IpAddr, num::NonZeroU32, time::Duration};

use thiserror::Error;

use crate::{config::RateLimits, domain::Session};
pub use fallback::Mode;
use local::LocalBuckets;
use redis::SharedBuckets;

/// What a CSV export spends from the budgets: about a page of a thousand rows' worth of work.
pub const EXPORT_COST: u64 = 100;

/// What the plan document spends from the budgets: one plan read whole.
pub const DOCUMENT_COST: u64 = 50;

/// Who pays for a request: the buckets it spends from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payer {
    /// The key of the credential's bucket (or of the client address's).
    credential: String,
    /// The key of the tenant's bucket; `None` for an unauthenticated caller.
    tenant: Option<String>,
}

impl Payer {
    /// The credential of `session` (its token's subject or its API key) and its tenant.
    pub fn of_session(session: &Session) -> Self {
        let principal = session.principal();
        Self {
            credential: format!("cred:{}:{}", principal.tenant_key, principal.subject),
            tenant: Some(format!("tenant:{}", principal.tenant_key)),
        }
    }

    /// An unauthenticated caller, by its address (`None` when the transport does not tell it:
    /// all such callers then share one bucket).
    pub fn anonymous(peer: Option<IpAddr>) -> Self {
        Self {
            credential: match peer {
                Some(address) => format!("peer:{address}"),
                None => "peer:unknown".to_owned(),
            },
            tenant: None,
        }
    }
}

/// What is left of the budgets after a charge: the lower of the credential's and the tenant's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remaining(pub u64);

/// A refusal: how long until the request would pass, and which budget was short (the one
/// with the longer wait, when both were).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration, pub Bucket);

/// One of a payer's two budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// The credential's (or an unauthenticated client address's).
    Credential,
    /// The tenant's, shared by its credentials.
    Tenant,
}

impl Bucket {
    /// Its name: `credential` or `tenant`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Credential => "credential",
            Self::Tenant => "tenant",
        }
    }
}

impl RetryAfter {
    /// The wait in whole seconds, rounded up (at least 1), as `Retry-After` gives it.
    pub fn seconds(self) -> u64 {
        let whole = self.0.as_secs();
        let seconds = if self.0.subsec_nanos() > 0 {
            whole + 1
        } else {
            whole
        };
        seconds.max(1)
    }
}

/// A rate-limit setting that cannot be used.
#[derive(Debug, Error)]
pub enum RateLimitError {
    /// `LEVIER_REDIS_URL` is not a Redis URL.
    #[error("LEVIER_REDIS_URL: {0}")]
    RedisUrl(#[source] ::redis::RedisError),
}

/// The rate limiter every endpoint charges.
pub struct RateLimiter {
    local: LocalBuckets,
    shared: Option<SharedBuckets>,
}

impl RateLimiter {
    /// Buckets for `limits`: in Redis when it names one, in this process otherwise.
    pub fn new(limits: &RateLimits) -> Result<Self, RateLimitError> {
        let shared = match &limits.redis_url {
            Some(url) => Some(SharedBuckets::new(url, limits).map_err(RateLimitError::RedisUrl)?),
            None => None,
        };
        Ok(Self {
            local: LocalBuckets::new(limits),
            shared,
        })
    }

    /// Charges `units` (at least 1) to `payer`'s buckets: what remains, or how long to wait.
    pub async fn charge(&self, payer: &Payer, units: u64) -> Result<Remaining, RetryAfter> {
        let units = NonZeroU32::new(u32::try_from(units.max(1)).unwrap_or(u32::MAX))
            .unwrap_or(NonZeroU32::MIN);
        if let Some(shared) = &self.shared
            && let Some(decision) = shared.charge(payer, units).await
        {
            return decision;
        }
        self.local.charge(payer, units)
    }

    /// Where the buckets are kept now, for `/readyz`.
    pub fn mode(&self) -> Mode {
        match &self.shared {
            Some(shared) => shared.mode(),
            None => Mode::Local,
        }
    }
}

#[cfg(test)]
mod tests;
