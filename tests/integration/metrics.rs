//! `GET /metrics` (issue 12, item 1): the Prometheus text exposition, parsed with a Prometheus
//! text parser after the README's requests, with every family present and counting; and who
//! may read it (open in development; in production a bearer token, a listener of its own, or a
//! 404).
//!
//! The recorder is global to the process, and the tests start many applications in it: these
//! tests assert on what changed between two scrapes (other tests can only add to a counter),
//! or on labels no other test uses (an operation name with a UUID in it).

use std::{net::TcpListener, time::Duration};

use prometheus_parse::{Scrape, Value as Sampled};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::json;

use crate::{
    subscriptions::{self, Socket},
    support::{TestApp, create_plan, error_code, mutate_ok},
};

/// Every family the server exposes, with the labels its samples carry.
const FAMILIES: [&str; 14] = [
    "levier_http_requests_total",
    "levier_http_request_duration_seconds",
    "levier_http_request_sql_statements",
    "levier_graphql_operations_total",
    "levier_graphql_operation_duration_seconds",
    "levier_graphql_subscriptions_open",
    "levier_db_pool_connections",
    "levier_db_pool_max_connections",
    "levier_db_pool_acquire_timeouts_total",
    "levier_measurements_ingested_total",
    "levier_measurements_refused_total",
    "levier_rate_limit_refusals_total",
    "levier_query_limit_refusals_total",
    "levier_build_info",
];

/// Issue 11's million-node query, refused for its cost.
const MILLION: &str = "{ plans(first: 100) { nodes { campaigns(first: 100) { nodes { \
     actions(first: 100) { nodes { title } } } } } } }";

/// README, "First requests": "Read it all back" (an anonymous query).
const READ_BACK: &str = "{ viewer { subject role tenant { key } } plans(first: 10) { totalCount \
     nodes { name budget personas { name } objectives { title target } campaigns(first: 10) { \
     totalCount nodes { name levers startDate endDate budget status } } } } }";

/// A parsed scrape, and its text.
struct Metrics(Scrape, String);

impl Metrics {
    fn parse(text: &str) -> Self {
        let lines = text.lines().map(|line| Ok(line.to_owned()));
        Self(
            Scrape::parse(lines).expect("the Prometheus text format"),
            text.to_owned(),
        )
    }

    /// The value of the sample written exactly `series` (`name{labels}`), read from the text:
    /// prometheus-parse skips the samples whose label values hold a brace, as route patterns
    /// do (`/plans/{id}/document.md`), which the format allows and Prometheus reads.
    fn raw_value(&self, series: &str) -> f64 {
        self.1
            .lines()
            .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
            .unwrap_or(0.0)
    }

    /// The samples of `name` carrying every label of `labels`.
    fn samples<'a>(
        &'a self,
        name: &'a str,
        labels: &'a [(&'a str, &'a str)],
    ) -> impl Iterator<Item = &'a prometheus_parse::Sample> + 'a {
        self.0.samples.iter().filter(move |sample| {
            sample.metric == name
                && labels
                    .iter()
                    .all(|(label, value)| sample.labels.get(label) == Some(value))
        })
    }

    /// The sum of the counters or gauges `name` carrying `labels` (0 without any).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.samples(name, labels)
            .map(|sample| match &sample.value {
                Sampled::Counter(value) | Sampled::Gauge(value) | Sampled::Untyped(value) => *value,
                other => panic!("{name} is not a counter or a gauge: {other:?}"),
            })
            .sum()
    }

    /// How many observations the histograms `name` carrying `labels` hold.
    fn observations(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.samples(name, labels)
            .map(|sample| match &sample.value {
                Sampled::Histogram(buckets) => buckets
                    .iter()
                    .find(|bucket| bucket.less_than.is_infinite())
                    .map_or(0.0, |bucket| bucket.count),
                other => panic!("{name} is not a histogram: {other:?}"),
            })
            .sum()
    }
}

/// `GET /metrics` on `address`, with `authorization` if any: its status and its body.
async fn get_metrics(address: &str, authorization: Option<&str>) -> (StatusCode, String) {
    let mut request = reqwest::Client::new().get(format!("{address}/metrics"));
    if let Some(authorization) = authorization {
        request = request.header("Authorization", authorization);
    }
    let response = request.send().await.expect("the metrics answer");
    let status = response.status();
    if status == StatusCode::OK {
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|value| value.to_str().ok()),
            Some("text/plain; version=0.0.4; charset=utf-8")
        );
    }
    (status, response.text().await.unwrap_or_default())
}

