//! A database that is down or busy answers fast: 503 with `SERVICE_UNAVAILABLE` and a
//! `Retry-After`, on `/graphql`, the CSV exports and the plan document, and a 503 from
//! `/readyz` within a second; the server recovers by itself when the database is back.
//!
//! PostgreSQL is cut off by a TCP proxy that the test stops forwarding (refusing, or silently
//! swallowing, new connections and closing the open ones); SQLite is kept busy by a write
//! transaction held past the busy timeout.

use std::time::{Duration, Instant};

use crate::proxy::{Mode, Proxy};
use crate::support::{
    TestApp, create_plan, error_code, fresh_database_url, on_postgres, record_measurements,
};
use reqwest::StatusCode;
use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
use serde_json::{Value, json};

/// The bound on an answer during an outage (it took the whole 10 s pool timeout before).
const FAST: Duration = Duration::from_secs(3);

/// An answer's status, `Retry-After`, body, and how long it took.
struct Answer {
    status: StatusCode,
    retry_after: Option<u64>,
    body: Value,
    took: Duration,
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let started = Instant::now();
    let response = request.send().await.unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok());
    let text = response.text().await.unwrap();
    Answer {
        status,
        retry_after,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        took: started.elapsed(),
    }
}

/// Asserts a fast 503 with a `Retry-After` and `SERVICE_UNAVAILABLE`.
#[track_caller]
fn assert_unavailable(what: &str, answer: &Answer) {
    eprintln!("{what}: {} in {:?}", answer.status, answer.took);
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{what}: {}",
        answer.body
    );
    assert!(
        answer.retry_after.is_some_and(|seconds| seconds > 0),
        "{what}: no Retry-After"
    );
    assert_eq!(
        error_code(&answer.body),
        Some("SERVICE_UNAVAILABLE"),
        "{what}: {}",
        answer.body
    );
    assert!(answer.took < FAST, "{what} took {:?}", answer.took);
}

/// Every endpoint that reads the database, during the outage.
async fn assert_every_endpoint_unavailable(app: &TestApp, token: &str, plan: &str) {
    let graphql = send(
        app.client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(token)
            .json(&json!({ "query": "{ plans(first: 5) { totalCount } }" })),
    )
    .await;
    assert_unavailable("POST /graphql", &graphql);

    for path in [
        "/export/measurements.csv?kpis=clicks".to_owned(),
        "/export/kpi-series.csv?kpis=clicks&from=2027-01-01&to=2027-12-31&grain=MONTH".to_owned(),
        format!("/plans/{plan}/document.md"),
    ] {
        let answer = send(
            app.client
                .get(format!("{}{path}", app.address))
                .bearer_auth(token),
        )
        .await;
        assert_unavailable(&path, &answer);
    }

    let ready = send(app.client.get(format!("{}/readyz", app.address))).await;
    eprintln!("/readyz: {} in {:?}", ready.status, ready.took);
    assert_eq!(
        ready.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        ready.body
    );
    assert!(
        ready.took < Duration::from_secs(2),
        "/readyz took {:?}",
        ready.took
    );
}

/// The server answers normally again.
async fn assert_recovered(app: &TestApp, token: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let ready = send(app.client.get(format!("{}/readyz", app.address))).await;
        if ready.status == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "/readyz stays {}", ready.status);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let data = app
        .data(token, "{ plans(first: 5) { totalCount } }", json!({}))
        .await;
    assert_eq!(data["plans"]["totalCount"], 1);
}

#[tokio::test]
async fn an_unreachable_postgres_answers_503_fast_and_the_server_recovers() {
    if !on_postgres() {
        eprintln!("PostgreSQL only (set LEVIER_TEST_DATABASE_URL)");
        return;
    }
    // The app reaches its database through the proxy.
    let (proxy, url) = Proxy::in_front_of(&fresh_database_url().await).await;
    let app = TestApp::spawn_on_with(url, |_| {}).await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;

    // A stopped server: connections refused.
    proxy.set(Mode::Refuse);
    assert_every_endpoint_unavailable(&app, &token, &plan).await;
    proxy.set(Mode::Forward);
    assert_recovered(&app, &token).await;

    // An unreachable host: connections hang.
    proxy.set(Mode::Swallow);
    assert_every_endpoint_unavailable(&app, &token, &plan).await;
    proxy.set(Mode::Forward);
    assert_recovered(&app, &token).await;
}

#[tokio::test]
async fn a_write_lock_held_past_the_busy_timeout_answers_503_and_reads_go_on() {
    if on_postgres() {
        eprintln!("SQLite only: PostgreSQL has no database-wide write lock");
        return;
    }
    let app = TestApp::spawn_pooled_with(|config| {
        config.database_busy_timeout = Duration::from_millis(500);
    })
    .await;
    let token = app.token("acme", "editor");
    create_plan(&app, &token, "Plan 2027").await;
    let row = json!([{ "kpiKey": "clicks", "date": "2027-03-01", "value": "1", "source": "a" }]);

    // Another connection (another process, say) holds the write lock.
    let holder = app
        .app
        .database()
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await
        .unwrap();
    let write = send(
        app.client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&token)
            .json(&json!({
                "query": "mutation($input: RecordMeasurementsInput!) { recordMeasurements(input: $input) { inserted } }",
                "variables": { "input": { "measurements": row } }
            })),
    )
    .await;
    assert_unavailable("recordMeasurements", &write);
    // Readers are not held up by a writer.
    let data = app
        .data(&token, "{ plans(first: 5) { totalCount } }", json!({}))
        .await;
    assert_eq!(data["plans"]["totalCount"], 1);

    holder.rollback().await.unwrap();
    let payload = record_measurements(&app, &token, row).await;
    assert_eq!(payload["inserted"], 1, "{payload}");
}

#[tokio::test]
async fn pooled_connections_the_server_dropped_are_replaced_without_failing_a_request() {
    if !on_postgres() {
        eprintln!("PostgreSQL only (set LEVIER_TEST_DATABASE_URL)");
        return;
    }
    let (proxy, url) = Proxy::in_front_of(&fresh_database_url().await).await;
    let app = TestApp::spawn_on_with(url, |_| {}).await;
    let token = app.token("acme", "editor");
    create_plan(&app, &token, "Plan 2027").await;
    let read_concurrently = || {
        futures::future::join_all((0..4).map(|_| {
            send(
                app.client
                    .post(format!("{}/graphql", app.address))
                    .bearer_auth(&token)
                    .json(&json!({ "query": "{ plans(first: 5) { totalCount } }" })),
            )
        }))
    };
    // Several connections in the pool, then all of them cut while the server stays up: what a
    // restarted PostgreSQL or a firewall forgetting idle connections leaves behind.
    for answer in read_concurrently().await {
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    }
    proxy.close_open_connections();
    // Connections lent within a moment of their last use are not checked first (a round trip
    // per statement); these have been idle for longer, so each is checked, found dead and
    // replaced before any statement is sent on it.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    for answer in read_concurrently().await {
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(
            answer.body["data"]["plans"]["totalCount"], 1,
            "{}",
            answer.body
        );
    }
}
