//! Two `levier` processes on one PostgreSQL database behind HAProxy, as `docs/deploy.md`
//! describes them: the checks of `deploy/two-replicas/run`, which starts the processes and the
//! proxy and names them in the environment (ignored otherwise: there is nothing to check).
//!
//! - a mutation sent to replica A is read through replica B, and through the proxy, which
//!   spreads requests over both;
//! - a subscription opened on A receives a write made on B (PostgreSQL LISTEN/NOTIFY), and one
//!   opened through the proxy receives a write made on the replica it was not sent to;
//! - under a steady stream of mutations through the proxy, SIGTERM to A: A drains (`/readyz`
//!   503), HAProxy takes it out of rotation, A stops accepting and closes its subscriptions with
//!   1001; no request gets a 5xx or goes unanswered, and every acknowledged mutation is in the
//!   database. The script checks that A exits 0.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use levier::auth::jwt::mint_hs256;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use serde_json::{Value, json};
use tokio_tungstenite::{connect_async, tungstenite::client::IntoClientRequest};

use crate::{
    subscriptions::{PATIENCE, Socket, connect_at, receive_or_close, subscribe},
    support::base_claims,
};

/// The header HAProxy adds to each answer: the name of the replica that served it.
const SERVED_BY: &str = "x-levier-replica";

/// The tenant the checks write in.
const TENANT: &str = "two-replicas";

/// Concurrent writers of the steady stream.
const WRITERS: usize = 4;

/// What `deploy/two-replicas/run` hands over.
struct Deployment {
    proxy: String,
    replica_a: String,
    replica_b: String,
    pid_a: String,
    stats: String,
    database_url: String,
    token: String,
    http: reqwest::Client,
}

fn variable(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: this test is run by deploy/two-replicas/run")
    })
}

impl Deployment {
    fn from_environment() -> Self {
        let mut claims = base_claims(TENANT, "admin");
        claims.exp = (chrono::Utc::now().timestamp() + 600) as u64;
        let token = mint_hs256(&variable("LEVIER_JWT_SECRET"), &claims).expect("a token");
        Self {
            proxy: variable("LEVIER_TWO_REPLICAS_PROXY"),
            replica_a: variable("LEVIER_TWO_REPLICAS_A"),
            replica_b: variable("LEVIER_TWO_REPLICAS_B"),
            pid_a: variable("LEVIER_TWO_REPLICAS_A_PID"),
            stats: variable("LEVIER_TWO_REPLICAS_STATS"),
            database_url: variable("LEVIER_TWO_REPLICAS_DATABASE_URL"),
            token,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .expect("an HTTP client"),
        }
    }

