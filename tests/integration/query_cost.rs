//! The cost of a query (issue 11): computed before it runs (README, "Query cost"), refused over
//! `LEVIER_MAX_QUERY_COST` with the figure in the message and nothing run, and reported in the
//! answer of everything that runs as `extensions.cost.requested`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, create_plan, error_code, without_budget_remaining};

/// Issue 11's million-node query: 100 plans, 100 campaigns each, 100 actions each.
const MILLION: &str = "{ plans(first: 100) { nodes { campaigns(first: 100) { nodes { \
     actions(first: 100) { nodes { title } } } } } } }";

/// README, "First requests": "Read it all back", which the README says costs 512.
const READ_BACK: &str = "{ viewer { subject role tenant { key } } plans(first: 10) { totalCount \
     pageInfo { hasNextPage endCursor } nodes { name budget personas { name } objectives { title \
     target } campaigns(first: 10) { totalCount nodes { name levers startDate endDate budget \
     status } } } } }";

/// The cost an answer reports.
fn requested(body: &Value) -> Option<u64> {
    body["extensions"]["cost"]["requested"].as_u64()
}

/// The message of the first error.
fn message(body: &Value) -> &str {
    body["errors"][0]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_million_node_query_is_refused_before_it_runs_with_its_cost() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    create_plan(&app, &token, "Plan 2027").await;
    // What a request runs when no resolver touches the database: its credential's statements.
    let before = app.statements();
    let trivial = app.gql(&token, "{ __typename }", json!({})).await;
    assert_eq!(trivial["data"]["__typename"], "Query", "{trivial}");
    let credential = app.statements() - before;

    let before = app.statements();
    let (status, body) = app
        .post(Some(&token), &[], &json!({ "query": MILLION }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_code(&body), Some("QUERY_TOO_COMPLEX"), "{body}");
    assert_eq!(
        message(&body),
        "the query may cost 1010100 (more than 50000): ask for smaller pages or fewer nested lists"
    );
    assert!(body["data"].is_null(), "{body}");
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(app.statements() - before, credential, "nothing ran: {body}");

    // The same shape with pages of 10 costs 10 + 100 + 1,000, and runs.
    let smaller = MILLION.replace("100", "10");
    let body = app.gql(&token, &smaller, json!({})).await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(
        body["data"]["plans"]["nodes"][0]["campaigns"]["nodes"],
        json!([])
    );
    assert_eq!(requested(&body), Some(1_110), "{body}");
}

#[tokio::test]
async fn every_answer_carries_its_cost() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    create_plan(&app, &token, "Plan 2027").await;
    let body = app.gql(&token, READ_BACK, json!({})).await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["plans"]["nodes"][0]["name"], "Plan 2027");
    assert_eq!(
        without_budget_remaining(&body)["extensions"]["cost"],
        json!({ "requested": 512 })
    );
    assert!(
        body["extensions"]["cost"]["budgetRemaining"].is_u64(),
        "{body}"
    );

    // A mutation: its payload, the plan, a default page of user errors.
    let body = app
        .gql(
            &token,
            "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id name } \
             userErrors { field message code } } }",
            json!({ "input": { "name": "Plan 2028", "periodStart": "2028-01-01",
                               "periodEnd": "2028-12-31", "budget": "1000" } }),
        )
        .await;
    assert!(
        body["data"]["createPlan"]["plan"]["id"].is_string(),
        "{body}"
    );
    assert_eq!(requested(&body), Some(1 + 1 + 20), "{body}");

    // An operation whose resolver fails still ran: it still reports its cost.
    let body = app
        .gql(
            &token,
            "{ plan(id: \"nothing\") { name } plans(first: -1) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert_eq!(requested(&body), Some(1), "{body}");

    // Variables count with their values: `first: $n` is a page of $n.
    let paged = "query($n: Int) { plans(first: $n) { nodes { id } } }";
    let body = app.gql(&token, paged, json!({ "n": 3 })).await;
    assert_eq!(requested(&body), Some(3), "{body}");
    let body = app.gql(&token, paged, json!({})).await;
    assert_eq!(requested(&body), Some(20), "{body}");

    // Introspection, without a token, costs a small fixed amount.
    let (status, body) = app
        .post(
            None,
            &[],
            &json!({ "query": "{ __schema { queryType { name } } }" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(requested(&body), Some(10), "{body}");
}

#[tokio::test]
async fn the_maximum_is_a_setting() {
    let app = TestApp::spawn_with(|config| config.query_limits.max_cost = 100).await;
    let token = app.token("acme", "viewer");
    let query = "query($n: Int) { plans(first: $n) { nodes { id } } viewer { subject } }";
    let body = app.gql(&token, query, json!({ "n": 99 })).await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(requested(&body), Some(100), "{body}");
    let body = app.gql(&token, query, json!({ "n": 100 })).await;
    assert_eq!(error_code(&body), Some("QUERY_TOO_COMPLEX"), "{body}");
    assert!(body.get("extensions").is_none(), "nothing ran: {body}");
    assert_eq!(
        message(&body),
        "the query may cost 101 (more than 100): ask for smaller pages or fewer nested lists"
    );
}

#[tokio::test]
async fn a_batch_is_priced_whole_and_each_answer_carries_its_own_cost() {
    let app = TestApp::spawn_with(|config| {
        config.allow_batching = true;
        config.query_limits.max_cost = 150;
    })
    .await;
    let token = app.token("acme", "viewer");
    let hundred = json!({ "query": "{ plans(first: 100) { nodes { id } } }" });
    let fifty = json!({ "query": "{ personas(first: 50) { nodes { id } } }" });
    let (status, body) = app.post(Some(&token), &[], &json!([hundred, fifty])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(requested(&body[0]), Some(100), "{body}");
    assert_eq!(requested(&body[1]), Some(50), "{body}");

    // One more object, and the batch is refused whole before any of it runs.
    let viewer = json!({ "query": "{ viewer { subject } }" });
    let (status, body) = app
        .post(Some(&token), &[], &json!([hundred, fifty, viewer]))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_code(&body), Some("QUERY_TOO_COMPLEX"), "{body}");
    assert_eq!(
        message(&body),
        "the batch may cost 151 (more than 150) in all its operations: ask for smaller pages or \
         fewer nested lists"
    );
}
