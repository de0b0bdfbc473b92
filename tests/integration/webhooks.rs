//! Signed webhooks: ADMINs register endpoints (the secret shown once), the dispatcher POSTs
//! every change they subscribe to as signed JSON, in commit order, retries failures with a
//! backoff, disables an endpoint after sustained failure, and never reaches internal
//! addresses unless `LEVIER_WEBHOOK_ALLOW_PRIVATE` is set. A receiver on loopback (an actix
//! server in the test) records what arrives; the test checks each signature itself.

use std::{
    collections::VecDeque,
    io::{BufRead, BufReader, Read},
    net::{TcpListener, TcpStream},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::support::{
    TestApp, create_persona, create_plan, error_code, mutate, mutate_ok, user_errors,
};

/// What the receiver got: one request.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub signature: String,
    pub event_id: String,
    pub body: String,
}

#[derive(Default)]
struct ReceiverState {
    received: Vec<Received>,
    /// The statuses to answer, in order; 200 once empty.
    script: VecDeque<u16>,
    /// How long to wait before answering.
    delay: Duration,
}

/// A webhook receiver on loopback.
#[derive(Clone, Default)]
pub struct Receiver {
    state: Arc<Mutex<ReceiverState>>,
    pub url: String,
}

async fn receive(
    request: HttpRequest,
    body: web::Bytes,
    receiver: web::Data<Receiver>,
) -> HttpResponse {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (status, delay) = {
        let mut state = receiver
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.received.push(Received {
            path: request.path().to_owned(),
            signature: header("levier-signature"),
            event_id: header("levier-event-id"),
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        (state.script.pop_front().unwrap_or(200), state.delay)
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let status = actix_web::http::StatusCode::from_u16(status).unwrap();
    let mut response = HttpResponse::build(status);
    if status.is_redirection() {
        response.insert_header(("Location", "/elsewhere"));
    }
    response.finish()
}

impl Receiver {
    /// Starts a receiver on a free loopback port; its URL is `http://127.0.0.1:PORT/hooks`.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let receiver = Receiver {
            state: Arc::default(),
            url: format!("http://127.0.0.1:{port}/hooks"),
        };
        let data = web::Data::new(receiver.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .default_service(web::to(receive))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        receiver
    }

    /// Answers the next requests with these statuses.
    pub fn answer(&self, statuses: &[u16]) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .script
            .extend(statuses);
    }

    /// Waits this long before each answer.
    pub fn delay(&self, delay: Duration) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .delay = delay;
    }

    pub fn received(&self) -> Vec<Received> {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .received
            .clone()
    }

    /// Waits (at most `within`) until `done` holds for what was received, and returns it.
    pub async fn wait_for(
        &self,
        within: Duration,
        done: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let received = self.received();
            if done(&received) {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "the receiver did not get what was expected in time; it got: {received:#?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Checks a `Levier-Signature` header the way a receiver would, with its own HMAC.
pub fn signature_is_valid(secret: &str, header: &str, body: &str) -> bool {
    let mut timestamp = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => v1 = Some(value.to_owned()),
            _ => {}
        }
    }
    let (Some(timestamp), Some(v1)) = (timestamp, v1) else {
        return false;
    };
    if (chrono::Utc::now().timestamp() - timestamp).abs() > 300 {
        return false;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    hex::encode(mac.finalize().into_bytes()) == v1
}

const ENDPOINT_FIELDS: &str = "id url description eventTypes secretPrefix enabled disabledReason \
    consecutiveFailures failingSince nextAttemptAt createdBy version";

/// Registers an endpoint and returns (global ID, secret).
pub async fn register(
    app: &TestApp,
    admin: &str,
    url: &str,
    event_types: &[&str],
) -> (String, String) {
    let payload = mutate_ok(
        app,
        admin,
        "createWebhookEndpoint",
        &format!(
            "webhookEndpoint {{ {ENDPOINT_FIELDS} }} secret userErrors {{ field code message }}"
        ),
        json!({ "url": url, "description": "BI sync", "eventTypes": event_types }),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new(), "{payload}");
    (
        payload["webhookEndpoint"]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
        payload["secret"].as_str().unwrap().to_owned(),
    )
}

/// An app whose webhooks may reach loopback, retrying fast.
async fn spawn_private() -> TestApp {
    TestApp::spawn_with(|config| {
        config.webhooks.allow_private = true;
        config.webhooks.poll_interval = Duration::from_millis(100);
        config.webhooks.first_retry = Duration::from_millis(200);
    })
    .await
}

async fn deliveries(app: &TestApp, admin: &str, endpoint: &str) -> Vec<Value> {
    let data = app
        .data(
            admin,
            "query($id: ID!) { webhookDeliveries(endpointId: $id, first: 100) { totalCount nodes { \
             eventId eventType attempt statusCode error durationMs attemptedAt nextRetryAt succeeded } } }",
            json!({ "id": endpoint }),
        )
        .await;
    data["webhookDeliveries"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

async fn endpoint(app: &TestApp, admin: &str) -> Value {
    let data = app
        .data(
            admin,
            &format!(
                "{{ webhookEndpoints(first: 10) {{ totalCount nodes {{ {ENDPOINT_FIELDS} }} }} }}"
            ),
            json!({}),
        )
        .await;
    data["webhookEndpoints"]["nodes"][0].clone()
}

fn bodies(received: &[Received]) -> Vec<Value> {
    received
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn the_secret_is_shown_once_and_only_admins_manage_endpoints() {
    let app = spawn_private().await;
    let admin = app.token("acme", "admin");
    let receiver = Receiver::start().await;
    let (id, secret) = register(&app, &admin, &receiver.url, &["Plan.*", "Persona.DELETED"]).await;
    assert!(secret.starts_with("whsec_"));
    // Listed without its secret (no field holds it), with its prefix.
    let listed = app
        .gql(
            &admin,
            &format!("{{ webhookEndpoints {{ totalCount nodes {{ {ENDPOINT_FIELDS} }} }} }}"),
            json!({}),
        )
        .await;
    assert!(
        !listed.to_string().contains(&secret),
        "the secret is never read back"
    );
    let listed = &listed["data"]["webhookEndpoints"];
    assert_eq!(listed["totalCount"], 1);
    assert_eq!(listed["nodes"][0]["secretPrefix"], secret[6..14]);
    assert_eq!(
        listed["nodes"][0]["eventTypes"],
        json!(["Plan.*", "Persona.DELETED"])
    );
    assert_eq!(listed["nodes"][0]["enabled"], true);
    assert_eq!(listed["nodes"][0]["createdBy"], "acme-admin-user");

    // Update at the version read; a stale version is a conflict.
    let updated = mutate_ok(
        &app,
        &admin,
        "updateWebhookEndpoint",
        "webhookEndpoint { eventTypes version } userErrors { field code }",
        json!({ "id": id, "expectedVersion": 1, "eventTypes": ["*"] }),
    )
    .await;
    assert_eq!(updated["webhookEndpoint"]["eventTypes"], json!(["*"]));
    assert_eq!(updated["webhookEndpoint"]["version"], 2);
    let stale = mutate(
        &app,
        &admin,
        "updateWebhookEndpoint",
        "webhookEndpoint { id }",
        json!({ "id": id, "expectedVersion": 1, "description": "late" }),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    let invalid = mutate_ok(
        &app,
        &admin,
        "updateWebhookEndpoint",
        "webhookEndpoint { id } userErrors { field code }",
        json!({ "id": id, "expectedVersion": 2, "eventTypes": ["plan.created"] }),
    )
    .await;
    assert_eq!(user_errors(&invalid), vec!["input.eventTypes.0: INVALID"]);

    // Rotation gives a new secret, once.
    let rotated = mutate_ok(
        &app,
        &admin,
        "rotateWebhookEndpointSecret",
        "webhookEndpoint { secretPrefix version } secret userErrors { field code }",
        json!({ "id": id, "expectedVersion": 2 }),
    )
    .await;
    let new_secret = rotated["secret"].as_str().unwrap();
    assert_ne!(new_secret, secret);
    assert_eq!(
        rotated["webhookEndpoint"]["secretPrefix"],
        new_secret[6..14]
    );

    // The registration and its changes are in the audit trail, never a secret.
    let trail = app
        .data(
            &admin,
            "query($id: ID!) { auditEvents(filter: { objectId: $id }) { nodes { action objectType changedFields before after } } }",
            json!({ "id": id }),
        )
        .await["auditEvents"]["nodes"]
        .clone();
    let actions: Vec<&str> = trail
        .as_array()
        .expect("a list")
        .iter()
        .map(|entry| entry["action"].as_str().expect("an action"))
        .collect();
    assert_eq!(actions, ["CREATED", "UPDATED", "UPDATED"], "{trail}");
    assert_eq!(trail[0]["objectType"], "WebhookEndpoint");
    assert_eq!(trail[1]["changedFields"], json!(["eventTypes"]));
    let text = trail.to_string();
    assert!(
        !text.contains(&secret) && !text.contains(new_secret) && !text.contains("whsec_"),
        "no secret in the trail: {text}"
    );

    // Editors, viewers and API keys may not touch webhooks.
    for role in ["editor", "viewer"] {
        let token = app.token("acme", role);
        let refused = app
            .gql(&token, "{ webhookEndpoints { totalCount } }", json!({}))
            .await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{role}: {refused}");
        let refused = mutate(
            &app,
            &token,
            "createWebhookEndpoint",
            "secret",
            json!({ "url": receiver.url, "eventTypes": ["*"] }),
        )
        .await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{role}: {refused}");
        let refused = mutate(
            &app,
            &token,
            "enableWebhookEndpoint",
            "webhookEndpoint { id }",
            json!({ "id": id }),
        )
        .await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{role}: {refused}");
        let refused = app
            .gql(
                &token,
                "query($id: ID!) { webhookDeliveries(endpointId: $id) { totalCount } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{role}: {refused}");
    }

    let deleted = mutate_ok(
        &app,
        &admin,
        "deleteWebhookEndpoint",
        "deletedId userErrors { field code }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(deleted["deletedId"], id.as_str());
    let listed = app
        .data(&admin, "{ webhookEndpoints { totalCount } }", json!({}))
        .await;
    assert_eq!(listed["webhookEndpoints"]["totalCount"], 0);
}

#[tokio::test]
async fn another_tenant_sees_and_touches_nothing() {
    let app = spawn_private().await;
    let admin = app.token("acme", "admin");
    let other = app.token("globex", "admin");
    let receiver = Receiver::start().await;
    let (id, _) = register(&app, &admin, &receiver.url, &["*"]).await;

    let listed = app
        .data(
            &other,
            "{ webhookEndpoints { totalCount nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["webhookEndpoints"]["totalCount"], 0);
    let probe = app
        .gql(
            &other,
            "query($id: ID!) { webhookDeliveries(endpointId: $id) { totalCount } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(error_code(&probe), Some("NOT_FOUND"), "{probe}");
    for (field, input) in [
        (
            "updateWebhookEndpoint",
            json!({ "id": id, "expectedVersion": 1, "description": "mine" }),
        ),
        ("enableWebhookEndpoint", json!({ "id": id })),
        (
            "rotateWebhookEndpointSecret",
            json!({ "id": id, "expectedVersion": 1 }),
        ),
    ] {
        let probe = mutate(&app, &other, field, "webhookEndpoint { id }", input).await;
        assert_eq!(error_code(&probe), Some("NOT_FOUND"), "{field}: {probe}");
    }
    let probe = mutate(
        &app,
        &other,
        "deleteWebhookEndpoint",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(error_code(&probe), Some("NOT_FOUND"), "{probe}");
    // The endpoint is untouched, and the other tenant's writes are not sent to it.
    let mine = endpoint(&app, &admin).await;
    assert_eq!(mine["version"], 1);
    assert_eq!(mine["description"], "BI sync");
    create_plan(&app, &other, "Globex plan").await;
    create_plan(&app, &admin, "Acme plan").await;
    receiver
        .wait_for(Duration::from_secs(20), |r| !r.is_empty())
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = bodies(&receiver.received());
    assert!(!received.is_empty(), "{received:?}");
    for event in &received {
        assert_eq!(
            event["after"]["name"], "Acme plan",
            "only acme's events: {event}"
        );
    }
}

async fn refused_url(app: &TestApp, admin: &str, url: &str) -> Vec<String> {
    let payload = mutate_ok(
        app,
        admin,
        "createWebhookEndpoint",
        "webhookEndpoint { id } secret userErrors { field code message }",
        json!({ "url": url, "eventTypes": ["*"] }),
    )
    .await;
    if !user_errors(&payload).is_empty() {
        assert!(payload["webhookEndpoint"].is_null() && payload["secret"].is_null());
    }
    user_errors(&payload)
}

#[tokio::test]
async fn internal_addresses_are_refused_unless_allowed() {
    let strict = TestApp::spawn().await;
    let admin = strict.token("acme", "admin");
    let receiver = Receiver::start().await;
    for url in [
        receiver.url.as_str(),
        "http://localhost:9/hooks",
        "http://[::1]:9/",
        "http://[::ffff:127.0.0.1]:9/",
        "http://[::ffff:7f00:1]:9/",
        "http://10.1.2.3/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://0.0.0.0:9/",
        "http://224.0.0.1/",
        "ftp://example.com/",
        "http://user:password@example.com/",
        "not a url",
    ] {
        assert_eq!(
            refused_url(&strict, &admin, url).await,
            vec!["input.url: INVALID"],
            "{url}"
        );
    }
    let listed = strict
        .data(&admin, "{ webhookEndpoints { totalCount } }", json!({}))
        .await;
    assert_eq!(
        listed["webhookEndpoints"]["totalCount"], 0,
        "nothing was written"
    );

    // With LEVIER_WEBHOOK_ALLOW_PRIVATE, loopback and private ranges pass; 0.0.0.0 never does.
    let open = spawn_private().await;
    let admin = open.token("acme", "admin");
    assert_eq!(
        refused_url(&open, &admin, &receiver.url).await,
        Vec::<String>::new()
    );
    assert_eq!(
        refused_url(&open, &admin, "http://[::ffff:127.0.0.1]:9/").await,
        Vec::<String>::new()
    );
    assert_eq!(
        refused_url(&open, &admin, "http://0.0.0.0:9/").await,
        vec!["input.url: INVALID"]
    );
    assert_eq!(
        refused_url(&open, &admin, "http://[ff02::1]/").await,
        vec!["input.url: INVALID"]
    );
}

#[tokio::test]
async fn signed_events_arrive_in_commit_order() {
    let app = spawn_private().await;
    let admin = app.token("acme", "admin");
    let editor = app.token("acme", "editor");
    let receiver = Receiver::start().await;
    let (endpoint_id, secret) =
        register(&app, &admin, &receiver.url, &["Plan.*", "Persona.*"]).await;

    let plan = create_plan(&app, &editor, "Spring").await;
    let persona = create_persona(&app, &editor, "Runner").await;
    let renamed = mutate_ok(
        &app,
        &editor,
        "updatePlan",
        "plan { id } userErrors { field code }",
        json!({ "id": plan, "expectedVersion": 1, "name": "Spring 2027" }),
    )
    .await;
    assert_eq!(user_errors(&renamed), Vec::<String>::new());
    mutate_ok(
        &app,
        &app.token("acme", "admin"),
        "deletePersona",
        "deletedId",
        json!({ "id": persona }),
    )
    .await;

    receiver
        .wait_for(Duration::from_secs(20), |r| r.len() >= 4)
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = receiver.received();
    assert_eq!(
        received.len(),
        4,
        "each event once when every delivery succeeds: {received:#?}"
    );
    let events = bodies(&received);
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "Plan.CREATED",
            "Persona.CREATED",
            "Plan.UPDATED",
            "Persona.DELETED"
        ]
    );
    assert_eq!(events[0]["object"], json!({ "type": "Plan", "id": plan }));
    assert_eq!(events[2]["object"]["id"], plan.as_str());
    assert_eq!(events[2]["before"]["name"], "Spring");
    assert_eq!(events[2]["after"]["name"], "Spring 2027");
    assert!(
        events[2]["changedFields"]
            .as_array()
            .unwrap()
            .contains(&json!("name"))
    );
    assert_eq!(events[3]["object"]["id"], persona.as_str());
    assert!(
        events[3]["after"].is_null(),
        "a deletion carries no `after`"
    );
    assert_eq!(events[0]["actor"]["subject"], "acme-editor-user");
    for (request, event) in received.iter().zip(&events) {
        assert_eq!(request.path, "/hooks");
        assert!(
            signature_is_valid(&secret, &request.signature, &request.body),
            "{request:?}"
        );
        assert!(!signature_is_valid(
            "whsec_wrong",
            &request.signature,
            &request.body
        ));
        assert_eq!(request.event_id, event["id"].as_str().unwrap());
        assert!(event["occurredAt"].as_str().is_some());
        assert!(event["tenant"].as_str().is_some());
    }
    // The log has one successful first attempt per event.
    let log = deliveries(&app, &admin, &endpoint_id).await;
    assert_eq!(log.len(), 4);
    for row in &log {
        assert_eq!(row["attempt"], 1);
        assert_eq!(row["statusCode"], 200);
        assert_eq!(row["succeeded"], true);
        assert!(row["error"].is_null() && row["nextRetryAt"].is_null());
    }
}

#[tokio::test]
async fn failures_are_retried_with_backoff_until_the_receiver_recovers() {
    let app = spawn_private().await;
    let admin = app.token("acme", "admin");
    let receiver = Receiver::start().await;
    receiver.answer(&[500, 503]);
    let (endpoint_id, _) = register(&app, &admin, &receiver.url, &["*"]).await;
    create_plan(&app, &admin, "First").await;
    create_plan(&app, &admin, "Second").await;

    let received = receiver
        .wait_for(Duration::from_secs(30), |r| r.len() >= 4)
        .await;
    let events = bodies(&received);
    // The first event three times (two failures, then success), then the second: in order.
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["after"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["First", "First", "First", "Second"]);
    assert_eq!(
        received[0].event_id, received[2].event_id,
        "a retry carries the same event id"
    );
    let log = deliveries(&app, &admin, &endpoint_id).await;
    let summary: Vec<(i64, i64, bool)> = log
        .iter()
        .map(|row| {
            (
                row["attempt"].as_i64().unwrap(),
                row["statusCode"].as_i64().unwrap(),
                row["succeeded"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, 500, false),
            (2, 503, false),
            (3, 200, true),
            (1, 200, true)
        ]
    );
    assert!(log[0]["nextRetryAt"].is_string() && log[1]["nextRetryAt"].is_string());
    assert_eq!(log[0]["error"], "answered 500 Internal Server Error");
    // The second wait is about twice the first (±20 % jitter each).
    let wait = |row: &Value| {
        let at =
            chrono::DateTime::parse_from_rfc3339(row["attemptedAt"].as_str().unwrap()).unwrap();
        let next =
            chrono::DateTime::parse_from_rfc3339(row["nextRetryAt"].as_str().unwrap()).unwrap();
        (next - at).num_milliseconds()
    };
    assert!((160..=240).contains(&wait(&log[0])), "{}", wait(&log[0]));
    assert!((320..=480).contains(&wait(&log[1])), "{}", wait(&log[1]));
    let healthy = endpoint(&app, &admin).await;
    assert_eq!(healthy["consecutiveFailures"], 0);
    assert!(healthy["failingSince"].is_null() && healthy["nextAttemptAt"].is_null());
}

#[tokio::test]
async fn sustained_failure_disables_the_endpoint_until_an_admin_enables_it() {
    let app = TestApp::spawn_with(|config| {
        config.webhooks.allow_private = true;
        config.webhooks.poll_interval = Duration::from_millis(100);
        config.webhooks.first_retry = Duration::from_millis(100);
        config.webhooks.retry_for = Duration::from_secs(1);
    })
    .await;
    let admin = app.token("acme", "admin");
    let receiver = Receiver::start().await;
    receiver.answer(&[500; 100]);
    let (endpoint_id, _) = register(&app, &admin, &receiver.url, &["*"]).await;
    create_plan(&app, &admin, "Doomed").await;

    let deadline = Instant::now() + Duration::from_secs(20);
    let disabled = loop {
        let state = endpoint(&app, &admin).await;
        if state["enabled"] == false {
            break state;
        }
        assert!(Instant::now() < deadline, "not disabled: {state}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        disabled["disabledReason"]
            .as_str()
            .unwrap()
            .starts_with("every delivery failed since")
    );
    let attempts = receiver.received().len();
    assert!(attempts >= 2, "retried before giving up: {attempts}");
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        receiver.received().len(),
        attempts,
        "a disabled endpoint gets nothing"
    );
    let log = deliveries(&app, &admin, &endpoint_id).await;
    assert!(
        log.last().unwrap()["nextRetryAt"].is_null(),
        "the last attempt is not retried"
    );

    // The receiver recovers; an ADMIN enables the endpoint; the event arrives.
    receiver.state.lock().unwrap().script.clear();
    let enabled = mutate_ok(
        &app,
        &admin,
        "enableWebhookEndpoint",
        "webhookEndpoint { enabled disabledReason consecutiveFailures } userErrors { field code }",
        json!({ "id": endpoint_id }),
    )
    .await;
    assert_eq!(
        enabled["webhookEndpoint"],
        json!({ "enabled": true, "disabledReason": null, "consecutiveFailures": 0 })
    );
    let received = receiver
        .wait_for(Duration::from_secs(10), |r| r.len() > attempts)
        .await;
    // The first delivery after the failures is the event it missed (the enabling itself, an
    // audited change of the endpoint, follows it).
    assert_eq!(bodies(&received)[attempts]["after"]["name"], "Doomed");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let app = spawn_private().await;
    let admin = app.token("acme", "admin");
    let receiver = Receiver::start().await;
    receiver.answer(&[302]);
    let (endpoint_id, _) = register(&app, &admin, &receiver.url, &["*"]).await;
    create_plan(&app, &admin, "Moved").await;
    let received = receiver
        .wait_for(Duration::from_secs(20), |r| r.len() >= 2)
        .await;
    assert!(
        received.iter().all(|r| r.path == "/hooks"),
        "never /elsewhere: {received:#?}"
    );
    let log = deliveries(&app, &admin, &endpoint_id).await;
    assert_eq!(log[0]["statusCode"], 302);
    assert_eq!(log[0]["succeeded"], false);
    assert!(
        log[0]["error"]
            .as_str()
            .unwrap()
            .contains("redirects are not followed")
    );
}

/// The Python snippet of the README's "Webhooks" section.
fn readme_snippet() -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let section = readme
        .split("\n### Webhooks\n")
        .nth(1)
        .expect("a Webhooks section");
    let section = section.split("\n## ").next().unwrap();
    let start = section.find("```python\n").expect("a python block") + "```python\n".len();
    let end = start + section[start..].find("\n```").unwrap();
    section[start..end].to_owned()
}

#[tokio::test]
async fn the_readme_snippet_verifies_a_real_delivery() {
    let app = spawn_private().await;
    let admin = app.token("acme", "admin");
    let receiver = Receiver::start().await;
    let (_, secret) = register(&app, &admin, &receiver.url, &["*"]).await;
    create_plan(&app, &admin, "Checked").await;
    let received = receiver
        .wait_for(Duration::from_secs(20), |r| !r.is_empty())
        .await;
    let request = &received[0];
    let directory =
        std::env::temp_dir().join(format!("levier-webhook-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&directory).unwrap();
    let script = directory.join("verify.py");
    std::fs::write(
        &script,
        format!(
            "{}\n\nimport sys\nbody = open(sys.argv[3], 'rb').read()\nprint(verify(sys.argv[1], sys.argv[2], body))\n",
            readme_snippet()
        ),
    )
    .unwrap();
    let run = |secret: &str, body: &str| {
        let body_file = directory.join("body.json");
        std::fs::write(&body_file, body).unwrap();
        let output = Command::new("python3")
            .arg(&script)
            .arg(secret)
            .arg(&request.signature)
            .arg(&body_file)
            .output()
            .expect("python3 runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    assert_eq!(run(&secret, &request.body), "True");
    assert_eq!(
        run(&secret, &request.body.replace("Checked", "Forged")),
        "False"
    );
    assert_eq!(run("whsec_wrong", &request.body), "False");
    let _ = std::fs::remove_dir_all(&directory);
}

/// The environment variable that makes [`webhook_server_process`] serve.
const CHILD_VARIABLE: &str = "LEVIER_WEBHOOK_CHILD";

/// Runs `levier serve` when started by [`a_killed_server_loses_no_event`].
#[tokio::test]
#[ignore = "the kill test's server process: that test starts it; alone it returns at once"]
async fn webhook_server_process() {
    use clap::Parser;
    if std::env::var(CHILD_VARIABLE).is_err() {
        return;
    }
    let cli = levier::cli::Cli::parse_from(["levier", "serve"]);
    levier::cli::run(cli)
        .await
        .unwrap_or_else(|error| panic!("levier serve: {error:#}"));
}

/// A `levier serve` process, killed (SIGKILL) when dropped.
struct ServerProcess {
    child: Child,
    output: Arc<Mutex<Vec<String>>>,
}

fn drain(stream: impl Read + Send + 'static, output: Arc<Mutex<Vec<String>>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            output
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(line);
        }
    });
}

impl ServerProcess {
    fn start(database_url: &str, port: u16) -> Self {
        let mut child = Command::new(crate::support::this_test_binary())
            .args([
                "webhooks::webhook_server_process",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_VARIABLE, "1")
            .env("LEVIER_DATABASE_URL", database_url)
            .env("LEVIER_BIND", format!("127.0.0.1:{port}"))
            .env("LEVIER_WORKERS", "1")
            .env("LEVIER_WEBHOOK_ALLOW_PRIVATE", "1")
            .env("LEVIER_WEBHOOK_POLL_MS", "100")
            .env("LEVIER_WEBHOOK_FIRST_RETRY_MS", "200")
            .env("LEVIER_WEBHOOK_TIMEOUT_SECONDS", "10")
            .env("LEVIER_WEBHOOK_LEASE_SECONDS", "12")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        drain(child.stdout.take().unwrap(), output.clone());
        drain(child.stderr.take().unwrap(), output.clone());
        Self { child, output }
    }

    fn tail(&self) -> String {
        let output = self.output.lock().unwrap_or_else(PoisonError::into_inner);
        output[output.len().saturating_sub(40)..].join("\n")
    }

    async fn wait_listening(&mut self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(120);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the server exited ({status}):\n{}", self.tail());
            }
            assert!(
                Instant::now() < deadline,
                "the server did not start:\n{}",
                self.tail()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A client of a server process.
async fn gql(
    client: &reqwest::Client,
    port: u16,
    token: &str,
    query: &str,
    variables: Value,
) -> Value {
    client
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_killed_server_loses_no_event() {
    // A database both processes reach in turn: a file on SQLite, the test schema on PostgreSQL.
    let file = std::env::temp_dir().join(format!(
        "levier-webhooks-{}.sqlite",
        uuid::Uuid::now_v7().simple()
    ));
    let database_url = if crate::support::on_postgres() {
        crate::support::fresh_database_url().await
    } else {
        format!("sqlite://{}?mode=rwc", file.display())
    };
    let receiver = Receiver::start().await;
    // Slow answers: the kill lands while a delivery is in flight.
    receiver.delay(Duration::from_millis(700));
    let port = free_port();
    let mut server = ServerProcess::start(&database_url, port);
    server.wait_listening(port).await;
    let client = reqwest::Client::new();
    let admin = crate::support::mint(&crate::support::base_claims("acme", "admin"));
    let created = gql(
        &client,
        port,
        &admin,
        "mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret userErrors { message } } }",
        json!({ "input": { "url": receiver.url, "eventTypes": ["Plan.*"] } }),
    )
    .await;
    let secret = created["data"]["createWebhookEndpoint"]["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    let mut names = Vec::new();
    for index in 0..6 {
        let name = format!("Plan {index}");
        let answer = gql(
            &client,
            port,
            &admin,
            "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }",
            json!({ "input": { "name": name, "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "budget": "1000" } }),
        )
        .await;
        assert!(
            answer["data"]["createPlan"]["plan"]["id"].is_string(),
            "{answer}"
        );
        names.push(name);
    }
    // Killed while the second delivery is being answered.
    receiver
        .wait_for(Duration::from_secs(30), |r| r.len() >= 2)
        .await;
    server.kill();
    let before_restart = receiver.received().len();
    assert!(
        before_restart < names.len(),
        "the kill came before the end: {before_restart}"
    );

    receiver.delay(Duration::ZERO);
    let port = free_port();
    let mut restarted = ServerProcess::start(&database_url, port);
    restarted.wait_listening(port).await;
    let received = receiver
        .wait_for(Duration::from_secs(60), |r| {
            let got: Vec<Value> = bodies(r);
            names
                .iter()
                .all(|name| got.iter().any(|e| e["after"]["name"] == name.as_str()))
        })
        .await;
    // Every event at least once, each validly signed, first deliveries in commit order.
    let mut first_seen: Vec<String> = Vec::new();
    for request in &received {
        assert!(signature_is_valid(
            &secret,
            &request.signature,
            &request.body
        ));
        let event: Value = serde_json::from_str(&request.body).unwrap();
        let name = event["after"]["name"].as_str().unwrap().to_owned();
        if !first_seen.contains(&name) {
            first_seen.push(name);
        }
    }
    assert_eq!(
        first_seen,
        names,
        "in order: {:#?}\n{}",
        received,
        restarted.tail()
    );
    drop(restarted);
    drop(server);
    let _ = std::fs::remove_file(&file);
}

/// The plan IDs in the change feed, from its start.
async fn plans_in_feed(app: &TestApp, token: &str) -> Vec<String> {
    crate::changes::settle(app).await;
    let data = app
        .data(
            token,
            "{ changes(types: [PLAN]) { changes { objectId } } }",
            json!({}),
        )
        .await;
    data["changes"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| change["objectId"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_retention_purge_keeps_what_an_enabled_endpoint_has_not_received() {
    let app = spawn_private().await;
    let admin = app.token("acme", "admin");
    let old = create_plan(&app, &admin, "Old").await;
    let receiver = Receiver::start().await;
    receiver.answer(&[500; 1000]);
    let (endpoint_id, _) = register(&app, &admin, &receiver.url, &["*"]).await;
    let pending = create_plan(&app, &admin, "Pending").await;
    receiver
        .wait_for(Duration::from_secs(20), |r| !r.is_empty())
        .await;
    assert_eq!(
        plans_in_feed(&app, &admin).await,
        [old.clone(), pending.clone()]
    );

    // Everything is older than tomorrow; what the endpoint has not received stays.
    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    let database = app.app.database();
    levier::store::audit::purge_older_than(database, tomorrow)
        .await
        .unwrap();
    assert_eq!(plans_in_feed(&app, &admin).await, [pending]);

    // Once the endpoint is gone, nothing holds the events back.
    mutate_ok(
        &app,
        &admin,
        "deleteWebhookEndpoint",
        "deletedId",
        json!({ "id": endpoint_id }),
    )
    .await;
    levier::store::audit::purge_older_than(database, tomorrow)
        .await
        .unwrap();
    assert_eq!(plans_in_feed(&app, &admin).await, Vec::<String>::new());
}