    /// Posts a GraphQL operation to `address`: the status, the replica that served it (through
    /// the proxy) and the body.
    async fn post(
        &self,
        address: &str,
        query: &str,
        variables: Value,
    ) -> Result<(u16, Option<String>, Value), reqwest::Error> {
        let response = self
            .http
            .post(format!("{address}/graphql"))
            .bearer_auth(&self.token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await?;
        let status = response.status().as_u16();
        let served_by = response
            .headers()
            .get(SERVED_BY)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let body = response.json().await.unwrap_or(Value::Null);
        Ok((status, served_by, body))
    }

    /// Creates a persona named `name` through `address`; its ID and the replica that served.
    async fn create_persona(&self, address: &str, name: &str) -> (String, Option<String>) {
        let (status, served_by, body) = self
            .post(address, CREATE_PERSONA, json!({ "name": name }))
            .await
            .expect("an answer");
        let id = body["data"]["createPersona"]["persona"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{status}: no persona created: {body}"));
        (id.to_owned(), served_by)
    }

    /// The name of persona `id` read through `address`, and the replica that served it.
    async fn persona_name(&self, address: &str, id: &str) -> (String, Option<String>) {
        let (_, served_by, body) = self
            .post(
                address,
                "query($id: ID!) { node(id: $id) { ... on Persona { name } } }",
                json!({ "id": id }),
            )
            .await
            .expect("an answer");
        let name = body["data"]["node"]["name"]
            .as_str()
            .unwrap_or_else(|| panic!("persona {id} not read through {address}: {body}"));
        (name.to_owned(), served_by)
    }

    /// Records one measurement with `external_id` through `address`.
    async fn record(&self, address: &str, external_id: &str) {
        let (status, _, body) = self
            .post(
                address,
                "mutation($rows: [MeasurementInput!]!) { recordMeasurements(input: \
                 {measurements: $rows}) { inserted userErrors { message } } }",
                json!({ "rows": [{ "kpiKey": "clicks", "date": "2027-03-01", "value": "1",
                    "source": "two_replicas", "externalId": external_id }] }),
            )
            .await
            .expect("an answer");
        assert_eq!(
            body["data"]["recordMeasurements"]["userErrors"],
            json!([]),
            "{status}: {body}"
        );
    }

    /// A subscription to every measurement of the tenant, through `address`, live: a write
    /// through `writer` reaches it. Returns the socket and the replica it was sent to.
    async fn live_subscription(&self, address: &str, writer: &str) -> (Socket, Option<String>) {
        let served_by = self.websocket_replica(address).await;
        let mut socket = connect_at(
            address,
            json!({ "Authorization": format!("Bearer {}", self.token) }),
        )
        .await;
        subscribe(&mut socket, "live", json!({})).await;
        // The subscription is live once its resolver ran, which the protocol does not
        // acknowledge: write until an event arrives.
        for attempt in 0..40 {
            self.record(
                writer,
                &format!("warm-up-{attempt}-{}", uuid::Uuid::now_v7()),
            )
            .await;
            if let Some(Ok(message)) =
                receive_or_close(&mut socket, Duration::from_millis(250)).await
            {
                assert_eq!(message["type"], "next", "{message}");
                return (socket, served_by);
            }
        }
        panic!("the subscription through {address} never received a write through {writer}");
    }

    /// The replica HAProxy sends a WebSocket upgrade to (from the 101's header).
    async fn websocket_replica(&self, address: &str) -> Option<String> {
        let url = format!("{}/graphql", address.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().expect("a WebSocket request");
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().expect("a header value"),
        );
        let (mut socket, response) = connect_async(request).await.expect("an upgrade");
        let served_by = response
            .headers()
            .get(SERVED_BY)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let _ = socket.close(None).await;
        served_by
    }

    /// HAProxy's statistics (its CSV page), by `proxy/server`, by column.
    async fn haproxy_stats(&self) -> BTreeMap<String, BTreeMap<String, String>> {
        let text = self
            .http
            .get(&self.stats)
            .send()
            .await
            .expect("HAProxy's statistics")
            .text()
            .await
            .expect("a text");
        let mut lines = text.lines();
        let header: Vec<&str> = lines
            .next()
            .unwrap_or_default()
            .trim_start_matches("# ")
            .split(',')
            .collect();
        lines
            .filter(|line| !line.is_empty())
            .map(|line| {
                let row: BTreeMap<String, String> = header
                    .iter()
                    .zip(line.split(','))
                    .map(|(name, value)| ((*name).to_owned(), value.to_owned()))
                    .collect();
                (format!("{}/{}", row["pxname"], row["svname"]), row)
            })
            .collect()
    }
}

/// Waits for the next event of `socket` with `external_id`, skipping warm-up writes.
async fn event_with(socket: &mut Socket, external_id: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let message = receive_or_close(socket, deadline.saturating_duration_since(Instant::now()))
            .await
            .unwrap_or_else(|| panic!("no event {external_id} in time"))
            .unwrap_or_else(|close| panic!("the connection closed: {close:?}"));
        let event = &message["payload"]["data"]["measurementRecorded"];
        if event["measurement"]["externalId"] == external_id {
            return;
        }
    }
}

/// How `socket` ends, past the events still queued for it; `None` if it does not within 5 s.
async fn close_of(socket: &mut Socket) -> Option<Result<Value, (u16, String)>> {
    loop {
        match receive_or_close(socket, Duration::from_secs(5)).await {
            Some(Ok(message)) if message["type"] == "next" => continue,
            other => return other,
        }
    }
}

const CREATE_PERSONA: &str = "mutation($name: String!) { createPersona(input: {name: $name}) { \
                              persona { id name } userErrors { message } } }";

/// What the stream of mutations saw.
#[derive(Default)]
struct Stream {
    acknowledged: Vec<String>,
    /// Answers by status (the 200s included).
    statuses: BTreeMap<u16, usize>,
    /// Answers by serving replica, before and after A stopped accepting.
    served_before: BTreeMap<String, usize>,
    served_after: BTreeMap<String, usize>,
    /// Requests that got no answer.
    unanswered: Vec<String>,
    /// 200 answers without the persona.
    refused: Vec<Value>,
}

/// When A went through its shutdown, from SIGTERM.
#[derive(Default, Clone, Copy)]
struct Timeline {
    unready: Option<Duration>,
    out_of_rotation: Option<Duration>,
    stopped_accepting: Option<Duration>,
}

#[tokio::test]
#[ignore = "run by deploy/two-replicas/run, which starts the replicas and HAProxy"]
async fn two_replicas_behind_haproxy() {
    let deployment = Arc::new(Deployment::from_environment());
    let (proxy, a, b) = (
        deployment.proxy.as_str(),
        deployment.replica_a.as_str(),
        deployment.replica_b.as_str(),
    );

    // (a) Written on A, read on B; written through the proxy, read on both and through it.
    let (on_a, _) = deployment.create_persona(a, "Written on A").await;
    assert_eq!(deployment.persona_name(b, &on_a).await.0, "Written on A");
    let (through_proxy, _) = deployment
        .create_persona(proxy, "Written through the proxy")
        .await;
    let mut readers = BTreeSet::new();
    for address in [a, b] {
        let (name, _) = deployment.persona_name(address, &through_proxy).await;
        assert_eq!(name, "Written through the proxy");
    }
    for _ in 0..6 {
        let (name, served_by) = deployment.persona_name(proxy, &on_a).await;
        assert_eq!(name, "Written on A");
        readers.insert(served_by.expect("HAProxy names the replica"));
    }
    assert_eq!(
        readers,
        BTreeSet::from(["a".to_owned(), "b".to_owned()]),
        "the proxy spreads requests over both replicas"
    );
    println!(
        "(a) a persona written on A is read on B; one written through the proxy is read on A, \
         on B and through the proxy (served by {readers:?})"
    );

    // (b) A subscription on A sees a write on B; one through the proxy sees a write on the
    // replica it was not sent to.
    let started = Instant::now();
    let (mut on_a_socket, _) = deployment.live_subscription(a, b).await;
    deployment.record(b, "written-on-b").await;
    event_with(&mut on_a_socket, "written-on-b").await;
    let (mut proxied, served_by) = deployment.live_subscription(proxy, a).await;
    let other = match served_by.as_deref() {
        Some("a") => b,
        Some("b") => a,
        other => panic!("the upgrade was not served by a replica: {other:?}"),
    };
    deployment.record(other, "written-on-the-other").await;
    event_with(&mut proxied, "written-on-the-other").await;
    drop(proxied);
    println!(
        "(b) a subscription on A receives a write made on B; one through the proxy (on {}) \
         receives a write made on the other replica ({:.1} s)",
        served_by.as_deref().unwrap_or("?"),
        started.elapsed().as_secs_f64()
    );

    // (c) A steady stream of mutations through the proxy; SIGTERM to A in the middle.
    let stream = Arc::new(Mutex::new(Stream::default()));
    let a_stopped = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (deployment, stream, a_stopped, done) = (
                deployment.clone(),
                stream.clone(),
                a_stopped.clone(),
                done.clone(),
            );
            tokio::spawn(async move {
                let mut sequence = 0;
                while !done.load(Ordering::SeqCst) {
                    sequence += 1;
                    let name = format!("stream-{writer}-{sequence}");
                    let after = a_stopped.load(Ordering::SeqCst);
                    let answer = deployment
                        .post(&deployment.proxy, CREATE_PERSONA, json!({ "name": name }))
                        .await;
                    let mut stream = stream.lock().expect("the stream's record");
                    match answer {
                        Err(error) => stream.unanswered.push(format!("{name}: {error}")),
                        Ok((status, served_by, body)) => {
                            *stream.statuses.entry(status).or_default() += 1;
                            let served = if after {
                                &mut stream.served_after
                            } else {
                                &mut stream.served_before
                            };
                            *served
                                .entry(served_by.unwrap_or_else(|| "?".to_owned()))
                                .or_default() += 1;
                            if (200..300).contains(&status)
                                && body["data"]["createPersona"]["persona"]["name"] == name
                            {
                                stream.acknowledged.push(name);
                            } else if (200..300).contains(&status) {
                                stream.refused.push(body);
                            }
                        }
                    }
                }
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_millis(1500)).await;
    let killed = Instant::now();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &deployment.pid_a])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "SIGTERM sent to A");

    // Watch A leave: unready, out of HAProxy's rotation, no longer accepting.
    let mut timeline = Timeline::default();
    let address_a = a.trim_start_matches("http://").to_owned();
    let probe = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .pool_max_idle_per_host(0)
        .build()
        .expect("a client");
    while timeline.stopped_accepting.is_none() {
        assert!(
            killed.elapsed() < Duration::from_secs(45),
            "A still accepts 45 s after SIGTERM"
        );
        if timeline.unready.is_none()
            && let Ok(response) = probe.get(format!("{a}/readyz")).send().await
            && response.status().as_u16() == 503
        {
            timeline.unready = Some(killed.elapsed());
        }
        if timeline.out_of_rotation.is_none() {
            let stats = deployment.haproxy_stats().await;
            let status = stats.get("levier/a").map(|row| row["status"].clone());
            if status.is_some_and(|status| !status.starts_with("UP")) {
                timeline.out_of_rotation = Some(killed.elapsed());
            }
        }
        if tokio::net::TcpStream::connect(&address_a).await.is_err() {
            timeline.stopped_accepting = Some(killed.elapsed());
            a_stopped.store(true, Ordering::SeqCst);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // B alone for a while.
    tokio::time::sleep(Duration::from_secs(1)).await;
    done.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.await.expect("a writer did not panic");
    }
    let streamed_for = started.elapsed();
    let closed = close_of(&mut on_a_socket).await;

    let stream = std::mem::take(&mut *stream.lock().expect("the stream's record"));
    let stats = deployment.haproxy_stats().await;
    let backend = &stats["levier/BACKEND"];
    let database = Database::connect(deployment.database_url.as_str())
        .await
        .expect("the database");
    let stored: BTreeSet<String> = database
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT p.name FROM personas p JOIN tenants t ON t.id = p.tenant_id \
             WHERE t.key = $1 AND p.name LIKE 'stream-%'",
            [TENANT.into()],
        ))
        .await
        .expect("the personas")
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).expect("a name"))
        .collect();
    let lost: Vec<&String> = stream
        .acknowledged
        .iter()
        .filter(|name| !stored.contains(*name))
        .collect();
    let seconds = |moment: Option<Duration>| {
        moment.map_or_else(
            || "never".to_owned(),
            |d| format!("{:.2} s", d.as_secs_f64()),
        )
    };
    println!(
        "(c) {} mutations through the proxy in {:.1} s by {WRITERS} writers, answers by status \
         {:?}; served before A stopped accepting {:?}, after {:?}",
        stream.statuses.values().sum::<usize>() + stream.unanswered.len(),
        streamed_for.as_secs_f64(),
        stream.statuses,
        stream.served_before,
        stream.served_after
    );
    println!(
        "    SIGTERM to A: /readyz 503 after {}, out of HAProxy's rotation after {}, stopped \
         accepting after {}; its subscription closed with {:?}",
        seconds(timeline.unready),
        seconds(timeline.out_of_rotation),
        seconds(timeline.stopped_accepting),
        closed
    );
    println!(
        "    {} acknowledged, {} of them in the database ({} rows), {} unanswered; HAProxy: \
         {} retries, {} redispatches, {} 5xx answers",
        stream.acknowledged.len(),
        stream.acknowledged.len() - lost.len(),
        stored.len(),
        stream.unanswered.len(),
        backend["wretr"],
        backend["wredis"],
        backend["hrsp_5xx"],
    );

    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");
    assert!(
        stream.unanswered.is_empty(),
        "unanswered: {:?}",
        stream.unanswered
    );
    assert!(stream.refused.is_empty(), "refused: {:?}", stream.refused);
    assert_eq!(
        stream.statuses.keys().copied().collect::<Vec<_>>(),
        [200],
        "every answer a 200"
    );
    assert!(
        stream.acknowledged.len() >= 50,
        "a stream worth the name: {}",
        stream.acknowledged.len()
    );
    assert!(
        stream.served_before.get("a").copied().unwrap_or_default() > 0,
        "A served part of the stream before its SIGTERM: {:?}",
        stream.served_before
    );
    assert_eq!(
        stream.served_after.keys().collect::<Vec<_>>(),
        ["b"],
        "B alone once A stopped"
    );
    assert!(
        timeline.unready.is_some() && timeline.out_of_rotation.is_some(),
        "A drained before it stopped accepting"
    );
    assert!(
        timeline.out_of_rotation <= timeline.stopped_accepting,
        "HAProxy took A out before A stopped accepting"
    );
    assert_eq!(
        closed,
        Some(Err((1001, "the server is shutting down".to_owned()))),
        "A closed its subscription with a close frame"
    );
}
