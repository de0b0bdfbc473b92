//! Transport safety: what reaches the GraphQL engine and how. GET never executes a mutation,
//! POST must be JSON, bodies and batches are bounded, query shapes are bounded (depth, fields, directives,
//! fragment bombs), the plain endpoints answer, and every error carries a code.

use std::time::Duration;

use reqwest::{StatusCode, header::HeaderMap};
use serde_json::{Value, json};

use crate::support::{TestApp, error_code, without_budget_remaining};

/// The codes API.md allows in `extensions.code`.
const CODES: [&str; 9] = [
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "BAD_USER_INPUT",
    "CONFLICT",
    "QUERY_TOO_COMPLEX",
    "RATE_LIMITED",
    "SERVICE_UNAVAILABLE",
    "INTERNAL_SERVER_ERROR",
];

/// A mutation that creates a plan, to show that a refused transport writes nothing.
const CREATE_PLAN: &str = "mutation { createPlan(input: { name: \"Smuggled\", periodStart: \"2027-01-01\", periodEnd: \"2027-12-31\", budget: \"1\" }) { plan { id } } }";

/// An HTTP answer: status, headers and body (JSON when it parses, a string otherwise).
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }

    fn request_id(&self) -> Option<String> {
        self.headers
            .get("x-request-id")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    }
}

/// Asserts that every error of a GraphQL answer (or of each answer of a batch) carries one of
/// API.md's codes.
#[track_caller]
fn assert_every_error_coded(body: &Value) {
    if let Some(batch) = body.as_array() {
        batch.iter().for_each(assert_every_error_coded);
        return;
    }
    let Some(errors) = body.get("errors") else {
        return;
    };
    let errors = errors
        .as_array()
        .unwrap_or_else(|| panic!("errors is not a list: {body}"));
    assert!(!errors.is_empty(), "an empty errors list: {body}");
    for error in errors {
        let code = error["extensions"]["code"].as_str();
        assert!(
            code.is_some_and(|code| CODES.contains(&code)),
            "an error without a known code: {error} in {body}"
        );
    }
}

/// Sends a request and checks the rules every answer obeys: a request id, and coded errors.
async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a readable body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    assert!(
        headers.contains_key("x-request-id"),
        "no x-request-id on a {status} answer"
    );
    if !status.is_success() {
        // An error answer of this API is always a GraphQL-shaped, coded error.
        assert!(
            body.get("errors").is_some(),
            "a {status} answer without a GraphQL error: {body}"
        );
    }
    assert_every_error_coded(&body);
    Answer {
        status,
        headers,
        body,
    }
}

/// POSTs `body` to /graphql with `content_type` (none when `None`) and an optional token.
async fn post_raw(
    app: &TestApp,
    token: Option<&str>,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> Answer {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .body(body);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    send(request).await
}

/// POSTs one GraphQL query as JSON with a token.
async fn query(app: &TestApp, token: &str, query: &str) -> Answer {
    let body = json!({ "query": query }).to_string();
    post_raw(app, Some(token), Some("application/json"), body).await
}

/// How many plans the tenant of `token` has.
async fn plan_count(app: &TestApp, token: &str) -> i64 {
    let data = app.data(token, "{ plans { totalCount } }", json!({})).await;
    data["plans"]["totalCount"].as_i64().expect("a count")
}

/// Asserts a refusal of the query's shape, with nothing executed.
#[track_caller]
fn assert_too_complex(answer: &Answer, case: &str) {
    assert_eq!(
        error_code(&answer.body),
        Some("QUERY_TOO_COMPLEX"),
        "{case}: {}",
        answer.body
    );
    assert!(answer.body["data"].is_null(), "{case}: {}", answer.body);
}

#[tokio::test]
async fn get_serves_graphiql_to_browsers_and_never_executes_a_mutation() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let page = send(
        app.client
            .get(format!("{}/graphql", app.address))
            .header("accept", browser),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.content_type().starts_with("text/html"),
        "{}",
        page.content_type()
    );
    let html = page.body.as_str().expect("an HTML page, not JSON");
    assert!(html.to_ascii_lowercase().contains("graphiql"), "{html}");

    // A browser gets the page whatever the URL says; a client asking for JSON gets no
    // mutation run over GET (graphql_over_http.rs has the rest).
    let answer = send(
        app.client
            .get(format!("{}/graphql", app.address))
            .query(&[("query", CREATE_PLAN)])
            .header("accept", browser)
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, page.body, "GET answered something else");
    let answer = send(
        app.client
            .get(format!("{}/graphql", app.address))
            .query(&[("query", CREATE_PLAN)])
            .header("accept", "application/json")
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "{}",
        answer.body
    );
    assert_eq!(plan_count(&app, &token).await, 0, "the GET created a plan");
}

