//! `measurementRecorded` over WebSocket (`graphql-transport-ws` on `/graphql`): a connection is
//! authenticated by its `connection_init` payload (4403 and a reason without a valid
//! credential), a refused subscription is answered with the protocol's `error` message, and a
//! subscriber receives exactly the committed measurements of its tenant that match its filters,
//! once each, and nothing of a rolled-back batch. On PostgreSQL, a write on one server reaches
//! a subscriber connected to another server on the same database. The connection's end with its
//! credential is in `subscription_credentials`; the helpers here serve both.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async,
    tungstenite::{Message, client::IntoClientRequest},
};

use crate::support::{
    TestApp, create_action, create_campaign, create_persona, create_plan, dec, decimal_of,
    mutate_ok, on_postgres, record_measurements, user_errors,
};

/// How long to wait for a message that should come.
pub const PATIENCE: Duration = Duration::from_secs(15);

pub const EVENT_FIELDS: &str = "change measurement { kpiKey date grain value source externalId \
    planId campaignId actionId lever personaId recordedAt }";

const SUBSCRIPTION: &str = "subscription($kpiKeys: [String!], $campaignIds: [ID!]) { \
    measurementRecorded(kpiKeys: $kpiKeys, campaignIds: $campaignIds) { __FIELDS__ } }";

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A WebSocket to `app` speaking graphql-transport-ws.
pub async fn open(app: &TestApp) -> Socket {
    open_at(&app.address).await
}

/// A WebSocket to the server at `address` (`http://host:port`) speaking graphql-transport-ws.
pub async fn open_at(address: &str) -> Socket {
    let url = format!("{}/graphql", address.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().expect("a WebSocket request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().expect("a header value"),
    );
    let (socket, response) = connect_async(request).await.expect("the upgrade succeeds");
    assert_eq!(
        response
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|value| value.to_str().ok()),
        Some("graphql-transport-ws")
    );
    socket
}

/// The next text message as JSON, or the close frame's code and reason (code 0 for a
/// connection that ended without one); `None` on timeout.
pub async fn receive_or_close(
    socket: &mut Socket,
    patience: Duration,
) -> Option<Result<Value, (u16, String)>> {
    loop {
        let message = tokio::time::timeout(patience, socket.next()).await.ok()?;
        match message {
            Some(Ok(Message::Text(text))) => {
                return Some(Ok(serde_json::from_str(&text).expect("JSON messages")));
            }
            Some(Ok(Message::Close(frame))) => {
                return Some(Err(frame.map_or((0, String::new()), |frame| {
                    (u16::from(frame.code), frame.reason.to_string())
                })));
            }
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => return Some(Err((0, String::new()))),
        }
    }
}

/// The next text message as JSON, or the close frame's code; `None` on timeout.
pub async fn receive(socket: &mut Socket, patience: Duration) -> Option<Result<Value, u16>> {
    receive_or_close(socket, patience)
        .await
        .map(|received| received.map_err(|(code, _)| code))
}

/// Sends `connection_init` with `payload`; returns the socket once acknowledged.
pub async fn connect(app: &TestApp, payload: Value) -> Socket {
    connect_at(&app.address, payload).await
}

/// Sends `connection_init` with `payload` to the server at `address`; returns the socket once
/// acknowledged.
pub async fn connect_at(address: &str, payload: Value) -> Socket {
    let mut socket = open_at(address).await;
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": payload }),
    )
    .await;
    let ack = receive(&mut socket, PATIENCE).await;
    assert_eq!(
        ack,
        Some(Ok(json!({ "type": "connection_ack" }))),
        "the connection is acknowledged"
    );
    socket
}

pub async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .expect("the message is sent");
}

/// A connection authenticated with `token`.
pub async fn connect_as(app: &TestApp, token: &str) -> Socket {
    connect(app, json!({ "Authorization": format!("Bearer {token}") })).await
}

