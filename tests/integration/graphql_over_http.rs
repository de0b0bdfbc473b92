//! GraphQL over HTTP as the specification has it: the media type of the answer follows
//! `Accept`, request errors answer 400 without `data`, `GET` runs queries from the URL (and
//! never a mutation), and automatic persisted queries work over `POST` and `GET`.

use reqwest::{StatusCode, header::HeaderMap};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{TestApp, error_code, without_budget_remaining};

const JSON: &str = "application/json; charset=utf-8";
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json; charset=utf-8";
/// The `Accept` the specification recommends to clients.
const ACCEPT_GRAPHQL_RESPONSE: &str = "application/graphql-response+json, application/json;q=0.9";

const VIEWER: &str = "{ viewer { subject } }";
const CREATE_PLAN: &str = "mutation { createPlan(input: { name: \"Over GET\", periodStart: \"2027-01-01\", periodEnd: \"2027-12-31\", budget: \"1\" }) { plan { id } } }";

/// An HTTP answer.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }

    fn content_type(&self) -> &str {
        self.header("content-type")
    }

    /// True when the body is an object with a `data` entry (null or not).
    fn has_data(&self) -> bool {
        has_data(&self.body)
    }
}

fn has_data(body: &Value) -> bool {
    body.as_object()
        .unwrap_or_else(|| panic!("not a GraphQL response: {body}"))
        .contains_key("data")
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a readable body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        headers,
        body,
    }
}

/// POSTs `body` as JSON with an optional token and `Accept`.
async fn post(app: &TestApp, token: Option<&str>, accept: Option<&str>, body: &Value) -> Answer {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    send(request).await
}

/// GETs /graphql with `parameters` in the URL, an optional token and `Accept`.
async fn get(
    app: &TestApp,
    token: Option<&str>,
    accept: Option<&str>,
    parameters: &[(&str, &str)],
) -> Answer {
    let mut request = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(parameters);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    send(request).await
}

/// Asserts a request error: `status`, the media type asked for, errors coded `code`, no `data`.
#[track_caller]
fn assert_request_error(answer: &Answer, status: StatusCode, media: &str, code: &str, case: &str) {
    assert_eq!(answer.status, status, "{case}: {}", answer.body);
    assert_eq!(answer.content_type(), media, "{case}");
    assert!(
        !answer.has_data(),
        "{case}: a data entry in {}",
        answer.body
    );
    assert_eq!(
        error_code(&answer.body),
        Some(code),
        "{case}: {}",
        answer.body
    );
}

async fn plan_count(app: &TestApp, token: &str) -> i64 {
    let data = app.data(token, "{ plans { totalCount } }", json!({})).await;
    data["plans"]["totalCount"].as_i64().expect("a count")
}

fn sha256(query: &str) -> String {
    hex::encode(Sha256::digest(query.as_bytes()))
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

#[tokio::test]
async fn the_answer_is_in_the_media_type_the_client_accepts() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    for (accept, media) in [
        (None, JSON),
        (Some("*/*"), JSON),
        (Some("application/json"), JSON),
        (
            Some("application/json, application/graphql-response+json;q=0.5"),
            JSON,
        ),
        (Some(ACCEPT_GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
        (Some("application/graphql-response+json"), GRAPHQL_RESPONSE),
    ] {
        let answer = post(&app, Some(&token), accept, &json!({ "query": VIEWER })).await;
        assert_eq!(answer.status, StatusCode::OK, "{accept:?}: {}", answer.body);
        assert_eq!(answer.content_type(), media, "{accept:?}");
        assert_eq!(answer.body["data"]["viewer"]["subject"], "acme-viewer-user");
        let answer = get(&app, Some(&token), accept, &[("query", VIEWER)]).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "GET {accept:?}: {}",
            answer.body
        );
        assert_eq!(answer.content_type(), media, "GET {accept:?}");
        assert_eq!(answer.body["data"]["viewer"]["subject"], "acme-viewer-user");
    }
}

#[tokio::test]
async fn an_accept_naming_neither_type_is_406_and_runs_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    for accept in [
        "text/csv",
        "application/xml, text/plain",
        "application/json;q=0, application/graphql-response+json;q=0",
    ] {
        let answer = post(
            &app,
            Some(&token),
            Some(accept),
            &json!({ "query": CREATE_PLAN }),
        )
        .await;
        assert_request_error(
            &answer,
            StatusCode::NOT_ACCEPTABLE,
            JSON,
            "BAD_USER_INPUT",
            accept,
        );
        let answer = get(&app, Some(&token), Some(accept), &[("query", VIEWER)]).await;
        assert_request_error(
            &answer,
            StatusCode::NOT_ACCEPTABLE,
            JSON,
            "BAD_USER_INPUT",
            accept,
        );
    }
    assert_eq!(
        plan_count(&app, &token).await,
        0,
        "a refused POST created a plan"
    );
}