#[tokio::test]
async fn post_requires_a_json_content_type() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let body = json!({ "query": CREATE_PLAN }).to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/graphql"),
        None,
    ] {
        let answer = post_raw(&app, Some(&token), content_type, body.clone()).await;
        assert_eq!(
            answer.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}: {}",
            answer.body
        );
        assert_eq!(
            error_code(&answer.body),
            Some("BAD_USER_INPUT"),
            "{content_type:?}"
        );
    }
    assert_eq!(
        plan_count(&app, &token).await,
        0,
        "a refused POST created a plan"
    );

    // JSON with parameters is JSON.
    let answer = post_raw(
        &app,
        Some(&token),
        Some("application/json; charset=utf-8"),
        body,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(answer.body["data"]["createPlan"]["plan"]["id"].is_string());
    assert_eq!(plan_count(&app, &token).await, 1);
}

#[tokio::test]
async fn malformed_json_is_bad_user_input() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    for body in [
        "{ \"query\": ",
        "not json",
        "42",
        "[1, 2]",
        "{ \"query\": 7 }",
    ] {
        let answer = post_raw(&app, Some(&token), Some("application/json"), body).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            answer.body
        );
        assert_eq!(error_code(&answer.body), Some("BAD_USER_INPUT"), "{body}");
    }
    // Well-formed JSON without a query: nothing to run.
    let answer = post_raw(
        &app,
        Some(&token),
        Some("application/json"),
        "{ \"variables\": {} }",
    )
    .await;
    assert_eq!(
        error_code(&answer.body),
        Some("BAD_USER_INPUT"),
        "{}",
        answer.body
    );
    assert!(answer.body["data"].is_null(), "{}", answer.body);
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused() {
    let app = TestApp::spawn_with(|config| config.max_body_bytes = 2048).await;
    let token = app.token("acme", "admin");
    // Padded with a comment: a filter text that long is refused on its own (200 characters).
    let padded = |bytes: usize| {
        let body = json!({
            "query": format!("# {}\n{{ viewer {{ subject }} plans {{ totalCount }} }}", "x".repeat(bytes)),
        })
        .to_string();
        assert!(body.len() > bytes);
        body
    };
    let small = padded(1500);
    assert!(small.len() <= 2048);
    let answer = post_raw(&app, Some(&token), Some("application/json"), small).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["data"]["viewer"]["subject"], "acme-admin-user");
    assert_eq!(answer.body["data"]["plans"]["totalCount"], 0);

    let large = padded(4096);
    let answer = post_raw(&app, Some(&token), Some("application/json"), large).await;
    assert_eq!(
        answer.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn batches_are_refused_by_default() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let batch = json!([
        { "query": CREATE_PLAN },
        { "query": "{ viewer { subject } }" },
    ])
    .to_string();
    let answer = post_raw(&app, Some(&token), Some("application/json"), batch).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    assert_eq!(error_code(&answer.body), Some("BAD_USER_INPUT"));
    assert_eq!(
        plan_count(&app, &token).await,
        0,
        "a refused batch created a plan"
    );
}