/// Subscribes to `measurementRecorded` as operation `id` with these filters.
pub async fn subscribe(socket: &mut Socket, id: &str, variables: Value) {
    send(
        socket,
        json!({ "id": id, "type": "subscribe", "payload": {
            "query": SUBSCRIPTION.replace("__FIELDS__", EVENT_FIELDS),
            "variables": variables,
        } }),
    )
    .await;
}

/// The next `measurementRecorded` event, skipping the warm-up ones.
pub async fn next_event(socket: &mut Socket) -> Value {
    loop {
        let message = receive(socket, PATIENCE)
            .await
            .expect("an event arrives in time")
            .unwrap_or_else(|code| panic!("the connection closed with {code}"));
        assert_eq!(message["type"], "next", "{message}");
        assert!(message["payload"].get("errors").is_none(), "{message}");
        // Each event reports the subscription's cost, like every answer.
        assert!(
            message["payload"]["extensions"]["cost"]["requested"].is_u64(),
            "{message}"
        );
        let event = message["payload"]["data"]["measurementRecorded"].clone();
        let external_id = event["measurement"]["externalId"].as_str().unwrap_or("");
        if !external_id.starts_with("warm-up") {
            return event;
        }
    }
}

/// Nothing arrives within a short while.
pub async fn assert_silent(socket: &mut Socket) {
    let message = receive(socket, Duration::from_millis(500)).await;
    assert!(message.is_none(), "unexpected message: {message:?}");
}

/// Records `row` (tagged as a warm-up) as `writer` on `writer_app` until `socket` receives an
/// event: from then on, the subscription is known to be live. The broadcast receiver is made
/// when the server runs the subscription's resolver, which the protocol does not acknowledge.
pub async fn warm_up(socket: &mut Socket, writer_app: &TestApp, writer: &str, row: Value) {
    for attempt in 0..40 {
        let mut row = row.clone();
        row["source"] = json!("warm-up");
        row["externalId"] = json!(format!("warm-up-{attempt}"));
        let payload = record_measurements(writer_app, writer, json!([row])).await;
        assert_eq!(user_errors(&payload), Vec::<String>::new());
        if let Some(Ok(message)) = receive(socket, Duration::from_millis(250)).await {
            assert_eq!(message["type"], "next", "{message}");
            return;
        }
    }
    panic!("the subscription never went live");
}

pub fn row(kpi: &str, date: &str, value: &str, external_id: &str) -> Value {
    json!({ "kpiKey": kpi, "date": date, "value": value, "source": "meta_ads", "externalId": external_id })
}

/// A plan of `token`'s tenant with a persona, two campaigns and an action.
struct Fixture {
    plan: String,
    persona: String,
    spring: String,
    autumn: String,
    action: String,
}

async fn fixture(app: &TestApp, token: &str) -> Fixture {
    let plan = create_plan(app, token, "Plan 2027").await;
    let persona = create_persona(app, token, "Sophie").await;
    let spring = create_campaign(app, token, &plan, "Spring", &[&persona]).await;
    let autumn = create_campaign(app, token, &plan, "Autumn", &[&persona]).await;
    let action = create_action(app, token, &plan, json!({})).await;
    Fixture {
        plan,
        persona,
        spring,
        autumn,
        action,
    }
}

