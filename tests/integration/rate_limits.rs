//! Rate limits in cost units: a credential over its budget is refused with 429 `RATE_LIMITED`,
//! `Retry-After` and `extensions.retryAfter` on every endpoint (GraphQL, both CSV exports, the
//! plan document, a subscription's start); credentials of a tenant share its budget, tenants
//! do not; answers carry `extensions.cost.budgetRemaining`; two servers on one Redis enforce
//! one budget, and a Redis that does not answer leaves each server its own buckets; a Redis
//! that goes down mid-run costs no request, and the buckets go back to it once it is back.

use std::{
    net::{Ipv4Addr, TcpListener},
    num::NonZeroU32,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use levier::config::{Config, Rate};
use reqwest::{StatusCode, header::RETRY_AFTER};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::{
    subscriptions::{connect_as, refusal_errors, send},
    support::{TestApp, base_claims, create_plan, error_code, mint},
};

/// A query costing 100 (a page of 100 plans).
const HUNDRED: &str = "{ plans(first: 100) { nodes { id } } }";

/// The Redis CI starts (`.ci/run`).
const REDIS_URL: &str = "redis://127.0.0.1:6379";

fn rate(per_second: u32, burst: u32) -> Rate {
    Rate {
        per_second: NonZeroU32::new(per_second).unwrap(),
        burst: NonZeroU32::new(burst).unwrap(),
    }
}

/// A server whose credentials hold 150 units (refilled at 1 a second) and tenants 250.
async fn tight(adjust: impl FnOnce(&mut Config)) -> TestApp {
    TestApp::spawn_with(|config| {
        config.rate_limits.credential = rate(1, 150);
        config.rate_limits.tenant = rate(1, 250);
        adjust(config);
    })
    .await
}

/// A token of `subject` in `tenant`, each subject a credential of its own.
fn token_of(tenant: &str, subject: &str) -> String {
    let mut claims = base_claims(tenant, "viewer");
    claims.sub = subject.to_owned();
    mint(&claims)
}

/// A key prefix no other test (or run) uses, so that their buckets in Redis are apart.
fn unique_prefix() -> String {
    format!("levier-test:{}:", uuid::Uuid::new_v4())
}

/// Checks a refusal's status, `Retry-After` and body: 429, a wait of at most `most` seconds
/// (and more than `most` - 5: the budget refills at 1 unit a second), told alike in the
/// header and in `extensions.retryAfter`.
fn assert_rate_limited(status: StatusCode, retry_after: Option<u64>, body: &Value, most: u64) {
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(error_code(body), Some("RATE_LIMITED"), "{body}");
    let seconds = retry_after.unwrap_or_else(|| panic!("no Retry-After: {body}"));
    assert!(
        seconds <= most && seconds + 5 > most,
        "Retry-After {seconds}, expected about {most}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["retryAfter"],
        json!(seconds)
    );
}

/// `POST /graphql` of `query` as `token`: status, `Retry-After` and body.
async fn graphql(app: &TestApp, token: &str, query: &str) -> (StatusCode, Option<u64>, Value) {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap();
    read(response).await
}

/// `GET path` as `token`: status, `Retry-After` and body (JSON when it is).
async fn get(app: &TestApp, token: &str, path: &str) -> (StatusCode, Option<u64>, Value) {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    read(response).await
}

async fn read(response: reqwest::Response) -> (StatusCode, Option<u64>, Value) {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok());
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, retry_after, body)
}

fn remaining(body: &Value) -> u64 {
    body["extensions"]["cost"]["budgetRemaining"]
        .as_u64()
        .unwrap_or_else(|| panic!("no budgetRemaining: {body}"))
}

#[tokio::test]
async fn graphql_answers_429_with_the_wait_and_reports_what_remains() {
    let app = tight(|_| {}).await;
    let alice = token_of("acme", "alice");
    let (status, _, body) = graphql(&app, &alice, HUNDRED).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["extensions"]["cost"]["requested"], 100, "{body}");
    let first = remaining(&body);
    assert!((50..=52).contains(&first), "{body}");
    let (_, _, body) = graphql(&app, &alice, "{ plans(first: 10) { nodes { id } } }").await;
    let second = remaining(&body);
    assert!(second < first && second >= 40, "{first} then {second}");
    // 100 more need about 60 seconds of refill.
    let (status, retry_after, body) = graphql(&app, &alice, HUNDRED).await;
    assert_rate_limited(status, retry_after, &body, 60);
    assert!(body.get("data").is_none(), "{body}");

    // Without a credential, the client's address pays, at the credential's rate: the schema
    // read by introspection costs 10.
    let anonymous = json!({ "query": "{ __schema { queryType { name } } }" });
    for _ in 0..15 {
        let (status, body) = app.post(None, &[], &anonymous).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = app.post(None, &[], &anonymous).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
}