#[tokio::test]
async fn batches_are_answered_in_order_when_enabled() {
    let app = TestApp::spawn_with(|config| config.allow_batching = true).await;
    let token = app.token("acme", "admin");
    let batch = json!([
        { "query": "{ viewer { subject role } }" },
        { "query": "{ viewer { tenant { key } } plans { totalCount } }" },
    ])
    .to_string();
    let answer = post_raw(&app, Some(&token), Some("application/json"), batch).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    // The batch was charged once, together: its answers tell the same remaining budget.
    let remaining = &answer.body[0]["extensions"]["cost"]["budgetRemaining"];
    assert!(remaining.is_u64(), "{}", answer.body);
    assert_eq!(
        answer.body[1]["extensions"]["cost"]["budgetRemaining"], *remaining,
        "{}",
        answer.body
    );
    assert_eq!(
        without_budget_remaining(&answer.body),
        json!([
            { "data": { "viewer": { "subject": "acme-admin-user", "role": "ADMIN" } },
              "extensions": { "cost": { "requested": 1 } } },
            { "data": { "viewer": { "tenant": { "key": "acme" } }, "plans": { "totalCount": 0 } },
              "extensions": { "cost": { "requested": 2 + 20 } } },
        ])
    );
}

/// `{ plans(first: 1) { nodes { campaigns(first: 1) { nodes { plan { campaigns(first: 1) { ...
/// } } } } } } }` with `levels` nested fields in all (a real, recursive path of the schema).
fn nested_query(levels: usize) -> String {
    let path = ["plans", "nodes", "campaigns", "nodes", "plan"];
    let mut fields: Vec<&str> = Vec::new();
    let mut index = 0;
    while fields.len() + 1 < levels {
        fields.push(path[index]);
        // After the first `plan`, loop over `campaigns nodes plan`.
        index = if index + 1 == path.len() {
            2
        } else {
            index + 1
        };
    }
    let leaf = if fields.last() == Some(&"campaigns") || fields.last() == Some(&"plans") {
        "totalCount"
    } else {
        "name"
    };
    let mut query = String::from("{ ");
    for field in &fields {
        query.push_str(field);
        // Pages of one: the query is about depth, and stays far under the cost bound.
        if matches!(*field, "plans" | "campaigns") {
            query.push_str("(first: 1)");
        }
        query.push_str(" { ");
    }
    query.push_str(leaf);
    query.push_str(&" }".repeat(fields.len() + 1));
    query
}

#[tokio::test]
async fn too_deep_a_query_is_too_complex() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    // The default limit is 12 levels: 12 pass, 13 do not.
    let twelve = nested_query(12);
    assert_eq!(twelve.matches('{').count(), 12, "{twelve}");
    let answer = query(&app, &token, &twelve).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(
        answer.body.get("errors").is_none(),
        "{twelve}: {}",
        answer.body
    );
    assert_eq!(answer.body["data"]["plans"]["nodes"], json!([]));

    let thirteen = nested_query(13);
    assert_eq!(thirteen.matches('{').count(), 13, "{thirteen}");
    assert_too_complex(&query(&app, &token, &thirteen).await, "13 levels");
    // Far deeper than any parser or engine limit: still a shape refusal, not a syntax error.
    for levels in [40, 70, 200, 2000] {
        let deep = format!(
            "{}__typename{}",
            "{ viewer { tenant ".repeat(levels / 2),
            " } }".repeat(levels / 2)
        );
        assert_too_complex(
            &query(&app, &token, &deep).await,
            &format!("{levels} levels"),
        );
    }
}

#[tokio::test]
async fn the_depth_limit_is_configurable() {
    let app = TestApp::spawn_with(|config| config.query_limits.max_depth = 3).await;
    let token = app.token("acme", "admin");
    let answer = query(&app, &token, "{ viewer { tenant { key } } }").await;
    assert_eq!(
        answer.body["data"]["viewer"]["tenant"]["key"], "acme",
        "{}",
        answer.body
    );
    let answer = query(
        &app,
        &token,
        "{ plans { nodes { campaigns { totalCount } } } }",
    )
    .await;
    assert_too_complex(&answer, "4 levels over a limit of 3");
}