#[tokio::test]
async fn a_subscriber_receives_exactly_the_matching_measurements() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let f = fixture(&app, &editor).await;
    let mut socket = connect_as(&app, &viewer).await;
    subscribe(
        &mut socket,
        "1",
        json!({ "kpiKeys": ["clicks", "spend"], "campaignIds": [f.spring] }),
    )
    .await;
    let mut warm = row("clicks", "2027-03-01", "1", "");
    warm["campaignId"] = json!(f.spring);
    warm_up(&mut socket, &app, &editor, warm).await;

    let started = chrono::Utc::now();
    let mut clicks = row("clicks", "2027-03-02", "120", "c-1");
    clicks["campaignId"] = json!(f.spring);
    clicks["lever"] = json!("SEA");
    clicks["personaId"] = json!(f.persona);
    let mut spend = row("spend", "2027-03-01", "45.50", "s-1");
    spend["campaignId"] = json!(f.spring);
    spend["actionId"] = json!(f.action);
    spend["grain"] = json!("MONTH");
    // Filtered out: another KPI, another campaign, no campaign.
    let mut impressions = row("impressions", "2027-03-02", "1000", "i-1");
    impressions["campaignId"] = json!(f.spring);
    let mut other_campaign = row("clicks", "2027-03-02", "30", "c-2");
    other_campaign["campaignId"] = json!(f.autumn);
    let no_campaign = row("clicks", "2027-03-02", "7", "c-3");
    let payload = record_measurements(
        &app,
        &editor,
        json!([impressions, clicks, other_campaign, spend, no_campaign]),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    assert_eq!(payload["inserted"], 5);

    // The same (source, externalId) again: an update.
    let mut clicks_again = row("clicks", "2027-03-02", "125.25", "c-1");
    clicks_again["campaignId"] = json!(f.spring);
    clicks_again["lever"] = json!("SEA");
    let payload = record_measurements(&app, &editor, json!([clicks_again])).await;
    assert_eq!(payload["updated"], 1);

    let first = next_event(&mut socket).await;
    assert_eq!(first["change"], "INSERTED");
    let m = &first["measurement"];
    assert_eq!(m["kpiKey"], "clicks");
    assert_eq!(m["date"], "2027-03-02");
    assert_eq!(m["grain"], "DAY");
    assert_eq!(decimal_of(&m["value"]), dec("120"));
    assert_eq!(m["source"], "meta_ads");
    assert_eq!(m["externalId"], "c-1");
    assert_eq!(m["planId"], json!(f.plan), "the campaign's plan");
    assert_eq!(m["campaignId"], json!(f.spring));
    assert_eq!(m["actionId"], Value::Null);
    assert_eq!(m["lever"], "SEA");
    assert_eq!(m["personaId"], json!(f.persona));
    let recorded_at = chrono::DateTime::parse_from_rfc3339(m["recordedAt"].as_str().unwrap())
        .expect("an RFC 3339 instant");
    assert!(recorded_at >= started - chrono::Duration::seconds(1));
    assert!(recorded_at <= chrono::Utc::now());

    let second = next_event(&mut socket).await;
    assert_eq!(second["change"], "INSERTED");
    let m = &second["measurement"];
    assert_eq!(m["kpiKey"], "spend");
    assert_eq!(m["date"], "2027-03-01");
    assert_eq!(m["grain"], "MONTH");
    assert_eq!(m["value"], "45.5");
    assert_eq!(m["externalId"], "s-1");
    assert_eq!(m["actionId"], json!(f.action));
    assert_eq!(m["lever"], Value::Null);
    assert_eq!(m["personaId"], Value::Null);

    // Next comes the update: none of the three filtered-out rows of the first batch came in
    // between, and nothing came twice.
    let third = next_event(&mut socket).await;
    assert_eq!(third["change"], "UPDATED");
    assert_eq!(third["measurement"]["externalId"], "c-1");
    assert_eq!(decimal_of(&third["measurement"]["value"]), dec("125.25"));
    assert_eq!(third["measurement"]["personaId"], Value::Null);
    assert_silent(&mut socket).await;
}