#[tokio::test]
async fn request_errors_answer_400_without_data_in_both_media() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let cases = [
        (
            json!({ "query": "{ viewer { subject " }),
            "BAD_USER_INPUT",
            "a syntax error",
        ),
        (
            json!({ "query": "" }),
            "BAD_USER_INPUT",
            "an empty document",
        ),
        (
            json!({ "query": "{ noSuchField }" }),
            "BAD_USER_INPUT",
            "an unknown field",
        ),
        (
            json!({ "query": "{ plans(first: \"ten\") { totalCount } }" }),
            "BAD_USER_INPUT",
            "a wrong argument",
        ),
        (
            json!({ "query": "query($first: Int) { plans(first: $first) { totalCount } }", "variables": { "first": "ten" } }),
            "BAD_USER_INPUT",
            "a variable of the wrong type",
        ),
        (
            json!({ "query": "query($id: ID!) { node(id: $id) { id } }", "variables": {} }),
            "BAD_USER_INPUT",
            "a required variable left out",
        ),
        (
            json!({ "query": "query($id: ID!) { node(id: $id) { id } }", "variables": { "id": null } }),
            "BAD_USER_INPUT",
            "a required variable null",
        ),
        (
            json!({ "query": "query A { viewer { subject } }", "operationName": "B" }),
            "BAD_USER_INPUT",
            "an unknown operation name",
        ),
        (
            json!({ "query": "query A { viewer { subject } } query B { viewer { role } }" }),
            "BAD_USER_INPUT",
            "no operation chosen among two",
        ),
        (
            json!({ "query": format!("{{ {} }}", (0..600).map(|i| format!("a{i}: __typename")).collect::<Vec<_>>().join(" ")) }),
            "QUERY_TOO_COMPLEX",
            "too many fields",
        ),
    ];
    for (accept, media) in [
        (None, JSON),
        (Some(ACCEPT_GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
    ] {
        for (body, code, case) in &cases {
            let answer = post(&app, Some(&token), accept, body).await;
            assert_request_error(&answer, StatusCode::BAD_REQUEST, media, code, case);
        }
    }
    // Every error of the answer is coded, not only the first.
    let answer = post(
        &app,
        Some(&token),
        None,
        &json!({ "query": "query($a: ID!, $b: Int!) { node(id: $a) { id } plans(first: $b) { totalCount } }" }),
    )
    .await;
    let errors = answer.body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 2, "{}", answer.body);
    assert!(
        errors
            .iter()
            .all(|error| error["extensions"]["code"] == "BAD_USER_INPUT")
    );
}