/// `count` aliased selections of `__typename`, each with `directive` after it.
fn aliases(count: usize, directive: &str) -> String {
    let fields: Vec<String> = (0..count)
        .map(|index| format!("a{index}: __typename{directive}"))
        .collect();
    format!("{{ {} }}", fields.join(" "))
}

#[tokio::test]
async fn too_many_aliased_fields_are_too_complex() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    // The default limit is 500 selections.
    let answer = query(&app, &token, &aliases(500, "")).await;
    assert!(answer.body.get("errors").is_none(), "{}", answer.body);
    let data = answer.body["data"].as_object().expect("data");
    assert_eq!(data.len(), 500);
    assert!(data.values().all(|value| value == "Query"));

    assert_too_complex(&query(&app, &token, &aliases(501, "")).await, "501 aliases");
    assert_too_complex(
        &query(&app, &token, &aliases(20_000, "")).await,
        "20000 aliases",
    );

    let app = TestApp::spawn_with(|config| config.query_limits.max_fields = 5).await;
    let token = app.token("acme", "admin");
    let answer = query(&app, &token, &aliases(5, "")).await;
    assert!(answer.body.get("errors").is_none(), "{}", answer.body);
    assert_too_complex(&query(&app, &token, &aliases(6, "")).await, "6 over 5");
}

#[tokio::test]
async fn too_many_directives_are_too_complex() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    // The default limit is 50 directives in the whole query.
    let answer = query(&app, &token, &aliases(50, " @include(if: true)")).await;
    assert!(answer.body.get("errors").is_none(), "{}", answer.body);
    assert_eq!(
        answer.body["data"].as_object().map(|data| data.len()),
        Some(50)
    );

    let spread = aliases(51, " @include(if: true)");
    assert_too_complex(&query(&app, &token, &spread).await, "51 over 51 fields");
    // All on one field.
    let piled = format!("{{ __typename{} }}", " @include(if: true)".repeat(51));
    assert_too_complex(&query(&app, &token, &piled).await, "51 on one field");
}

/// A query whose fragments each spread the next one twice: `levels` fragments expand to
/// 2^`levels` selections of `viewer`.
fn fragment_bomb(levels: usize) -> String {
    let mut query = String::from("query Bomb { ...F0 }\n");
    for level in 0..levels {
        let next = level + 1;
        query.push_str(&format!(
            "fragment F{level} on Query {{ ...F{next} ...F{next} }}\n"
        ));
    }
    query.push_str(&format!(
        "fragment F{levels} on Query {{ viewer {{ subject }} }}\n"
    ));
    query
}

#[tokio::test]
async fn a_fragment_bomb_is_too_complex_and_refused_quickly() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    // 2^3 expansions are harmless and run.
    let answer = query(&app, &token, &fragment_bomb(3)).await;
    assert_eq!(
        answer.body["data"]["viewer"]["subject"], "acme-admin-user",
        "{}",
        answer.body
    );

    // 2^40 expansions: refused without expanding them (a guard turns a hang into a failure).
    let refused = tokio::time::timeout(
        Duration::from_secs(60),
        query(&app, &token, &fragment_bomb(40)),
    )
    .await
    .expect("the server expands the fragment bomb instead of refusing it");
    assert_too_complex(&refused, "2^40 expansions");
    // The server is still responsive afterwards.
    let answer = query(&app, &token, "{ viewer { subject } }").await;
    assert_eq!(answer.body["data"]["viewer"]["subject"], "acme-admin-user");
}