#[tokio::test]
async fn a_subscriber_receives_nothing_of_another_tenant() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "editor");
    let globex = app.token("globex", "editor");
    let globex_plan = fixture(&app, &globex).await;
    let mut socket = connect_as(&app, &acme).await;
    // No filter at all: only the tenant limits what arrives.
    subscribe(&mut socket, "all", json!({})).await;
    warm_up(
        &mut socket,
        &app,
        &acme,
        row("clicks", "2027-03-01", "1", ""),
    )
    .await;

    let mut theirs = row("clicks", "2027-03-02", "999", "g-1");
    theirs["campaignId"] = json!(globex_plan.spring);
    let payload = record_measurements(
        &app,
        &globex,
        json!([theirs, row("spend", "2027-03-02", "5", "g-2")]),
    )
    .await;
    assert_eq!(payload["inserted"], 2);
    // A sentinel of acme's, written after globex's batch committed: it is the next event.
    let payload =
        record_measurements(&app, &acme, json!([row("leads", "2027-03-03", "4", "a-1")])).await;
    assert_eq!(payload["inserted"], 1);
    let event = next_event(&mut socket).await;
    assert_eq!(event["measurement"]["externalId"], "a-1");
    assert_eq!(event["measurement"]["kpiKey"], "leads");
    assert_silent(&mut socket).await;

    // A subscription naming globex's campaign from acme receives globex's writes no more.
    subscribe(
        &mut socket,
        "theirs",
        json!({ "campaignIds": [globex_plan.spring] }),
    )
    .await;
    let mut again = row("clicks", "2027-03-04", "1", "g-3");
    again["campaignId"] = json!(globex_plan.spring);
    record_measurements(&app, &globex, json!([again])).await;
    assert_silent(&mut socket).await;
}

#[tokio::test]
async fn a_rolled_back_batch_sends_nothing() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let mut socket = connect_as(&app, &editor).await;
    subscribe(&mut socket, "1", json!({})).await;
    warm_up(
        &mut socket,
        &app,
        &editor,
        row("clicks", "2027-03-01", "1", ""),
    )
    .await;

    // Two valid rows and one of a derived KPI: the whole batch is refused.
    let payload = record_measurements(
        &app,
        &editor,
        json!([
            row("clicks", "2027-03-02", "10", "r-1"),
            row("ctr", "2027-03-02", "0.5", "r-2"),
            row("spend", "2027-03-02", "3", "r-3"),
        ]),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec!["input.measurements.1.kpiKey: INVALID"]
    );
    let payload = record_measurements(
        &app,
        &editor,
        json!([row("leads", "2027-03-03", "2", "ok-1")]),
    )
    .await;
    assert_eq!(payload["inserted"], 1);
    let event = next_event(&mut socket).await;
    assert_eq!(event["measurement"]["externalId"], "ok-1");
    assert_eq!(decimal_of(&event["measurement"]["value"]), dec("2"));
    assert_silent(&mut socket).await;
}

/// `connection_init` with `payload` is refused: the server closes with 4403 and a reason that
/// contains `because`.
pub async fn assert_refused(app: &TestApp, payload: Value, because: &str) {
    let mut socket = open(app).await;
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": payload }),
    )
    .await;
    let closed = receive_or_close(&mut socket, PATIENCE).await;
    let Some(Err((4403, reason))) = closed else {
        panic!("{payload} is refused with 4403, not {closed:?}");
    };
    assert!(
        reason.contains(because),
        "{payload}: the reason `{reason}` says `{because}`"
    );
}

#[tokio::test]
async fn a_connection_without_a_valid_credential_is_closed() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    assert_refused(&app, json!({}), "missing credential").await;
    assert_refused(
        &app,
        json!({ "headers": { "X-Levier-Tenant": "acme" } }),
        "missing credential",
    )
    .await;
    assert_refused(
        &app,
        json!({ "Authorization": "Bearer not-a-token" }),
        "malformed token",
    )
    .await;
    assert_refused(&app, json!({ "Authorization": token.clone() }), "Bearer").await;
    assert_refused(
        &app,
        json!({ "Authorization": "Bearer lvk_unknown_key" }),
        "invalid API key",
    )
    .await;
    assert_refused(
        &app,
        json!({ "Authorization": format!("Bearer {token}"), "X-Levier-Tenant": "globex" }),
        "tenant `globex`",
    )
    .await;
    assert_refused(
        &app,
        json!({ "Authorization": ["Bearer", token.clone()] }),
        "Authorization must be a string",
    )
    .await;
    assert_refused(
        &app,
        json!({ "Authorization": format!("Bearer {token}"),
                "headers": { "authorization": format!("Bearer {token}") } }),
        "send Authorization once",
    )
    .await;
    let mut expired = crate::support::base_claims("acme", "viewer");
    expired.exp = (chrono::Utc::now().timestamp() - 3600) as u64;
    assert_refused(
        &app,
        json!({ "Authorization": format!("Bearer {}", crate::support::mint(&expired)) }),
        "token expired",
    )
    .await;

    // Subscribing before the connection is acknowledged: 4401.
    let mut socket = open(&app).await;
    subscribe(&mut socket, "early", json!({})).await;
    assert_eq!(receive(&mut socket, PATIENCE).await, Some(Err(4401)));

    // Both forms of connectionParams: the headers at the top level, or in `headers`.
    connect(
        &app,
        json!({ "headers": { "Authorization": format!("Bearer {token}"), "X-Levier-Tenant": "acme" } }),
    )
    .await;

    // Header names in any case, and an agency token choosing its tenant.
    connect(&app, json!({ "authorization": format!("Bearer {token}") })).await;
    let agency = app.agency_token(&[("acme", "viewer"), ("globex", "editor")]);
    connect(
        &app,
        json!({ "AUTHORIZATION": format!("bearer {agency}"), "x-levier-tenant": "globex" }),
    )
    .await;
}

