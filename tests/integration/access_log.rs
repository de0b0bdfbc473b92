//! The access log (issue 12, item 3): one `info` event of target `levier::access` per request,
//! whatever its status, with its method, route pattern, status, latency, SQL statements,
//! GraphQL operations, error codes, tenant, credential kind (never the credential) and request
//! id.
//!
//! The events are captured by a layer of the process's tracing subscriber, installed once for
//! the whole test binary and listening to that target only; many applications log into it at
//! once, so each test finds its lines by the `x-request-id` its responses carry.

use std::{
    collections::BTreeMap,
    fmt,
    sync::{Mutex, OnceLock},
};

use reqwest::{RequestBuilder, StatusCode};
use serde_json::json;
use tracing::{
    Event, Subscriber,
    field::{Field, Visit},
};
use tracing_subscriber::{
    Layer, filter::Targets, layer::Context, layer::SubscriberExt, util::SubscriberInitExt,
};

use crate::support::{TestApp, mutate_ok};

/// One captured access line: its fields, as text.
type Line = BTreeMap<String, String>;

static LINES: Mutex<Vec<Line>> = Mutex::new(Vec::new());

/// Keeps the access lines.
struct Capture;

struct Fields<'a>(&'a mut Line);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S: Subscriber> Layer<S> for Capture {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut line = Line::new();
        event.record(&mut Fields(&mut line));
        LINES.lock().unwrap_or_else(|e| e.into_inner()).push(line);
    }
}

/// Installs the capturing subscriber (once for the process).
fn capture() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        tracing_subscriber::registry()
            .with(
                Capture.with_filter(
                    Targets::new().with_target("levier::access", tracing::Level::INFO),
                ),
            )
            .try_init()
            .expect("no other global subscriber in the test binary");
    });
}

/// The access lines logged with `request_id`.
fn lines_of(request_id: &str) -> Vec<Line> {
    LINES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter(|line| line.get("request_id").map(String::as_str) == Some(request_id))
        .cloned()
        .collect()
}

/// Sends `request`; returns its status and the one access line of its request id.
async fn logged(request: RequestBuilder) -> (StatusCode, Line) {
    let response = request.send().await.expect("an answer");
    let status = response.status();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .expect("every response has an x-request-id")
        .to_owned();
    let lines = lines_of(&request_id);
    assert_eq!(
        lines.len(),
        1,
        "one access line for {request_id}: {lines:?}"
    );
    let line = lines.into_iter().next().unwrap_or_default();
    assert_eq!(line["message"], "request", "{line:?}");
    assert_eq!(line["status"], status.as_u16().to_string(), "{line:?}");
    let latency: f64 = line["latency_ms"]
        .parse()
        .expect("a latency in milliseconds");
    assert!(latency >= 0.0, "{line:?}");
    (status, line)
}

/// The fields of `line` among `names`, for comparisons that show every difference at once.
fn fields(line: &Line, names: &[&str]) -> BTreeMap<String, String> {
    names
        .iter()
        .filter_map(|name| {
            line.get(*name)
                .map(|value| ((*name).to_owned(), value.clone()))
        })
        .collect()
}

fn expect(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

const SHOWN: [&str; 8] = [
    "method",
    "route",
    "status",
    "operation",
    "codes",
    "tenant",
    "credential",
    "statements",
];

fn graphql(app: &TestApp, authorization: Option<&str>, body: serde_json::Value) -> RequestBuilder {
    let request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&body);
    match authorization {
        Some(value) => request.header("Authorization", value),
        None => request,
    }
}

