//! The buckets in Redis, shared by every replica: GCRA in one Lua script (run by `EVALSHA`),
//! which reads Redis's clock, checks both of a payer's buckets and charges both or neither.
//! A bucket is one key holding its theoretical arrival time in microseconds, expiring when the
//! bucket is full again.
//!
//! Every call is bounded by [`TIMEOUT`]; one that fails or times out makes the caller use the
//! local buckets (`fallback.rs`).

use std::{num::NonZeroU32, sync::Mutex, time::Duration};

use redis::{
    Client, RedisError, RedisResult, Script,
    aio::{ConnectionManager, ConnectionManagerConfig},
};

use super::{
    Bucket, Payer, Remaining, RetryAfter,
    fallback::{Health, Mode},
};
use crate::config::{Rate, RateLimits};

/// The longest a charge waits for Redis before it falls back to the local buckets.
pub const TIMEOUT: Duration = Duration::from_millis(50);

/// KEYS: the buckets. ARGV[1]: the units; then, for each bucket, its emission interval (the
/// microseconds one unit takes to come back) and its burst. Answers `{1, remaining, 0}` (the
/// lowest of the buckets, in units) or `{0, wait, short}` (microseconds until all would hold
/// it, and the position in KEYS of the bucket with the longest wait).
const GCRA: &str = r"
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local units = tonumber(ARGV[1])
local arrivals = {}
local remaining = -1
local wait = 0
local short = 0
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[2 * i])
  local burst = tonumber(ARGV[2 * i + 1])
  local charged = math.min(units, burst)
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  local arrival = tat + charged * interval
  local allowed_at = arrival - burst * interval
  if allowed_at > now then
    if allowed_at - now > wait then
      wait = allowed_at - now
      short = i
    end
  else
    arrivals[i] = math.ceil(arrival)
    local left = math.floor((now + burst * interval - arrival) / interval)
    if remaining < 0 or left < remaining then remaining = left end
  end
end
if wait > 0 then return {0, math.ceil(wait), short} end
for i, key in ipairs(KEYS) do
  local ttl = math.ceil((arrivals[i] - now) / 1000) + 1
  redis.call('SET', key, string.format('%.0f', arrivals[i]), 'PX', ttl)
end
return {1, remaining, 0}
";

/// The buckets in Redis, and the link to it.
pub struct SharedBuckets {
    client: Client,
    /// Made on first use, then kept (it reconnects by itself).
    connection: Mutex<Option<ConnectionManager>>,
    script: Script,
    prefix: String,
    credential: Rate,
    tenant: Rate,
    health: Health,
}

/// A bucket's arguments to the script: its emission interval in microseconds, and its burst.
fn arguments(rate: Rate) -> [String; 2] {
    [
        (1_000_000.0 / f64::from(rate.per_second.get())).to_string(),
        rate.burst.to_string(),
    ]
}

impl SharedBuckets {
    /// Buckets in the Redis at `url` (not contacted yet).
    pub fn new(url: &str, limits: &RateLimits) -> RedisResult<Self> {
        Ok(Self {
            client: Client::open(url)?,
            connection: Mutex::new(None),
            script: Script::new(GCRA),
            prefix: limits.redis_key_prefix.clone(),
            credential: limits.credential,
            tenant: limits.tenant,
            health: Health::default(),
        })
    }

    /// Where the buckets are kept now.
    pub fn mode(&self) -> Mode {
        self.health.mode()
    }

    /// Charges `units` to `payer`'s buckets in Redis; `None` when Redis is down or does not
    /// answer in time (the caller then charges the local buckets).
    pub async fn charge(
        &self,
        payer: &Payer,
        units: NonZeroU32,
    ) -> Option<Result<Remaining, RetryAfter>> {
        if !self.health.should_try() {
            self.health.fell_back(None);
            return None;
        }
        match tokio::time::timeout(TIMEOUT, self.run(payer, units)).await {
            Ok(Ok(answer)) => {
                self.health.succeeded();
                Some(answer)
            }
            Ok(Err(error)) => {
                self.health.fell_back(Some(&error));
                None
            }
            Err(elapsed) => {
                self.health.fell_back(Some(&elapsed));
                None
            }
        }
    }

    async fn run(
        &self,
        payer: &Payer,
        units: NonZeroU32,
    ) -> RedisResult<Result<Remaining, RetryAfter>> {
        let mut connection = self.connection().await?;
        let mut invocation = self.script.prepare_invoke();
        invocation.key(format!("{}{}", self.prefix, payer.credential));
        if let Some(tenant) = &payer.tenant {
            invocation.key(format!("{}{tenant}", self.prefix));
        }
        invocation
            .arg(units.get())
            .arg(&arguments(self.credential)[..]);
        if payer.tenant.is_some() {
            invocation.arg(&arguments(self.tenant)[..]);
        }
        let (allowed, value, short): (i64, i64, i64) =
            invocation.invoke_async(&mut connection).await?;
        let value = u64::try_from(value).unwrap_or(0);
        Ok(if allowed == 1 {
            Ok(Remaining(value))
        } else {
            // KEYS holds the credential's bucket first, then the tenant's.
            let bucket = if short == 2 {
                Bucket::Tenant
            } else {
                Bucket::Credential
            };
            Err(RetryAfter(Duration::from_micros(value), bucket))
        })
    }

    /// The connection, made now if there is none yet.
    async fn connection(&self) -> Result<ConnectionManager, RedisError> {
        if let Some(connection) = self.connection.lock().ok().and_then(|held| held.clone()) {
            return Ok(connection);
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(TIMEOUT)
            .set_response_timeout(TIMEOUT)
            .set_number_of_retries(1);
        let connection = ConnectionManager::new_with_config(self.client.clone(), config).await?;
        if let Ok(mut held) = self.connection.lock() {
            *held = Some(connection.clone());
        }
        Ok(connection)
    }
}
