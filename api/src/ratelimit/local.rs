//! The buckets of one process: `governor`'s keyed GCRA limiters, one for credentials (and
//! client addresses), one for tenants. The credential is charged first, then the tenant (see
//! the module above for why).

use std::{
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    state::keyed::DefaultKeyedStateStore,
};

use super::{Bucket, Payer, Remaining, RetryAfter};
use crate::config::{Rate, RateLimits};

/// Keyed buckets that tell what remains after a charge.
type Buckets =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// How many charges between two sweeps of the full buckets (which hold nothing worth keeping).
const SWEEP_EVERY: u64 = 4096;

/// The buckets of this process.
pub struct LocalBuckets {
    credentials: Buckets,
    credential_burst: NonZeroU32,
    tenants: Buckets,
    tenant_burst: NonZeroU32,
    clock: DefaultClock,
    charges: AtomicU64,
}

fn buckets(rate: Rate) -> Buckets {
    RateLimiter::keyed(Quota::per_second(rate.per_second).allow_burst(rate.burst))
        .with_middleware::<StateInformationMiddleware>()
}

impl LocalBuckets {
    /// Empty buckets for `limits` (a bucket starts full).
    pub fn new(limits: &RateLimits) -> Self {
        Self {
            credentials: buckets(limits.credential),
            credential_burst: limits.credential.burst,
            tenants: buckets(limits.tenant),
            tenant_burst: limits.tenant.burst,
            clock: DefaultClock::default(),
            charges: AtomicU64::new(0),
        }
    }

    /// Charges `units` to the credential's bucket, then to the tenant's.
    pub fn charge(&self, payer: &Payer, units: NonZeroU32) -> Result<Remaining, RetryAfter> {
        if self.charges.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.credentials.retain_recent();
            self.tenants.retain_recent();
        }
        let mut remaining = self
            .charge_one(
                &self.credentials,
                &payer.credential,
                units.min(self.credential_burst),
            )
            .map_err(|wait| RetryAfter(wait, Bucket::Credential))?;
        if let Some(tenant) = &payer.tenant {
            remaining = remaining.min(
                self.charge_one(&self.tenants, tenant, units.min(self.tenant_burst))
                    .map_err(|wait| RetryAfter(wait, Bucket::Tenant))?,
            );
        }
        Ok(Remaining(remaining))
    }

    /// Charges `units` (at most the burst) to the bucket `key` of `buckets`: what remains, or
    /// the wait.
    fn charge_one(
        &self,
        buckets: &Buckets,
        key: &String,
        units: NonZeroU32,
    ) -> Result<u64, Duration> {
        match buckets.check_key_n(key, units) {
            Ok(Ok(snapshot)) => Ok(u64::from(snapshot.remaining_burst_capacity())),
            Ok(Err(not_until)) => Err(not_until.wait_time_from(self.clock.now())),
            // Not reached: `units` is at most the burst.
            Err(insufficient) => Err(Duration::from_secs(u64::from(insufficient.0))),
        }
    }
}
