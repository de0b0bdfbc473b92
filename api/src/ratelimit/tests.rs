//! Unit tests of the local buckets and of the waits told to clients.

use std::{net::Ipv4Addr, num::NonZeroU32, time::Duration};

use super::*;
use crate::config::Rate;

fn rate(per_second: u32, burst: u32) -> Rate {
    Rate {
        per_second: NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN),
        burst: NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN),
    }
}

fn limiter(credential: Rate, tenant: Rate) -> RateLimiter {
    RateLimiter::new(&RateLimits {
        credential,
        tenant,
        redis_url: None,
        redis_key_prefix: String::new(),
    })
    .unwrap_or_else(|error| panic!("{error}"))
}

fn payer(tenant: &str, subject: &str) -> Payer {
    Payer {
        credential: format!("cred:{tenant}:{subject}"),
        tenant: Some(format!("tenant:{tenant}")),
    }
}

#[test]
fn waits_are_whole_seconds_rounded_up() {
    assert_eq!(
        RetryAfter(Duration::from_millis(1), Bucket::Credential).seconds(),
        1
    );
    assert_eq!(RetryAfter(Duration::ZERO, Bucket::Credential).seconds(), 1);
    assert_eq!(
        RetryAfter(Duration::from_secs(2), Bucket::Credential).seconds(),
        2
    );
    assert_eq!(
        RetryAfter(Duration::from_millis(2001), Bucket::Credential).seconds(),
        3
    );
}

#[tokio::test]
async fn a_credential_spends_its_burst_then_waits_for_the_refill() {
    let limiter = limiter(rate(10, 100), rate(1000, 100_000));
    let alice = payer("acme", "alice");
    assert_eq!(limiter.charge(&alice, 60).await, Ok(Remaining(40)));
    assert_eq!(limiter.charge(&alice, 40).await, Ok(Remaining(0)));
    let wait = limiter.charge(&alice, 30).await.err().map(|wait| wait.0);
    // 30 units at 10 a second come back in 3 seconds.
    assert!(
        wait.is_some_and(
            |wait| wait > Duration::from_millis(2500) && wait <= Duration::from_secs(3)
        ),
        "{wait:?}"
    );
    assert_eq!(limiter.mode(), Mode::Local);
}

#[tokio::test]
async fn credentials_have_their_own_budgets_and_share_their_tenants() {
    let limiter = limiter(rate(1, 100), rate(1, 150));
    let (alice, bob, carol) = (
        payer("acme", "alice"),
        payer("acme", "bob"),
        payer("globex", "carol"),
    );
    let short = |charge: Result<Remaining, RetryAfter>| charge.err().map(|wait| wait.1);
    assert!(limiter.charge(&alice, 100).await.is_ok());
    assert_eq!(
        short(limiter.charge(&alice, 1).await),
        Some(Bucket::Credential)
    );
    // Bob's own bucket is full, but the tenant has 50 left.
    assert_eq!(limiter.charge(&bob, 40).await, Ok(Remaining(10)));
    assert_eq!(short(limiter.charge(&bob, 40).await), Some(Bucket::Tenant));
    assert_eq!(limiter.charge(&carol, 100).await, Ok(Remaining(0)));
}

#[tokio::test]
async fn a_request_costlier_than_the_burst_takes_a_full_bucket() {
    let limiter = limiter(rate(1, 10), rate(1, 1000));
    let alice = payer("acme", "alice");
    assert_eq!(limiter.charge(&alice, 5000).await, Ok(Remaining(0)));
    assert!(limiter.charge(&alice, 1).await.is_err());
}

#[tokio::test]
async fn anonymous_callers_spend_by_address() {
    let limiter = limiter(rate(1, 5), rate(1, 1000));
    let here = Payer::anonymous(Some(Ipv4Addr::LOCALHOST.into()));
    let there = Payer::anonymous(Some(Ipv4Addr::new(192, 0, 2, 1).into()));
    assert!(limiter.charge(&here, 5).await.is_ok());
    assert!(limiter.charge(&here, 1).await.is_err());
    assert!(limiter.charge(&there, 5).await.is_ok());
}

#[tokio::test]
async fn an_unreachable_redis_falls_back_to_the_local_buckets() {
    let limiter = RateLimiter::new(&RateLimits {
        credential: rate(1, 10),
        tenant: rate(1, 1000),
        // A port nothing listens on (the discard service).
        redis_url: Some("redis://127.0.0.1:9".to_owned()),
        redis_key_prefix: "levier-unit:".to_owned(),
    })
    .unwrap_or_else(|error| panic!("{error}"));
    let alice = payer("acme", "alice");
    assert_eq!(limiter.charge(&alice, 4).await, Ok(Remaining(6)));
    assert_eq!(limiter.charge(&alice, 6).await, Ok(Remaining(0)));
    assert!(limiter.charge(&alice, 1).await.is_err());
    assert_eq!(
        limiter.mode(),
        Mode::Fallback {
            fallback_charges: 3
        }
    );
}