#[tokio::test]
async fn the_exports_and_the_document_answer_429_with_the_wait() {
    let app = tight(|config| config.rate_limits.tenant = rate(1, 100_000)).await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Spring").await;

    // An export costs 100: one passes, the next waits for 50 more units.
    for (subject, path) in [
        ("bi-1", "/export/measurements.csv?kpis=clicks"),
        (
            "bi-2",
            "/export/kpi-series.csv?kpis=clicks&from=2027-01-01&to=2027-01-31&grain=DAY",
        ),
    ] {
        let token = token_of("acme", subject);
        let (status, _, body) = get(&app, &token, path).await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "{path}: {body}");
        let (status, retry_after, body) = get(&app, &token, path).await;
        assert_rate_limited(status, retry_after, &body, 50);
    }

    // The document costs 50: three pass, the fourth waits.
    let reader = token_of("acme", "reader");
    let path = format!("/plans/{plan}/document.md");
    for _ in 0..3 {
        let (status, _, body) = get(&app, &reader, &path).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, retry_after, body) = get(&app, &reader, &path).await;
    assert_rate_limited(status, retry_after, &body, 50);
}

#[tokio::test]
async fn a_subscription_start_over_the_budget_is_refused() {
    let app = tight(|_| {}).await;
    let alice = token_of("acme", "alice");
    let mut socket = connect_as(&app, &alice).await;
    let (status, _, body) = graphql(&app, &alice, HUNDRED).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, body) = graphql(&app, &alice, "{ plans(first: 50) { nodes { id } } }").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    send(
        &mut socket,
        json!({ "id": "1", "type": "subscribe", "payload": {
            "query": "subscription { measurementRecorded { change } }",
        } }),
    )
    .await;
    let errors = refusal_errors(&mut socket, "1").await;
    assert_eq!(
        errors[0]["extensions"]["code"], "RATE_LIMITED",
        "{errors:?}"
    );
    assert!(
        errors[0]["extensions"]["retryAfter"]
            .as_u64()
            .is_some_and(|seconds| seconds >= 1),
        "{errors:?}"
    );
}