#[tokio::test]
async fn subscribing_needs_the_right_to_read_kpis_and_base_kpi_keys() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let create = |scopes: Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let payload = mutate_ok(
                app,
                &admin,
                "createApiKey",
                "secret userErrors { field code }",
                json!({ "name": "BI", "scopes": scopes }),
            )
            .await;
            payload["secret"].as_str().unwrap().to_owned()
        }
    };
    let writer_key = create(json!(["WRITE_MEASUREMENTS"])).await;
    let reader_key = create(json!(["READ_KPIS"])).await;

    // A key without READ_KPIS connects (it is a valid credential) but may not subscribe: the
    // protocol's `error` message, and nothing after it.
    let mut socket = connect_as(&app, &writer_key).await;
    subscribe(&mut socket, "1", json!({})).await;
    let errors = refusal_errors(&mut socket, "1").await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["extensions"]["code"], "FORBIDDEN", "{errors:?}");
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|message| message.contains("READ_KPIS")),
        "{errors:?}"
    );
    assert_silent(&mut socket).await;
    // The refusal ended that operation only: the connection still answers.
    send(
        &mut socket,
        json!({ "type": "ping", "payload": { "n": 1 } }),
    )
    .await;
    assert_eq!(
        receive(&mut socket, PATIENCE).await,
        Some(Ok(json!({ "type": "pong", "payload": { "n": 1 } })))
    );

    // Derived and unknown keys are refused with the index of the key.
    let mut socket = connect_as(&app, &reader_key).await;
    subscribe(
        &mut socket,
        "2",
        json!({ "kpiKeys": ["clicks", "ctr", "no_such_kpi"] }),
    )
    .await;
    let errors = refusal_errors(&mut socket, "2").await;
    let error = &errors[0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{errors:?}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("kpiKeys.1"), "{message}");
    assert!(message.contains("kpiKeys.2"), "{message}");
    // Its id is free again.
    subscribe(&mut socket, "2", json!({ "kpiKeys": ["no_such_kpi"] })).await;
    refusal_errors(&mut socket, "2").await;
    // A variable of the wrong type: refused before anything runs, as BAD_USER_INPUT.
    subscribe(&mut socket, "typed", json!({ "kpiKeys": 7 })).await;
    let errors = refusal_errors(&mut socket, "typed").await;
    assert_eq!(
        errors[0]["extensions"]["code"], "BAD_USER_INPUT",
        "{errors:?}"
    );

    // The READ_KPIS key receives what the WRITE_MEASUREMENTS key records.
    subscribe(&mut socket, "3", json!({ "kpiKeys": ["clicks"] })).await;
    warm_up(
        &mut socket,
        &app,
        &writer_key,
        row("clicks", "2027-03-01", "1", ""),
    )
    .await;
    record_measurements(
        &app,
        &writer_key,
        json!([row("clicks", "2027-03-05", "17", "k-1")]),
    )
    .await;
    let event = next_event(&mut socket).await;
    assert_eq!(event["measurement"]["externalId"], "k-1");
    assert_eq!(decimal_of(&event["measurement"]["value"]), dec("17"));
}

