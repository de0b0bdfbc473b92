//! An open-loop client: requests sent at a fixed rate, paced by a tokio interval, each in its
//! own task, whether or not the previous ones have been answered — as independent users or a
//! BI tool on a timer do, unlike the closed loop of `bounded.rs`, which waits for an answer
//! before it sends again and so slows down with the server. A request's latency is counted
//! from the instant it was scheduled, not from when its task got to send it, so that a late
//! client (or a saturated runtime) shows in the figures instead of hiding in them.

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use hdrhistogram::Histogram;
use reqwest::{StatusCode, header};
use tokio::{
    task::JoinSet,
    time::{Instant, MissedTickBehavior},
};

use crate::bounded::{histogram, record};

/// One tenant's request: where, as whom, what.
#[derive(Clone)]
pub struct Target {
    /// The tenant's own HTTP client (its own connections, as a separate client would have).
    pub http: reqwest::Client,
    /// `http://127.0.0.1:PORT/graphql`.
    pub url: Arc<str>,
    /// `Bearer <token>`.
    pub authorization: Arc<str>,
    /// The JSON GraphQL request.
    pub body: Arc<str>,
}

/// When and how fast to send.
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    /// Requests per second.
    pub rate_per_second: f64,
    /// The first request is sent then.
    pub start: Instant,
    /// Requests scheduled before this instant are sent but not counted (the noisy tenant
    /// spends its burst before the measured window opens).
    pub measure_from: Instant,
    /// No request is scheduled at or after this instant.
    pub end: Instant,
    /// No more than this many counted requests are sent.
    pub max_measured: u64,
}

/// How the server answered one request.
#[derive(Debug)]
enum Answer {
    /// 200 without `errors`.
    Served,
    /// 429 `RATE_LIMITED` with a `Retry-After`.
    Limited,
    /// Anything else, with the status and the start of the body.
    Failed(String),
}

/// What one tenant's requests of one phase got.
pub struct Tally {
    /// Counted requests sent.
    pub sent: u64,
    /// Of them, answered 200 without errors.
    pub served: u64,
    /// Of them, refused with 429 `RATE_LIMITED` and a `Retry-After`.
    pub limited: u64,
    /// Of them, anything else (transport error, other status, `errors` in a 200).
    pub errors: u64,
    /// The first of those errors.
    pub first_error: Option<String>,
    /// Requests sent before the measured window, not counted above.
    pub unmeasured: u64,
    /// The measured window: from its opening to one period after the last counted request was
    /// scheduled (the requests' answers may come later).
    pub elapsed: Duration,
    /// Latency of every counted request, in microseconds.
    pub latency: Histogram<u64>,
    /// Latency of the counted requests refused with 429, in microseconds.
    pub limited_latency: Histogram<u64>,
}

impl Tally {
    /// Counted requests served per second of the measured window.
    pub fn served_per_second(&self) -> f64 {
        per_second(self.served, self.elapsed)
    }
}

fn per_second(count: u64, elapsed: Duration) -> f64 {
    let seconds = elapsed.as_secs_f64();
    if seconds > 0.0 {
        count as f64 / seconds
    } else {
        0.0
    }
}

/// Sends `target`'s request at `pacing.rate_per_second` from `pacing.start` until
/// `pacing.end` (or until `pacing.max_measured` counted requests), then waits for every answer.
pub async fn run(target: &Target, pacing: Pacing) -> anyhow::Result<Tally> {
    let period = Duration::from_secs_f64(1.0 / pacing.rate_per_second);
    let mut interval = tokio::time::interval_at(pacing.start, period);
    // A tick missed (the runtime was busy) is sent at once, so the rate holds on average.
    interval.set_missed_tick_behavior(MissedTickBehavior::Burst);
    let mut tasks = JoinSet::new();
    let mut tally = Tally {
        sent: 0,
        served: 0,
        limited: 0,
        errors: 0,
        first_error: None,
        unmeasured: 0,
        elapsed: Duration::ZERO,
        latency: histogram()?,
        limited_latency: histogram()?,
    };
    loop {
        let scheduled = interval.tick().await;
        if scheduled >= pacing.end || tally.sent >= pacing.max_measured {
            break;
        }
        let measured = scheduled >= pacing.measure_from;
        if measured {
            tally.sent += 1;
            tally.elapsed = (scheduled + period).duration_since(pacing.measure_from);
        } else {
            tally.unmeasured += 1;
        }
        let target = target.clone();
        tasks.spawn(async move {
            let answer = send(&target).await;
            (measured, scheduled.elapsed(), answer)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let (measured, latency, answer) = joined.context("a request task panicked")?;
        if !measured {
            continue;
        }
        record(&mut tally.latency, latency);
        match answer {
            Answer::Served => tally.served += 1,
            Answer::Limited => {
                tally.limited += 1;
                record(&mut tally.limited_latency, latency);
            }
            Answer::Failed(error) => {
                tally.errors += 1;
                tally.first_error.get_or_insert(error);
            }
        }
    }
    Ok(tally)
}

async fn send(target: &Target) -> Answer {
    let sent = target
        .http
        .post(&*target.url)
        .header(header::AUTHORIZATION, &*target.authorization)
        .header(header::CONTENT_TYPE, "application/json")
        .body(target.body.to_string())
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(error) => return Answer::Failed(format!("request failed: {error}")),
    };
    let status = response.status();
    let has_retry_after = response.headers().contains_key(header::RETRY_AFTER);
    let bytes = match response.bytes().await {
        Ok(bytes) => bytes,
        Err(error) => return Answer::Failed(format!("reading the response failed: {error}")),
    };
    classify(status, has_retry_after, &bytes)
}

fn classify(status: StatusCode, has_retry_after: bool, body: &[u8]) -> Answer {
    if status == StatusCode::OK && !crate::has_errors(body) {
        return Answer::Served;
    }
    let rate_limited = body
        .windows(b"\"RATE_LIMITED\"".len())
        .any(|window| window == b"\"RATE_LIMITED\"");
    if status == StatusCode::TOO_MANY_REQUESTS && has_retry_after && rate_limited {
        return Answer::Limited;
    }
    let start = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
    Answer::Failed(format!("HTTP {status}: {start}"))
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;

    use super::{Answer, classify};

    #[test]
    fn a_refusal_needs_429_its_code_and_a_retry_after() {
        let refusal = br#"{"errors":[{"message":"rate limit exceeded","extensions":{"code":"RATE_LIMITED","retryAfter":1}}]}"#;
        assert!(matches!(
            classify(StatusCode::TOO_MANY_REQUESTS, true, refusal),
            Answer::Limited
        ));
        assert!(matches!(
            classify(StatusCode::TOO_MANY_REQUESTS, false, refusal),
            Answer::Failed(_)
        ));
        assert!(matches!(
            classify(
                StatusCode::OK,
                false,
                br#"{"data":{"plans":null},"errors":[]}"#
            ),
            Answer::Failed(_)
        ));
        assert!(matches!(
            classify(StatusCode::OK, false, br#"{"data":{"plans":{}}}"#),
            Answer::Served
        ));
    }
}