#[tokio::test]
async fn long_fragment_chains_and_fragment_cycles_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let guard = Duration::from_secs(60);

    // 80 named fragments, each spreading the next once: few selections, but nested too deep.
    let mut chain = String::from("{ ...C0 }\n");
    for level in 0..80 {
        let next = level + 1;
        chain.push_str(&format!("fragment C{level} on Query {{ ...C{next} }}\n"));
    }
    chain.push_str("fragment C80 on Query { __typename }\n");
    let answer = tokio::time::timeout(guard, query(&app, &token, &chain))
        .await
        .expect("no answer to a fragment chain");
    assert_too_complex(&answer, "80 chained fragments");

    // 80 nested inline fragments.
    let inline = format!(
        "{{ {}__typename{} }}",
        "... on Query { ".repeat(80),
        " }".repeat(80)
    );
    let answer = tokio::time::timeout(guard, query(&app, &token, &inline))
        .await
        .expect("no answer to nested inline fragments");
    assert_too_complex(&answer, "80 nested inline fragments");

    // Fragments spreading each other: invalid, and refused without looping.
    let cycle = "{ ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }";
    let answer = tokio::time::timeout(guard, query(&app, &token, cycle))
        .await
        .expect("no answer to a fragment cycle");
    let code = error_code(&answer.body);
    assert!(
        matches!(code, Some("QUERY_TOO_COMPLEX" | "BAD_USER_INPUT")),
        "{}",
        answer.body
    );
    assert!(answer.body["data"].is_null(), "{}", answer.body);
}

#[tokio::test]
async fn syntax_errors_and_unknown_fields_are_bad_user_input() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    for (text, case) in [
        ("{ viewer { subject ", "unclosed selection"),
        ("query {", "empty selection"),
        ("{ viewer { subject } } }", "extra brace"),
        (
            "mutation { createPlan(input: { name: }) { plan { id } } }",
            "missing value",
        ),
        (
            "{ viewer { subject } plans(first: \"ten\") { totalCount } }",
            "wrong argument type",
        ),
        ("{ noSuchField }", "unknown root field"),
        ("{ viewer { noSuchField } }", "unknown nested field"),
        ("{ plans(nope: 1) { totalCount } }", "unknown argument"),
        (
            "query A { viewer { subject } } query A { viewer { role } }",
            "duplicate operation",
        ),
    ] {
        let answer = query(&app, &token, text).await;
        assert_eq!(
            error_code(&answer.body),
            Some("BAD_USER_INPUT"),
            "{case}: {}",
            answer.body
        );
        assert!(answer.body["data"].is_null(), "{case}: {}", answer.body);
    }
}

#[tokio::test]
async fn health_and_readiness_answer_json() {
    let app = TestApp::spawn().await;
    for path in ["/healthz", "/readyz"] {
        let answer = send(app.client.get(format!("{}{path}", app.address))).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert!(
            answer.content_type().starts_with("application/json"),
            "{path}"
        );
        assert!(answer.body.is_object(), "{path}: {}", answer.body);
        assert!(answer.body["status"].is_string(), "{path}: {}", answer.body);
    }
}

#[tokio::test]
async fn an_unknown_path_is_not_found() {
    let app = TestApp::spawn().await;
    for path in ["/", "/nope", "/graphql/extra", "/healthz/x", "/graphiql"] {
        let answer = send(app.client.get(format!("{}{path}", app.address))).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            answer.body
        );
        assert_eq!(error_code(&answer.body), Some("NOT_FOUND"), "{path}");
    }
    let answer = send(
        app.client
            .post(format!("{}/nope", app.address))
            .json(&json!({ "query": "{ viewer { subject } }" })),
    )
    .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.body);
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    let answers = [
        send(app.client.get(format!("{}/healthz", app.address))).await,
        send(app.client.get(format!("{}/healthz", app.address))).await,
        send(app.client.get(format!("{}/graphql", app.address))).await,
        query(&app, &token, "{ viewer { subject } }").await,
        query(&app, &token, "{ nope }").await,
        post_raw(
            &app,
            None,
            Some("application/json"),
            "{\"query\":\"{ viewer { role } }\"}",
        )
        .await,
        post_raw(&app, Some(&token), Some("text/plain"), "{}").await,
        send(app.client.get(format!("{}/nope", app.address))).await,
    ];
    let ids: Vec<String> = answers
        .iter()
        .map(|answer| answer.request_id().expect("an x-request-id"))
        .collect();
    assert!(ids.iter().all(|id| !id.trim().is_empty()), "{ids:?}");
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), ids.len(), "request ids repeat: {ids:?}");
}