#[tokio::test]
async fn plain_get_still_serves_graphiql() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("GraphiQL"));
}

#[tokio::test]
async fn a_write_on_one_server_reaches_a_subscriber_of_another() {
    if !on_postgres() {
        return;
    }
    let writer_app = TestApp::spawn().await;
    let reader_app = TestApp::spawn_beside(&writer_app).await;
    let editor = writer_app.token("acme", "editor");
    let f = fixture(&writer_app, &editor).await;
    let mut socket = connect_as(&reader_app, &writer_app.token("acme", "viewer")).await;
    subscribe(&mut socket, "1", json!({ "campaignIds": [f.spring] })).await;
    let mut warm = row("clicks", "2027-03-01", "1", "");
    warm["campaignId"] = json!(f.spring);
    warm_up(&mut socket, &writer_app, &editor, warm).await;

    // A batch larger than one notification (PostgreSQL's payloads are under 8000 bytes).
    let rows: Vec<Value> = (0..300)
        .map(|index| {
            let mut row = row(
                "clicks",
                "2027-03-02",
                &index.to_string(),
                &format!("x-{index}"),
            );
            row["campaignId"] = json!(f.spring);
            row
        })
        .collect();
    let payload = record_measurements(&writer_app, &editor, json!(rows)).await;
    assert_eq!(payload["inserted"], 300);
    for index in 0..300 {
        let event = next_event(&mut socket).await;
        assert_eq!(event["measurement"]["externalId"], format!("x-{index}"));
        assert_eq!(
            decimal_of(&event["measurement"]["value"]),
            dec(&index.to_string())
        );
        assert_eq!(event["measurement"]["planId"], json!(f.plan));
    }
    // Delivered once: nothing follows.
    assert_silent(&mut socket).await;
}

/// The errors of the answer to operation `id`, which was refused before it started: one
/// `error` message whose payload is the list of errors, each with a code (nothing follows it,
/// which the next message the caller reads shows).
pub async fn refusal_errors(socket: &mut Socket, id: &str) -> Vec<Value> {
    let message = receive(socket, PATIENCE)
        .await
        .expect("an answer in time")
        .unwrap_or_else(|code| panic!("the connection closed with {code}"));
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(message["id"], id, "{message}");
    let errors = message["payload"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no list of errors: {message}"));
    assert!(!errors.is_empty(), "{message}");
    for error in &errors {
        assert!(error["message"].is_string(), "{message}");
        assert!(error["extensions"]["code"].is_string(), "{message}");
    }
    errors
}

#[tokio::test]
async fn subscription_documents_are_bounded_and_their_errors_coded_and_capped() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    let mut socket = connect_as(&app, &token).await;

    // Inline fragments nested past the bound: one shape error.
    let deep = format!(
        "subscription {{ measurementRecorded {{ {}change{} }} }}",
        "... on MeasurementEvent { ".repeat(70),
        " }".repeat(70)
    );
    send(
        &mut socket,
        json!({ "id": "deep", "type": "subscribe", "payload": { "query": deep } }),
    )
    .await;
    let errors = refusal_errors(&mut socket, "deep").await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["extensions"]["code"], "QUERY_TOO_COMPLEX");

    // 30 unknown fields: 20 errors and one saying how many more, all coded.
    let unknown: Vec<String> = (0..30)
        .map(|index| format!("f{index}: nope{index}"))
        .collect();
    let many = format!(
        "subscription {{ measurementRecorded {{ {} }} }}",
        unknown.join(" ")
    );
    send(
        &mut socket,
        json!({ "id": "many", "type": "subscribe", "payload": { "query": many } }),
    )
    .await;
    let errors = refusal_errors(&mut socket, "many").await;
    assert_eq!(errors.len(), 21, "{errors:?}");
    assert!(
        errors
            .iter()
            .all(|error| error["extensions"]["code"] == "BAD_USER_INPUT"),
        "{errors:?}"
    );
    assert!(
        errors[20]["message"]
            .as_str()
            .is_some_and(|message| message.contains("10 more not shown")),
        "{errors:?}"
    );
}