#[tokio::test]
async fn credentials_share_their_tenant_s_budget_and_tenants_do_not() {
    let app = tight(|_| {}).await;
    // Alice spends 100 of her 150 and of her tenant's 250; Bob 100 of his and of the tenant's.
    for subject in ["alice", "bob"] {
        let (status, _, body) = graphql(&app, &token_of("acme", subject), HUNDRED).await;
        assert_eq!(status, StatusCode::OK, "{subject}: {body}");
    }
    // Carol's own bucket is full, but her tenant has about 50 left.
    let (status, retry_after, body) = graphql(&app, &token_of("acme", "carol"), HUNDRED).await;
    assert_rate_limited(status, retry_after, &body, 50);
    let (status, _, body) = graphql(
        &app,
        &token_of("acme", "carol"),
        "{ plans(first: 20) { nodes { id } } }",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Another tenant's budgets are whole.
    let (status, _, body) = graphql(&app, &token_of("globex", "alice"), HUNDRED).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!((50..=52).contains(&remaining(&body)), "{body}");
}

#[tokio::test]
async fn two_servers_on_one_redis_enforce_one_budget() {
    let prefix = unique_prefix();
    let shared = |config: &mut Config| {
        config.rate_limits.redis_url = Some(REDIS_URL.to_owned());
        config.rate_limits.redis_key_prefix = prefix.clone();
    };
    let first = tight(shared).await;
    let second = tight(shared).await;
    let alice = token_of("acme", "alice");
    let (status, _, body) = graphql(&first, &alice, HUNDRED).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!((50..=52).contains(&remaining(&body)), "{body}");
    let (status, retry_after, body) = graphql(&second, &alice, HUNDRED).await;
    assert_rate_limited(status, retry_after, &body, 50);
    let (_, _, body) = graphql(&second, &alice, "{ plans(first: 10) { nodes { id } } }").await;
    assert!((40..=43).contains(&remaining(&body)), "{body}");
    // The tenant's budget is shared too: 110 of its 250 are spent, so Bob's 100 leave about 40.
    let (status, _, body) = graphql(&second, &token_of("acme", "bob"), HUNDRED).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!((40..=44).contains(&remaining(&body)), "{body}");
    let (_, _, ready) = get(&first, &alice, "/readyz").await;
    assert_eq!(
        ready["rateLimits"],
        json!({ "buckets": "shared" }),
        "{ready}"
    );
}

#[tokio::test]
async fn a_server_whose_redis_does_not_answer_keeps_its_own_buckets() {
    // Nothing listens on the discard port.
    let app = tight(|config| {
        config.rate_limits.redis_url = Some("redis://127.0.0.1:9".to_owned());
        config.rate_limits.redis_key_prefix = unique_prefix();
    })
    .await;
    let alice = token_of("acme", "alice");
    let (status, _, body) = graphql(&app, &alice, HUNDRED).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!((50..=52).contains(&remaining(&body)), "{body}");
    let (status, retry_after, body) = graphql(&app, &alice, HUNDRED).await;
    assert_rate_limited(status, retry_after, &body, 50);
    let (status, _, ready) = get(&app, &alice, "/readyz").await;
    assert_eq!(status, StatusCode::OK, "{ready}");
    assert_eq!(ready["rateLimits"]["buckets"], "fallback", "{ready}");
    assert!(
        ready["rateLimits"]["fallbackCharges"]
            .as_u64()
            .is_some_and(|charges| charges >= 2),
        "{ready}"
    );
}

/// A `redis-server` of this test's own, on a free port of 127.0.0.1, persisting nothing: the
/// shared Redis of 6379 serves other tests and must not be stopped. Dropping it kills the
/// process, so that a failing test leaves none behind.
struct PrivateRedis {
    port: u16,
    child: Option<Child>,
}

impl PrivateRedis {
    /// Starts a server on a free port.
    async fn start() -> Self {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .unwrap_or_else(|e| panic!("no free port: {e}"));
        let mut redis = Self { port, child: None };
        redis.restart().await;
        redis
    }

    /// `redis://127.0.0.1:PORT`.
    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again) on its port and waits until it answers `PING`.
    async fn restart(&mut self) {
        assert!(self.child.is_none(), "redis-server is already running");
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start redis-server ({e}): this test needs the Redis server binary on \
                     the PATH (e.g. `apt-get install redis-server`; CI has it)"
                )
            });
        self.child = Some(child);
        let started = Instant::now();
        while !self.answers_ping().await {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                self.child = None;
                panic!(
                    "redis-server exited at startup on port {} ({status})",
                    self.port
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "redis-server does not answer on port {} after 10 s",
                self.port
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Kills the server (SIGKILL: it goes away as in a crash) and waits for it to exit.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    async fn answers_ping(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).await else {
            return false;
        };
        if stream.write_all(b"PING\r\n").await.is_err() {
            return false;
        }
        let mut answer = [0_u8; 7];
        matches!(
            tokio::time::timeout(Duration::from_secs(1), stream.read_exact(&mut answer)).await,
            Ok(Ok(_))
        ) && &answer == b"+PONG\r\n"
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `/readyz`'s `rateLimits`.
async fn buckets(app: &TestApp) -> Value {
    let response = app
        .client
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap();
    let (status, _, ready) = read(response).await;
    assert_eq!(status, StatusCode::OK, "{ready}");
    ready["rateLimits"].clone()
}

#[tokio::test]
async fn requests_go_on_while_redis_is_down_and_the_buckets_go_back_to_it() {
    const ONE: &str = "{ plans(first: 1) { nodes { id } } }";
    let mut redis = PrivateRedis::start().await;
    let prefix = unique_prefix();
    let app = tight(|config| {
        config.rate_limits.redis_url = Some(redis.url());
        config.rate_limits.redis_key_prefix = prefix.clone();
    })
    .await;
    let alice = token_of("acme", "alice");
    let (status, _, body) = graphql(&app, &alice, HUNDRED).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!((50..=52).contains(&remaining(&body)), "{body}");
    assert_eq!(buckets(&app).await, json!({ "buckets": "shared" }));

    // Redis crashes: every request is still answered, from this process's buckets. The outage
    // lasts past the fallback's back-off (1 s) twice, so that Redis is tried (and reconnected
    // to) again while it is still down.
    redis.kill();
    let dave = token_of("acme", "dave");
    let down_since = Instant::now();
    let mut answered = 0;
    while down_since.elapsed() < Duration::from_millis(2500) {
        let (status, _, body) = graphql(&app, &dave, ONE).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.get("errors").is_none(), "{body}");
        answered += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let fallback = buckets(&app).await;
    assert_eq!(fallback["buckets"], "fallback", "{fallback}");
    assert!(
        fallback["fallbackCharges"]
            .as_u64()
            .is_some_and(|charges| charges >= answered),
        "{fallback}"
    );
    // The local buckets still limit: Alice's holds 150 units of its own (Redis's 50 are out of
    // reach), so a hundred pass once and not twice.
    let (status, _, body) = graphql(&app, &alice, HUNDRED).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, retry_after, body) = graphql(&app, &alice, HUNDRED).await;
    assert_rate_limited(status, retry_after, &body, 50);

    // Redis comes back, empty, on the same port: within a few seconds (the fallback's back-off
    // and the connection's own reconnection), the charges go to it again.
    redis.restart().await;
    let deadline = Instant::now() + Duration::from_secs(15);
    let bob = token_of("acme", "bob");
    loop {
        let (status, _, body) = graphql(&app, &bob, ONE).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if buckets(&app).await == json!({ "buckets": "shared" }) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the buckets did not go back to Redis within 15 s: {}",
            buckets(&app).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The buckets are in the new Redis indeed: a second server on it sees what Carol spends.
    let second = tight(|config| {
        config.rate_limits.redis_url = Some(redis.url());
        config.rate_limits.redis_key_prefix = prefix.clone();
    })
    .await;
    let carol = token_of("acme", "carol");
    let (status, _, body) = graphql(&app, &carol, HUNDRED).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!((50..=52).contains(&remaining(&body)), "{body}");
    let (status, retry_after, body) = graphql(&second, &carol, HUNDRED).await;
    assert_rate_limited(status, retry_after, &body, 50);
}