#[tokio::test]
async fn field_errors_keep_200_and_a_data_entry() {
    let app = TestApp::spawn().await;
    let viewer = app.token("acme", "viewer");
    for (accept, media) in [
        (None, JSON),
        (Some(ACCEPT_GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
    ] {
        // API keys are an ADMIN's: the operation runs and its field fails.
        let answer = post(
            &app,
            Some(&viewer),
            accept,
            &json!({ "query": "{ apiKeys { totalCount } }" }),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(answer.content_type(), media);
        assert!(answer.has_data(), "{}", answer.body);
        assert_eq!(error_code(&answer.body), Some("FORBIDDEN"));
        // An operation whose first error is that it needs a credential stays a 401.
        let answer = post(
            &app,
            None,
            accept,
            &json!({ "query": "{ plans { totalCount } }" }),
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
        assert_eq!(answer.header("www-authenticate"), "Bearer");
        assert_eq!(answer.content_type(), media);
        assert_eq!(error_code(&answer.body), Some("UNAUTHENTICATED"));
    }
}

#[tokio::test]
async fn a_batch_is_200_when_an_operation_ran_and_400_when_none_did() {
    let app = TestApp::spawn_with(|config| config.allow_batching = true).await;
    let token = app.token("acme", "viewer");
    let mixed = json!([{ "query": VIEWER }, { "query": "{ nope }" }, { "query": "{ viewer {" }]);
    let answer = post(&app, Some(&token), Some(ACCEPT_GRAPHQL_RESPONSE), &mixed).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.content_type(), GRAPHQL_RESPONSE);
    let answers = answer.body.as_array().expect("a list of answers");
    assert_eq!(answers[0]["data"]["viewer"]["subject"], "acme-viewer-user");
    assert!(
        !has_data(&answers[1]) && !has_data(&answers[2]),
        "{}",
        answer.body
    );
    assert_eq!(error_code(&answers[1]), Some("BAD_USER_INPUT"));
    assert_eq!(error_code(&answers[2]), Some("BAD_USER_INPUT"));

    let failed = json!([{ "query": "{ nope }" }, { "query": "{ viewer {" }]);
    for (accept, media) in [
        (None, JSON),
        (Some(ACCEPT_GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
    ] {
        let answer = post(&app, Some(&token), accept, &failed).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
        assert_eq!(answer.content_type(), media);
        let answers = answer.body.as_array().expect("a list of answers");
        assert!(
            answers.iter().all(|single| !has_data(single)),
            "{}",
            answer.body
        );
    }
}

#[tokio::test]
async fn get_runs_queries_from_the_url_with_the_callers_credential() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    let answer = get(
        &app,
        Some(&token),
        Some("application/json"),
        &[
            ("query", "query Who { viewer { subject } } query Count($first: Int!) { plans(first: $first) { totalCount } }"),
            ("operationName", "Count"),
            ("variables", "{\"first\": 5}"),
            ("extensions", "{}"),
        ],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        without_budget_remaining(&answer.body),
        json!({
            "data": { "plans": { "totalCount": 0 } },
            "extensions": { "cost": { "requested": 5 } }
        })
    );
    // Answers depend on the credential: no cache keeps them.
    assert_eq!(answer.header("cache-control"), "no-store");

    // The same credentials as a POST: none, or a refused one, is a 401.
    let answer = get(&app, None, None, &[("query", "{ plans { totalCount } }")]).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    assert_eq!(answer.header("www-authenticate"), "Bearer");
    let answer = get(&app, Some("not-a-token"), None, &[("query", VIEWER)]).await;
    assert_request_error(
        &answer,
        StatusCode::UNAUTHORIZED,
        JSON,
        "UNAUTHENTICATED",
        "a forged token",
    );
    // The schema stays public.
    let answer = get(
        &app,
        None,
        None,
        &[("query", "{ __schema { queryType { name } } }")],
    )
    .await;
    assert_eq!(
        answer.body["data"]["__schema"]["queryType"]["name"],
        "Query"
    );
}

#[tokio::test]
async fn get_is_admitted_like_post() {
    let app = TestApp::spawn_with(|config| config.query_limits.max_depth = 3).await;
    let token = app.token("acme", "viewer");
    let deep = "{ plans { nodes { campaigns { totalCount } } } }";
    let answer = get(&app, Some(&token), None, &[("query", deep)]).await;
    assert_request_error(
        &answer,
        StatusCode::BAD_REQUEST,
        JSON,
        "QUERY_TOO_COMPLEX",
        "4 levels over 3",
    );
    let answer = get(
        &app,
        Some(&token),
        Some(ACCEPT_GRAPHQL_RESPONSE),
        &[("query", "{ nope }")],
    )
    .await;
    assert_request_error(
        &answer,
        StatusCode::BAD_REQUEST,
        GRAPHQL_RESPONSE,
        "BAD_USER_INPUT",
        "an unknown field",
    );
}

#[tokio::test]
async fn get_serves_graphiql_only_to_a_browser() {
    let app = TestApp::spawn().await;
    let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    for accept in [firefox, "text/html"] {
        let answer = get(&app, None, Some(accept), &[]).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert!(answer.content_type().starts_with("text/html"), "{accept}");
        assert!(
            answer
                .body
                .as_str()
                .is_some_and(|page| page.contains("GraphiQL"))
        );
    }
    // A client asking for JSON without a document is told what is missing.
    for accept in [None, Some("*/*"), Some("application/json, text/html;q=0.5")] {
        let answer = get(&app, None, accept, &[]).await;
        assert_request_error(
            &answer,
            StatusCode::BAD_REQUEST,
            JSON,
            "BAD_USER_INPUT",
            "no query",
        );
    }
}

#[tokio::test]
async fn get_refuses_mutations_and_subscriptions_with_405_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let both = format!("query Read {{ viewer {{ subject }} }} mutation Write {CREATE_PLAN_BODY}");
    for (parameters, case) in [
        (vec![("query", CREATE_PLAN)], "a mutation"),
        (
            vec![("query", both.as_str()), ("operationName", "Write")],
            "a mutation chosen by name",
        ),
        (
            vec![(
                "query",
                "subscription { measurementRecorded(kpiKeys: [\"clicks\"]) { change } }",
            )],
            "a subscription",
        ),
    ] {
        for (accept, media) in [
            (None, JSON),
            (Some(ACCEPT_GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
        ] {
            let answer = get(&app, Some(&token), accept, &parameters).await;
            assert_request_error(
                &answer,
                StatusCode::METHOD_NOT_ALLOWED,
                media,
                "BAD_USER_INPUT",
                case,
            );
            assert_eq!(answer.header("allow"), "POST", "{case}");
        }
    }
    assert_eq!(plan_count(&app, &token).await, 0, "a GET created a plan");
    // The query of the same document runs.
    let answer = get(
        &app,
        Some(&token),
        None,
        &[("query", both.as_str()), ("operationName", "Read")],
    )
    .await;
    assert_eq!(
        without_budget_remaining(&answer.body),
        json!({
            "data": { "viewer": { "subject": "acme-admin-user" } },
            "extensions": { "cost": { "requested": 1 } }
        })
    );
}

/// `CREATE_PLAN` without its `mutation` keyword, to name it in a document of several operations.
const CREATE_PLAN_BODY: &str = "{ createPlan(input: { name: \"Over GET\", periodStart: \"2027-01-01\", periodEnd: \"2027-12-31\", budget: \"1\" }) { plan { id } } }";

#[tokio::test]
async fn malformed_get_parameters_are_400() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    for (parameters, case) in [
        (
            vec![("query", VIEWER), ("variables", "[7]")],
            "variables not an object",
        ),
        (
            vec![("query", VIEWER), ("variables", "{")],
            "variables not JSON",
        ),
        (
            vec![("query", VIEWER), ("extensions", "42")],
            "extensions not an object",
        ),
        (vec![("query", VIEWER), ("query", VIEWER)], "two documents"),
        (vec![("operationName", "Q")], "no document"),
    ] {
        let answer = get(&app, Some(&token), None, &parameters).await;
        assert_request_error(
            &answer,
            StatusCode::BAD_REQUEST,
            JSON,
            "BAD_USER_INPUT",
            case,
        );
    }
}

#[tokio::test]
async fn persisted_queries_register_then_run_by_hash_over_post() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    let hash = sha256(VIEWER);
    let by_hash = json!({ "extensions": persisted(&hash) });

    // Unknown: the message Apollo Client and urql look for, and no data. A 200 in JSON (as
    // Apollo Server answers), a 400 in the specification's type.
    let answer = post(&app, Some(&token), None, &by_hash).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(!answer.has_data(), "{}", answer.body);
    assert_eq!(
        answer.body["errors"][0]["message"],
        "PersistedQueryNotFound"
    );
    assert_eq!(error_code(&answer.body), Some("BAD_USER_INPUT"));
    let answer = post(&app, Some(&token), Some(ACCEPT_GRAPHQL_RESPONSE), &by_hash).await;
    assert_request_error(
        &answer,
        StatusCode::BAD_REQUEST,
        GRAPHQL_RESPONSE,
        "BAD_USER_INPUT",
        "unknown hash",
    );
    assert_eq!(
        answer.body["errors"][0]["message"],
        "PersistedQueryNotFound"
    );

    // The client sends the query with its hash: it runs and is registered.
    let answer = post(
        &app,
        Some(&token),
        None,
        &json!({ "query": VIEWER, "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(
        without_budget_remaining(&answer.body),
        json!({
            "data": { "viewer": { "subject": "acme-viewer-user" } },
            "extensions": { "cost": { "requested": 1 } }
        })
    );
    // From then on, the hash alone runs it, for any caller.
    for (who, subject) in [
        ("acme", "acme-viewer-user"),
        ("globex", "globex-viewer-user"),
    ] {
        let answer = post(&app, Some(&app.token(who, "viewer")), None, &by_hash).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(
            without_budget_remaining(&answer.body),
            json!({
                "data": { "viewer": { "subject": subject } },
                "extensions": { "cost": { "requested": 1 } }
            })
        );
    }

    // A hash that is not the query's, or another version, is refused and registers nothing.
    let other = "{ viewer { role } }";
    for extensions in [
        persisted(&sha256("{ viewer { tenant { key } } }")),
        json!({ "persistedQuery": { "version": 2, "sha256Hash": sha256(other) } }),
        json!({ "persistedQuery": { "sha256Hash": sha256(other) } }),
    ] {
        let answer = post(
            &app,
            Some(&token),
            None,
            &json!({ "query": other, "extensions": extensions }),
        )
        .await;
        assert_request_error(
            &answer,
            StatusCode::BAD_REQUEST,
            JSON,
            "BAD_USER_INPUT",
            &extensions.to_string(),
        );
    }
    let answer = post(
        &app,
        Some(&token),
        None,
        &json!({ "extensions": persisted(&sha256(other)) }),
    )
    .await;
    assert_eq!(
        answer.body["errors"][0]["message"],
        "PersistedQueryNotFound"
    );
}

#[tokio::test]
async fn persisted_queries_work_over_get_but_never_run_a_mutation() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let hash = sha256(VIEWER);
    let extensions = persisted(&hash).to_string();
    let answer = get(&app, Some(&token), None, &[("extensions", &extensions)]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(!answer.has_data(), "{}", answer.body);
    assert_eq!(
        answer.body["errors"][0]["message"],
        "PersistedQueryNotFound"
    );
    assert_eq!(
        answer.header("cache-control"),
        "no-store",
        "a miss must not be cached"
    );

    let answer = get(
        &app,
        Some(&token),
        None,
        &[("query", VIEWER), ("extensions", &extensions)],
    )
    .await;
    assert_eq!(
        without_budget_remaining(&answer.body),
        json!({
            "data": { "viewer": { "subject": "acme-admin-user" } },
            "extensions": { "cost": { "requested": 1 } }
        })
    );
    let answer = get(
        &app,
        Some(&token),
        Some(ACCEPT_GRAPHQL_RESPONSE),
        &[("extensions", &extensions)],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.content_type(), GRAPHQL_RESPONSE);
    assert_eq!(
        without_budget_remaining(&answer.body),
        json!({
            "data": { "viewer": { "subject": "acme-admin-user" } },
            "extensions": { "cost": { "requested": 1 } }
        })
    );

    // A mutation registered by POST is refused by its hash over GET, before it runs.
    let mutation_hash = sha256(CREATE_PLAN);
    let answer = post(
        &app,
        Some(&token),
        None,
        &json!({ "query": CREATE_PLAN, "extensions": persisted(&mutation_hash) }),
    )
    .await;
    assert!(
        answer.body["data"]["createPlan"]["plan"]["id"].is_string(),
        "{}",
        answer.body
    );
    let by_hash = persisted(&mutation_hash).to_string();
    let answer = get(&app, Some(&token), None, &[("extensions", &by_hash)]).await;
    assert_request_error(
        &answer,
        StatusCode::METHOD_NOT_ALLOWED,
        JSON,
        "BAD_USER_INPUT",
        "a persisted mutation",
    );
    assert_eq!(answer.header("allow"), "POST");
    assert_eq!(
        plan_count(&app, &token).await,
        1,
        "the GET ran the mutation"
    );
}

#[tokio::test]
async fn a_batch_may_name_persisted_queries_and_pays_for_them() {
    let app = TestApp::spawn_with(|config| {
        config.allow_batching = true;
        config.query_limits.max_fields = 10;
    })
    .await;
    let token = app.token("acme", "viewer");
    // Six fields: one runs alone, two exceed the batch's budget of ten.
    let six =
        "{ a: __typename b: __typename c: __typename d: __typename e: __typename f: __typename }";
    let known = sha256(six);
    let answer = post(
        &app,
        Some(&token),
        None,
        &json!({ "query": six, "extensions": persisted(&known) }),
    )
    .await;
    assert_eq!(answer.body["data"]["a"], "Query", "{}", answer.body);

    let unknown = sha256("{ viewer { role } }");
    let batch = json!([
        { "extensions": persisted(&known) },
        { "extensions": persisted(&unknown) },
        { "query": VIEWER },
    ]);
    let answer = post(&app, Some(&token), None, &batch).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let answers = answer.body.as_array().expect("a list of answers");
    assert_eq!(answers[0]["data"]["f"], "Query");
    assert!(!has_data(&answers[1]), "{}", answer.body);
    assert_eq!(answers[1]["errors"][0]["message"], "PersistedQueryNotFound");
    assert_eq!(answers[2]["data"]["viewer"]["subject"], "acme-viewer-user");

    // Only misses: 200 in JSON, so that older clients send the queries again.
    let misses = json!([{ "extensions": persisted(&unknown) }]);
    let answer = post(&app, Some(&token), None, &misses).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);

    // A stored document counts in its batch's budget like a written one.
    let twice = json!([{ "extensions": persisted(&known) }, { "extensions": persisted(&known) }]);
    let answer = post(&app, Some(&token), None, &twice).await;
    assert_request_error(
        &answer,
        StatusCode::BAD_REQUEST,
        JSON,
        "QUERY_TOO_COMPLEX",
        "twice six fields",
    );
}

#[tokio::test]
async fn the_persisted_query_cache_keeps_the_most_recent_documents() {
    let app = TestApp::spawn_with(|config| {
        config.apq_cache_size = std::num::NonZeroUsize::MIN;
    })
    .await;
    let token = app.token("acme", "viewer");
    let first = "{ viewer { subject } }";
    let second = "{ viewer { role } }";
    for query in [first, second] {
        let answer = post(
            &app,
            Some(&token),
            None,
            &json!({ "query": query, "extensions": persisted(&sha256(query)) }),
        )
        .await;
        assert!(answer.body["data"]["viewer"].is_object(), "{}", answer.body);
    }
    let answer = post(
        &app,
        Some(&token),
        None,
        &json!({ "extensions": persisted(&sha256(first)) }),
    )
    .await;
    assert_eq!(
        answer.body["errors"][0]["message"], "PersistedQueryNotFound",
        "{}",
        answer.body
    );
    let answer = post(
        &app,
        Some(&token),
        None,
        &json!({ "extensions": persisted(&sha256(second)) }),
    )
    .await;
    assert_eq!(
        answer.body["data"]["viewer"]["role"], "VIEWER",
        "{}",
        answer.body
    );
}