#[tokio::test]
async fn the_protocol_s_rules_are_kept() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");

    // A ping is answered with a pong carrying its payload.
    let mut socket = connect_as(&app, &viewer).await;
    send(
        &mut socket,
        json!({ "type": "ping", "payload": { "at": 1 } }),
    )
    .await;
    assert_eq!(
        receive(&mut socket, PATIENCE).await,
        Some(Ok(json!({ "type": "pong", "payload": { "at": 1 } })))
    );

    // The client's `complete` stops the operation: nothing more is sent for it.
    subscribe(&mut socket, "1", json!({ "kpiKeys": ["clicks"] })).await;
    warm_up(
        &mut socket,
        &app,
        &editor,
        row("clicks", "2027-03-01", "1", ""),
    )
    .await;
    send(&mut socket, json!({ "id": "1", "type": "complete" })).await;
    // Anything already on its way arrives before the pong.
    send(&mut socket, json!({ "type": "ping" })).await;
    loop {
        let message = receive(&mut socket, PATIENCE).await.unwrap().unwrap();
        if message["type"] == "pong" {
            break;
        }
        assert_eq!(message["type"], "next", "{message}");
    }
    record_measurements(
        &app,
        &editor,
        json!([row("clicks", "2027-03-02", "5", "after")]),
    )
    .await;
    assert_silent(&mut socket).await;

    // An id in use: 4409.
    subscribe(&mut socket, "2", json!({})).await;
    subscribe(&mut socket, "2", json!({})).await;
    assert_eq!(receive(&mut socket, PATIENCE).await, Some(Err(4409)));

    // A second connection_init: 4429.
    let mut socket = connect_as(&app, &viewer).await;
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {viewer}") } }),
    )
    .await;
    assert_eq!(receive(&mut socket, PATIENCE).await, Some(Err(4429)));

    // Something that is not a message of the protocol: 4400, with a reason.
    let mut socket = connect_as(&app, &viewer).await;
    send(&mut socket, json!({ "type": "start", "id": "1" })).await;
    let closed = receive_or_close(&mut socket, PATIENCE).await;
    assert!(
        matches!(&closed, Some(Err((4400, reason))) if reason.starts_with("invalid message")),
        "{closed:?}"
    );

    // A query runs over the socket too: `next`, then `complete`.
    let mut socket = connect_as(&app, &viewer).await;
    send(
        &mut socket,
        json!({ "id": "q", "type": "subscribe", "payload": { "query": "{ viewer { tenant { key } } }" } }),
    )
    .await;
    let answer = receive(&mut socket, PATIENCE).await.unwrap().unwrap();
    assert_eq!(answer["type"], "next", "{answer}");
    assert_eq!(answer["payload"]["data"]["viewer"]["tenant"]["key"], "acme");
    assert_eq!(
        receive(&mut socket, PATIENCE).await,
        Some(Ok(json!({ "id": "q", "type": "complete" })))
    );
}

#[tokio::test]
async fn a_subscription_over_the_cost_bound_is_refused_with_its_figure() {
    let app = TestApp::spawn_with(|config| config.query_limits.max_cost = 1).await;
    let token = app.token("acme", "viewer");
    let mut socket = connect_as(&app, &token).await;
    // The event and its measurement: two objects.
    let query = "subscription { measurementRecorded { measurement { kpiKey } } }";
    send(
        &mut socket,
        json!({ "id": "costly", "type": "subscribe", "payload": { "query": query } }),
    )
    .await;
    let errors = refusal_errors(&mut socket, "costly").await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["extensions"]["code"], "QUERY_TOO_COMPLEX");
    assert_eq!(
        errors[0]["message"],
        "the query may cost 2 (more than 1): ask for smaller pages or fewer nested lists"
    );
}
