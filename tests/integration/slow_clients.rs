//! A client that stalls cannot hold a connection: a request head that does not arrive within
//! the head timeout, or a GraphQL body that does not arrive within the body timeout, is
//! answered 408 and the connection closed. Spoken over a raw TCP socket, since an HTTP client
//! always sends what it promised.

use std::time::{Duration, Instant};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::support::TestApp;

/// How long the test waits for the server to close (the connection stayed open indefinitely
/// before: 150 s seen).
const PATIENCE: Duration = Duration::from_secs(8);

/// What the server sent on a connection, and whether (and when) it closed it.
struct Exchange {
    text: String,
    closed_after: Option<Duration>,
}

/// Opens a connection to `app`, sends `parts` (pausing `pause` between them), never sends
/// anything more, and reads until the server closes or [`PATIENCE`] runs out.
async fn exchange(app: &TestApp, parts: &[&str], pause: Duration) -> Exchange {
    let address = app.address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.unwrap();
    let started = Instant::now();
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            tokio::time::sleep(pause).await;
        }
        stream.write_all(part.as_bytes()).await.unwrap();
    }
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    let closed_after = loop {
        match tokio::time::timeout_at((started + PATIENCE).into(), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break Some(started.elapsed()),
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
            Err(_still_open) => break None,
        }
    };
    Exchange {
        text: String::from_utf8_lossy(&received).into_owned(),
        closed_after,
    }
}

fn head(app: &TestApp, request_line: &str, headers: &str) -> String {
    let host = app.address.trim_start_matches("http://");
    format!("{request_line}\r\nHost: {host}\r\n{headers}\r\n")
}

/// Asserts a 408 with a coded body, and the connection closed well within [`PATIENCE`].
#[track_caller]
fn assert_timed_out(exchange: &Exchange, within: Duration) {
    assert!(
        exchange.text.starts_with("HTTP/1.1 408"),
        "not a 408: {:?}",
        exchange.text
    );
    let closed_after = exchange
        .closed_after
        .unwrap_or_else(|| panic!("the connection stayed open: {:?}", exchange.text));
    assert!(closed_after < within, "closed after {closed_after:?}");
}

#[tokio::test]
async fn a_stalled_graphql_body_is_answered_408_and_its_connection_closed() {
    let app = TestApp::spawn_with(|config| config.body_timeout = Duration::from_secs(1)).await;
    let request = head(
        &app,
        "POST /graphql HTTP/1.1",
        "Content-Type: application/json\r\nContent-Length: 100\r\n",
    );
    let exchange = exchange(
        &app,
        &[&request, "{\"query\": \"{ __typename"],
        Duration::ZERO,
    )
    .await;
    assert_timed_out(&exchange, Duration::from_secs(4));
    assert!(
        exchange.text.contains("BAD_USER_INPUT"),
        "{}",
        exchange.text
    );
    assert!(
        exchange
            .text
            .to_ascii_lowercase()
            .contains("connection: close"),
        "{}",
        exchange.text
    );
}

#[tokio::test]
async fn a_stalled_chunked_graphql_body_is_answered_408_and_its_connection_closed() {
    let app = TestApp::spawn_with(|config| config.body_timeout = Duration::from_secs(1)).await;
    let request = head(
        &app,
        "POST /graphql HTTP/1.1",
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
    );
    let exchange = exchange(&app, &[&request, "5\r\n{\"que\r\n"], Duration::ZERO).await;
    assert_timed_out(&exchange, Duration::from_secs(4));
    assert!(
        exchange.text.contains("BAD_USER_INPUT"),
        "{}",
        exchange.text
    );
}

#[tokio::test]
async fn a_stalled_request_head_is_answered_408_and_its_connection_closed() {
    let app = TestApp::spawn_with(|config| config.head_timeout = Duration::from_secs(1)).await;
    let partial = format!(
        "POST /graphql HTTP/1.1\r\nHost: {}\r\n",
        app.address.trim_start_matches("http://")
    );
    let exchange = exchange(&app, &[&partial], Duration::ZERO).await;
    assert_timed_out(&exchange, Duration::from_secs(4));
}

#[tokio::test]
async fn a_stalled_body_sent_to_an_endpoint_that_reads_none_does_not_hold_the_connection() {
    let app = TestApp::spawn().await;
    for framing in ["Content-Length: 100\r\n", "Transfer-Encoding: chunked\r\n"] {
        let request = head(&app, "GET /healthz HTTP/1.1", framing);
        let exchange = exchange(&app, &[&request, "5\r\n{\"que"], Duration::ZERO).await;
        assert!(
            exchange.text.starts_with("HTTP/1.1 200"),
            "{framing}: {:?}",
            exchange.text
        );
        let closed_after = exchange
            .closed_after
            .unwrap_or_else(|| panic!("{framing}: the connection stayed open"));
        assert!(
            closed_after < Duration::from_secs(4),
            "{framing}: {closed_after:?}"
        );
    }
}

#[tokio::test]
async fn a_slow_body_that_arrives_within_the_timeout_is_served() {
    let app = TestApp::spawn_with(|config| config.body_timeout = Duration::from_secs(2)).await;
    let body = r#"{"query": "{ __typename }"}"#;
    let request = head(
        &app,
        "POST /graphql HTTP/1.1",
        &format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        ),
    );
    let (first, rest) = body.split_at(10);
    let exchange = exchange(&app, &[&request, first, rest], Duration::from_millis(300)).await;
    assert!(
        exchange.text.starts_with("HTTP/1.1 200"),
        "{:?}",
        exchange.text
    );
    assert!(
        exchange.text.contains("\"__typename\":\"Query\""),
        "{}",
        exchange.text
    );
}