/// The metrics of `app`, open to anyone.
async fn scrape(app: &TestApp) -> Metrics {
    let (status, body) = get_metrics(&app.address, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    Metrics::parse(&body)
}

/// A name no other test uses.
fn unique_name(prefix: &str) -> String {
    format!("{prefix}{}", uuid::Uuid::now_v7().simple())
}

#[tokio::test]
async fn every_family_counts_after_the_readme_requests() {
    let app = TestApp::spawn().await;
    let token = app.token("metrics", "admin");
    let before = scrape(&app).await;

    // README, "First requests", with named operations this test alone sends.
    let persona_operation = unique_name("CreatePersona");
    let persona = app
        .data(
            &token,
            &format!(
                "mutation {persona_operation} {{ createPersona(input: {{name: \"Sophie\", \
                 preferredLevers: [SEO, EMAILING]}}) {{ persona {{ id }} userErrors {{ code }} }} }}"
            ),
            json!({}),
        )
        .await;
    assert!(
        persona["createPersona"]["persona"]["id"].is_string(),
        "{persona}"
    );
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let read_back = app.data(&token, READ_BACK, json!({})).await;
    assert_eq!(read_back["plans"]["totalCount"], 1, "{read_back}");
    let document = app
        .client
        .get(format!("{}/plans/{plan}/document.md", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .expect("the document answers");
    assert_eq!(document.status(), StatusCode::OK);
    // Measurements: a batch written, and one refused whole for its one bad row.
    let recorded = mutate_ok(
        &app,
        &token,
        "recordMeasurements",
        "inserted userErrors { code }",
        json!({ "measurements": [
            { "kpiKey": "clicks", "date": "2027-03-01", "value": "120", "source": "metrics-test" },
            { "kpiKey": "spend", "date": "2027-03-01", "value": "80.5", "source": "metrics-test" },
        ] }),
    )
    .await;
    assert_eq!(recorded["inserted"], 2, "{recorded}");
    let refused = mutate_ok(
        &app,
        &token,
        "recordMeasurements",
        "inserted userErrors { code }",
        json!({ "measurements": [
            { "kpiKey": "clicks", "date": "2027-03-02", "value": "1", "source": "metrics-test" },
            { "kpiKey": "no_such_kpi", "date": "2027-03-02", "value": "1", "source": "metrics-test" },
            { "kpiKey": "clicks", "date": "2027-03-03", "value": "1", "source": "metrics-test" },
        ] }),
    )
    .await;
    assert_eq!(refused["inserted"], 0, "{refused}");
    // A refused credential, and a query refused for its cost.
    let refused_operation = unique_name("Refused");
    let (status, _) = app
        .post(
            Some("not-a-token"),
            &[],
            &json!({ "query": format!("query {refused_operation} {{ viewer {{ subject }} }}") }),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = app
        .post(Some(&token), &[], &json!({ "query": MILLION }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_code(&body), Some("QUERY_TOO_COMPLEX"), "{body}");
    // A subscription, open while the metrics are read.
    let mut socket: Socket = subscriptions::connect_as(&app, &token).await;
    subscriptions::subscribe(&mut socket, "live", json!({ "kpiKeys": ["clicks"] })).await;
    let open = wait_for_open_subscription(&app).await;

    let after = scrape(&app).await;
    let grew = |name: &str, labels: &[(&str, &str)]| {
        after.value(name, labels) - before.value(name, labels)
    };
    // HTTP, by route pattern (never the raw path) and status.
    let graphql_200 = [("method", "POST"), ("route", "/graphql"), ("status", "200")];
    // Five answered 200 (the persona, the plan, the read-back, two measurement batches).
    assert!(grew("levier_http_requests_total", &graphql_200) >= 5.0);
    assert!(
        grew(
            "levier_http_requests_total",
            &[("route", "/graphql"), ("status", "401")]
        ) >= 1.0
    );
    let document_series = "levier_http_requests_total{method=\"GET\",\
                           route=\"/plans/{id}/document.md\",status=\"200\"}";
    assert!(
        after.raw_value(document_series) - before.raw_value(document_series) >= 1.0,
        "{}",
        after.1
    );
    assert!(!after.1.contains(&plan), "a route label holds a raw path");
    let graphql_route = [("method", "POST"), ("route", "/graphql")];
    assert!(
        after.observations("levier_http_request_duration_seconds", &graphql_route)
            - before.observations("levier_http_request_duration_seconds", &graphql_route)
            >= 7.0
    );
    assert!(
        after.observations(
            "levier_http_request_sql_statements",
            &[("route", "/graphql")]
        ) > before.observations(
            "levier_http_request_sql_statements",
            &[("route", "/graphql")]
        )
    );
    assert!(
        grew(
            "levier_http_request_sql_statements_sum",
            &[("route", "/graphql")]
        ) > 0.0,
        "the statements of the requests were counted"
    );
    // GraphQL operations, by bounded name, type and code.
    let named = [
        ("operation", persona_operation.as_str()),
        ("type", "mutation"),
        ("code", "ok"),
    ];
    assert_eq!(after.value("levier_graphql_operations_total", &named), 1.0);
    assert_eq!(
        after.observations(
            "levier_graphql_operation_duration_seconds",
            &[
                ("operation", persona_operation.as_str()),
                ("type", "mutation")
            ]
        ),
        1.0
    );
    let unauthenticated = [
        ("operation", refused_operation.as_str()),
        ("type", "query"),
        ("code", "UNAUTHENTICATED"),
    ];
    assert_eq!(
        after.value("levier_graphql_operations_total", &unauthenticated),
        1.0
    );
    assert!(
        grew(
            "levier_graphql_operations_total",
            &[
                ("operation", "anonymous"),
                ("type", "query"),
                ("code", "ok")
            ]
        ) >= 1.0
    );
    assert!(
        grew(
            "levier_graphql_operations_total",
            &[("operation", "unknown"), ("code", "QUERY_TOO_COMPLEX")]
        ) >= 1.0
    );
    assert!(grew("levier_query_limit_refusals_total", &[("limit", "cost")]) >= 1.0);
    // Measurements ingested and refused.
    assert!(
        grew(
            "levier_measurements_ingested_total",
            &[("write", "inserted")]
        ) >= 2.0
    );
    assert!(grew("levier_measurements_refused_total", &[]) >= 3.0);
    // The pool, read at scrape time, and the open subscription.
    let connections = after.value("levier_db_pool_connections", &[("state", "idle")])
        + after.value("levier_db_pool_connections", &[("state", "in_use")]);
    assert!(connections >= 1.0, "{connections}");
    assert!(after.value("levier_db_pool_max_connections", &[]) >= 1.0);
    assert!(open >= 1.0);
    // The build.
    assert_eq!(
        after.value(
            "levier_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        1.0
    );
    // Every family is described, and present from the first scrape (counters at 0 included).
    for family in FAMILIES {
        assert!(after.0.docs.contains_key(family), "no HELP for {family}");
        assert!(
            after.0.samples.iter().any(|sample| sample.metric == family),
            "no sample of {family}"
        );
    }
    drop(socket);
}

/// The open subscriptions once this test's is counted (its `subscribe` is handled a moment
/// after it is sent).
async fn wait_for_open_subscription(app: &TestApp) -> f64 {
    for _ in 0..50 {
        let open = scrape(app)
            .await
            .value("levier_graphql_subscriptions_open", &[]);
        if open >= 1.0 {
            return open;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the subscription is never counted open");
}

#[tokio::test]
async fn rate_limit_refusals_are_counted_by_the_budget_that_was_short() {
    let app = TestApp::spawn_with(|config| {
        config.rate_limits.credential.burst = std::num::NonZeroU32::MIN;
        config.rate_limits.credential.per_second = std::num::NonZeroU32::MIN;
    })
    .await;
    let tenant_app = TestApp::spawn_with(|config| {
        config.rate_limits.tenant.burst = std::num::NonZeroU32::new(3).expect("not zero");
        config.rate_limits.tenant.per_second = std::num::NonZeroU32::MIN;
    })
    .await;
    let before = scrape(&app).await;
    let token = app.token("metrics-rate", "viewer");
    let viewer = json!({ "query": "{ viewer { subject } }" });
    assert_eq!(app.post(Some(&token), &[], &viewer).await.0, StatusCode::OK);
    assert_eq!(
        app.post(Some(&token), &[], &viewer).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Two credentials of one tenant: the second finds the tenant's budget spent.
    let alice = tenant_app.token("metrics-rate-tenant", "viewer");
    let bob = tenant_app.token("metrics-rate-tenant", "editor");
    let query = json!({ "query": "{ plans(first: 2) { totalCount } }" });
    assert_eq!(
        tenant_app.post(Some(&alice), &[], &query).await.0,
        StatusCode::OK
    );
    assert_eq!(
        tenant_app.post(Some(&bob), &[], &query).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    let after = scrape(&app).await;
    for scope in ["credential", "tenant"] {
        let labels = [("scope", scope)];
        assert!(
            after.value("levier_rate_limit_refusals_total", &labels)
                - before.value("levier_rate_limit_refusals_total", &labels)
                >= 1.0,
            "{scope}"
        );
    }
    assert!(
        after.value(
            "levier_http_requests_total",
            &[("route", "/graphql"), ("status", "429")]
        ) >= 2.0
    );
}

#[tokio::test]
async fn a_pool_that_runs_out_counts_its_timeouts() {
    let app = TestApp::spawn_with(|config| {
        config.database_max_connections = 1;
        config.database_acquire_timeout = Duration::from_millis(200);
    })
    .await;
    let token = app.token("metrics-pool", "admin");
    app.data(&token, "{ viewer { subject } }", json!({})).await;
    let before = scrape(&app).await;
    // The pool's one connection, held.
    let transaction = sea_orm::TransactionTrait::begin(app.app.database())
        .await
        .expect("the one connection");
    let (status, body) = app
        .post(
            Some(&token),
            &[],
            &json!({ "query": "{ plans(first: 1) { totalCount } }" }),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    drop(transaction);
    let after = scrape(&app).await;
    assert!(
        after.value("levier_db_pool_acquire_timeouts_total", &[])
            > before.value("levier_db_pool_acquire_timeouts_total", &[])
    );
}

#[tokio::test]
async fn production_hides_the_metrics_unless_a_token_or_a_listener_is_set() {
    let production = |token: Option<&str>| {
        let token = token.map(|token| SecretString::from(token.to_owned()));
        move |config: &mut levier::Config| {
            config.environment = levier::config::Environment::Production;
            config.metrics.production = true;
            config.metrics.token = token;
        }
    };
    // Neither: 404, like an unknown route.
    let hidden = TestApp::spawn_with(production(None)).await;
    let (status, body) = get_metrics(&hidden.address, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let unknown = hidden
        .client
        .get(format!("{}/no-such-route", hidden.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(unknown.text().await.unwrap_or_default(), body);

    // A token: only its holders read them, in constant time and whatever the scheme's case.
    let token = "metrics-token-of-the-test-0123456789";
    let guarded = TestApp::spawn_with(production(Some(token))).await;
    for refused in [
        None,
        Some("Bearer wrong-token"),
        Some("Bearer metrics-token-of-the-test-012345678"),
        Some("Basic bWV0cmljczp0b2tlbg=="),
        Some(token),
    ] {
        let (status, body) = get_metrics(&guarded.address, refused).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{refused:?}: {body}");
    }
    for accepted in [format!("Bearer {token}"), format!("bearer {token}")] {
        let (status, body) = get_metrics(&guarded.address, Some(&accepted)).await;
        assert_eq!(status, StatusCode::OK, "{accepted}");
        assert!(Metrics::parse(&body).value("levier_build_info", &[]) >= 1.0);
    }
    // In development, a token set is required all the same.
    let development = TestApp::spawn_with(|config| {
        config.metrics.token = Some(SecretString::from(token.to_owned()));
    })
    .await;
    assert_eq!(
        get_metrics(&development.address, None).await.0,
        StatusCode::UNAUTHORIZED
    );

    // A listener of their own: served there (open without a token), 404 on the main port.
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let own_address = format!("http://{}", listener.local_addr().expect("an address"));
    let apart = TestApp::spawn_with(|config| {
        production(None)(config);
        config.metrics.bind = listener.local_addr().ok();
    })
    .await;
    tokio::spawn(
        apart
            .app
            .serve_metrics(listener)
            .expect("the metrics listener"),
    );
    assert_eq!(
        get_metrics(&apart.address, None).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = get_metrics(&own_address, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(Metrics::parse(&body).value("levier_build_info", &[]) >= 1.0);
    let other = reqwest::get(format!("{own_address}/graphql"))
        .await
        .expect("an answer");
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}