#[tokio::test]
async fn every_request_has_one_access_line_with_its_fields() {
    capture();
    let app = TestApp::spawn().await;
    let token = app.token("access", "admin");
    let bearer = format!("Bearer {token}");
    // Warm the tenant up, so that the next request's statements are its own.
    app.data(&token, "{ viewer { subject } }", json!({})).await;

    // A named query with a JWT: its statements (loaders included) are the app's own count.
    let before = app.statements();
    let (status, line) = logged(graphql(
        &app,
        Some(&bearer),
        json!({ "query": "query AccessLogPlans { plans(first: 5) { nodes { name personas { name } campaigns(first: 3) { nodes { name } } } } }" }),
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    let statements = (app.statements() - before).to_string();
    assert_eq!(
        fields(&line, &SHOWN),
        expect(&[
            ("method", "POST"),
            ("route", "/graphql"),
            ("status", "200"),
            ("operation", "AccessLogPlans"),
            ("tenant", "access"),
            ("credential", "jwt"),
            ("statements", &statements),
        ])
    );
    assert!(
        line.values().all(|value| !value.contains(&token)),
        "the token is never logged: {line:?}"
    );

    // A forged token: 401, its kind but no tenant.
    let (status, line) = logged(graphql(
        &app,
        Some("Bearer forged.token.here"),
        json!({ "query": "{ viewer { subject } }" }),
    ))
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        fields(
            &line,
            &["status", "operation", "codes", "tenant", "credential"]
        ),
        expect(&[
            ("status", "401"),
            ("operation", "anonymous"),
            ("codes", "UNAUTHENTICATED"),
            ("credential", "jwt"),
        ])
    );

    // A document that does not parse: 400, its operation unknown.
    let (status, line) = logged(graphql(
        &app,
        Some(&bearer),
        json!({ "query": "query Broken { plans(" }),
    ))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        fields(&line, &["operation", "codes", "tenant"]),
        expect(&[
            ("operation", "unknown"),
            ("codes", "BAD_USER_INPUT"),
            ("tenant", "access"),
        ])
    );

    // Refused before the credential is looked at: its kind all the same, no tenant.
    let (status, line) = logged(
        app.client
            .post(format!("{}/graphql", app.address))
            .header("Authorization", &bearer)
            .header("Content-Type", "text/plain")
            .body("{ viewer { subject } }"),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        fields(
            &line,
            &["status", "operation", "codes", "tenant", "credential"]
        ),
        expect(&[
            ("status", "415"),
            ("codes", "BAD_USER_INPUT"),
            ("credential", "jwt"),
        ])
    );

    // A path no route takes: 404, `unmatched`, no credential.
    let (status, line) = logged(app.client.get(format!("{}/no/such/path", app.address))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        fields(&line, &SHOWN),
        expect(&[
            ("method", "GET"),
            ("route", "unmatched"),
            ("status", "404"),
            ("codes", "NOT_FOUND"),
            ("credential", "none"),
            ("statements", "0"),
        ])
    );

    // A plain-HTTP endpoint: the route's pattern, not the path with its ID.
    let (status, line) = logged(
        app.client
            .get(format!("{}/plans/UGxhbjpub25l/document.md", app.address))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        fields(&line, &["route", "codes", "tenant", "credential"]),
        expect(&[
            ("route", "/plans/{id}/document.md"),
            ("codes", "NOT_FOUND"),
            ("tenant", "access"),
            ("credential", "jwt"),
        ])
    );

    // An API key as Basic credentials on a CSV export.
    let key = mutate_ok(
        &app,
        &token,
        "createApiKey",
        "secret",
        json!({ "name": "BI", "scopes": ["READ_KPIS"] }),
    )
    .await["secret"]
        .as_str()
        .expect("a secret")
        .to_owned();
    let (status, line) = logged(
        app.client
            .get(format!("{}/export/measurements.csv", app.address))
            .basic_auth("powerbi", Some(&key)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        fields(&line, &["route", "status", "codes", "tenant", "credential"]),
        expect(&[
            ("route", "/export/measurements.csv"),
            ("status", "200"),
            ("tenant", "access"),
            ("credential", "api_key"),
        ])
    );
    assert!(line.values().all(|value| !value.contains(&key)), "{line:?}");
}

#[tokio::test]
async fn refusals_and_batches_have_their_codes() {
    capture();
    let app = TestApp::spawn_with(|config| {
        config.allow_batching = true;
        config.rate_limits.credential.burst = std::num::NonZeroU32::new(40).expect("not zero");
        config.rate_limits.credential.per_second = std::num::NonZeroU32::MIN;
    })
    .await;
    let bearer = format!("Bearer {}", app.token("access-batch", "viewer"));
    // A batch: each operation's name and code, in order.
    let (status, line) = logged(graphql(
        &app,
        Some(&bearer),
        json!([
            { "query": "query First { viewer { subject } }" },
            { "query": "query Second { node(id: \"bm90OmFuaWQ\") { id } }" },
            { "query": "mutation Third { createPersona(input: {name: \"P\"}) { persona { id } } }" },
        ]),
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(line["operation"], "First,Second,Third", "{line:?}");
    let codes: Vec<&str> = line["codes"].split(',').collect();
    assert_eq!(codes.len(), 3, "{line:?}");
    assert_eq!(codes[0], "ok", "{line:?}");
    assert_eq!(codes[2], "FORBIDDEN", "a viewer writes nothing: {line:?}");
    // Spent: 429, RATE_LIMITED.
    let expensive = json!({ "query": "query Spend { plans(first: 50) { totalCount } }" });
    let mut refused = None;
    for _ in 0..5 {
        let (status, line) = logged(graphql(&app, Some(&bearer), expensive.clone())).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(line);
            break;
        }
    }
    let line = refused.expect("the budget runs out");
    assert_eq!(
        fields(
            &line,
            &["status", "operation", "codes", "credential", "tenant"]
        ),
        expect(&[
            ("status", "429"),
            ("operation", "Spend"),
            ("codes", "RATE_LIMITED"),
            ("credential", "jwt"),
            ("tenant", "access-batch"),
        ])
    );
}
