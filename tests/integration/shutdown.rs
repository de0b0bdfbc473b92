//! Graceful shutdown (`levier::shutdown`): asked to stop (as SIGTERM asks), the server first
//! answers `/readyz` with 503 `draining` for the configured drain while it goes on serving
//! everything else, then closes subscriptions with 1001, stops accepting, and its future
//! resolves without error (the process would exit 0).

use std::{
    net::TcpListener,
    time::{Duration, Instant},
};

use levier::Config;
use serde_json::{Value, json};

use crate::{
    subscriptions::{connect_at, receive_or_close, subscribe},
    support::{base_claims, fresh_database_url, mint},
};

/// The drain of the server under test: long enough to act during it, short for the suite.
const DRAIN: Duration = Duration::from_millis(1500);

async fn readiness(client: &reqwest::Client, address: &str) -> (u16, Value) {
    let response = client
        .get(format!("{address}/readyz"))
        .send()
        .await
        .expect("/readyz answers");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("a JSON body");
    (status, body["status"].clone())
}

#[tokio::test]
async fn a_shutdown_drains_readiness_then_closes_subscriptions_and_stops() {
    let mut config = Config::development(fresh_database_url().await);
    config.workers = Some(1);
    config.database_max_connections = 5;
    config.shutdown_drain = DRAIN;
    config.shutdown_timeout_seconds = 5;
    let app = levier::build_app(config).await.expect("the app starts");
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = format!("http://{}", listener.local_addr().expect("an address"));
    let server = tokio::spawn(app.serve(listener).expect("the app serves"));
    let client = reqwest::Client::new();
    let token = mint(&base_claims("acme", "editor"));

    assert_eq!(readiness(&client, &address).await, (200, json!("ready")));
    let mut socket = connect_at(
        &address,
        json!({ "Authorization": format!("Bearer {token}") }),
    )
    .await;
    subscribe(&mut socket, "1", json!({})).await;

    let asked = Instant::now();
    app.shutdown();

    // Draining: unready for the load balancer, yet serving what still comes.
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut readiness_now = readiness(&client, &address).await;
    while readiness_now.0 == 200 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
        readiness_now = readiness(&client, &address).await;
    }
    assert_eq!(readiness_now, (503, json!("draining")));
    let created: Value = client
        .post(format!("{address}/graphql"))
        .bearer_auth(&token)
        .json(&json!({
            "query": "mutation { createPersona(input: {name: \"Late\"}) { persona { name } } }"
        }))
        .send()
        .await
        .expect("a request during the drain is answered")
        .json()
        .await
        .expect("a JSON answer");
    assert_eq!(
        created["data"]["createPersona"]["persona"]["name"], "Late",
        "{created}"
    );
    assert!(
        asked.elapsed() < DRAIN,
        "the checks above ran within the drain"
    );
    assert_eq!(
        receive_or_close(&mut socket, Duration::from_millis(200)).await,
        None,
        "subscriptions stay open while draining"
    );

    // Stopping: the subscription is told, with a close frame its client reconnects after.
    let closed = receive_or_close(&mut socket, DRAIN + Duration::from_secs(5)).await;
    assert_eq!(
        closed,
        Some(Err((1001, "the server is shutting down".to_owned())))
    );
    assert!(
        asked.elapsed() >= DRAIN,
        "closed after {:?}, before the drain's end",
        asked.elapsed()
    );
    drop(socket);

    let stopped = tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops within its shutdown timeout")
        .expect("the server task did not panic");
    assert!(stopped.is_ok(), "the server stopped with {stopped:?}");
    assert!(
        reqwest::Client::new()
            .get(format!("{address}/healthz"))
            .send()
            .await
            .is_err(),
        "the port no longer accepts"
    );
}
