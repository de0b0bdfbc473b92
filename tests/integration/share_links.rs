//! Share links: an editor opens one plan, read-only, to whoever holds the link, until it expires
//! or is revoked. The holder reads that plan's document and, with the secret or a token the link
//! grants, that plan's GraphQL graph — nothing else of the tenant, and writes nothing.

use chrono::{Duration, Utc};
use entity::share_link;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{
    TestApp, create_action, create_campaign, create_objective, create_persona, create_plan,
    error_code, mutate, mutate_ok, node, record_measurements, sql_integer, user_errors,
};

const LINK_FIELDS: &str =
    "id label scope prefix createdBy lastUsedAt expiresAt revokedAt plan { id name }";

/// A created link: its global ID and its secret, as the API returned them.
struct Link {
    id: String,
    secret: String,
}

fn in_days(days: i64) -> String {
    (Utc::now() + Duration::days(days)).to_rfc3339()
}

async fn create_link(app: &TestApp, editor: &str, plan: &str, scope: &str) -> Link {
    let payload = mutate_ok(
        app,
        editor,
        "createShareLink",
        &format!("shareLink {{ {LINK_FIELDS} }} secret userErrors {{ field code }}"),
        json!({ "planId": plan, "label": "Board review", "scope": scope, "expiresAt": in_days(7) }),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    Link {
        id: payload["shareLink"]["id"].as_str().unwrap().to_owned(),
        secret: payload["secret"].as_str().unwrap().to_owned(),
    }
}

/// `GET /share/{secret}/document.md`: status and body.
async fn shared_document(app: &TestApp, secret: &str) -> (StatusCode, String) {
    let response = app
        .client
        .get(format!("{}/share/{secret}/document.md", app.address))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}

/// `POST /share/token` with the secret as the bearer: status and body.
async fn share_token(app: &TestApp, secret: &str) -> (StatusCode, Value) {
    let response = app
        .client
        .post(format!("{}/share/token", app.address))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn granted_token(app: &TestApp, secret: &str) -> String {
    let (status, body) = share_token(app, secret).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["token"].as_str().unwrap().to_owned()
}

/// A tenant with two plans: the shared one (a campaign, an action, an objective, a persona it
/// targets) and another (its own campaign, action and persona), a persona of neither, an API key
/// and measurements.
struct World {
    editor: String,
    shared_plan: String,
    shared_campaign: String,
    shared_action: String,
    shared_objective: String,
    shared_persona: String,
    other_plan: String,
    other_campaign: String,
    other_action: String,
    other_persona: String,
    loose_persona: String,
    api_key: String,
}

async fn world(app: &TestApp) -> World {
    let editor = app.token("acme", "editor");
    let admin = app.token("acme", "admin");
    let shared_persona = create_persona(app, &editor, "Sophie").await;
    let other_persona = create_persona(app, &editor, "Zoltan").await;
    let loose_persona = create_persona(app, &editor, "Nobody's").await;
    let shared_plan = create_plan(app, &editor, "Shared plan").await;
    let other_plan = create_plan(app, &editor, "Secret plan").await;
    for (plan, persona) in [
        (&shared_plan, &shared_persona),
        (&other_plan, &other_persona),
    ] {
        let version = node(app, &editor, plan, "... on Plan { version }").await["version"].clone();
        mutate_ok(
            app,
            &editor,
            "updatePlan",
            "plan { id } userErrors { field code }",
            json!({ "id": plan, "expectedVersion": version, "personaIds": [persona] }),
        )
        .await;
    }
    let shared_campaign =
        create_campaign(app, &editor, &shared_plan, "Spring", &[&shared_persona]).await;
    let other_campaign =
        create_campaign(app, &editor, &other_plan, "Hidden", &[&other_persona]).await;
    let shared_action = create_action(app, &editor, &shared_plan, json!({})).await;
    let other_action = create_action(app, &editor, &other_plan, json!({})).await;
    let shared_objective = create_objective(app, &editor, &shared_plan, "Halve the CPA").await;
    // In review: a link shows the plan's review as the team sees it.
    let version =
        node(app, &editor, &shared_plan, "... on Plan { version }").await["version"].clone();
    let submitted = mutate_ok(
        app,
        &editor,
        "submitPlanForReview",
        "review { state } userErrors { field code }",
        json!({ "planId": shared_plan, "expectedVersion": version }),
    )
    .await;
    assert_eq!(submitted["review"]["state"], "IN_REVIEW", "{submitted}");
    // The team's what-if: not part of what a link shows.
    mutate_ok(
        app,
        &editor,
        "createScenario",
        "scenario { id } userErrors { field code }",
        json!({ "planId": shared_plan, "name": "Lean", "fromPlan": true }),
    )
    .await;
    let key = mutate_ok(
        app,
        &admin,
        "createApiKey",
        "apiKey { id } userErrors { field code }",
        json!({ "name": "BI", "scopes": ["READ_KPIS"] }),
    )
    .await;
    record_measurements(
        app,
        &editor,
        json!([
            { "kpiKey": "spend", "date": "2027-03-01", "grain": "DAY", "value": "10", "source": "meta_ads", "campaignId": shared_campaign },
            { "kpiKey": "spend", "date": "2027-03-01", "grain": "DAY", "value": "20", "source": "meta_ads", "campaignId": other_campaign }
        ]),
    )
    .await;
    World {
        editor,
        shared_plan,
        shared_campaign,
        shared_action,
        shared_objective,
        shared_persona,
        other_plan,
        other_campaign,
        other_action,
        other_persona,
        loose_persona,
        api_key: key["apiKey"]["id"].as_str().unwrap().to_owned(),
    }
}

fn ids_of(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|item| item["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Every root field of Query, each probed by [`a_link_opens_exactly_one_plan_read_only`]:
/// a root field added later fails the test until it is probed here.
const PROBED_ROOT_FIELDS: &[&str] = &[
    "actions",
    "apiKeys",
    "arbitrage",
    "attribution",
    "auditEvents",
    "campaigns",
    "changes",
    "exchangeRates",
    "kpiDefinitions",
    "kpiSeries",
    "measurements",
    "node",
    "nodes",
    "personas",
    "plan",
    "plans",
    "scenarioComparison",
    "viewer",
    "webhookDeliveries",
    "webhookEndpoints",
];

/// Reads the shared plan, and only it, as `credential` (the secret, or a token it granted).
async fn reads_only_the_shared_plan(app: &TestApp, w: &World, credential: &str) {
    // plans lists the one plan; plan(id) opens it and nothing else.
    let plans = app
        .data(
            credential,
            "{ plans { totalCount nodes { id name } } }",
            json!({}),
        )
        .await;
    assert_eq!(plans["plans"]["totalCount"], 1, "{plans}");
    assert_eq!(
        ids_of(&plans["plans"]["nodes"]),
        vec![w.shared_plan.clone()]
    );
    let query = "query($id: ID!) { plan(id: $id) { id name personas { id segments { id } } \
                 campaigns { nodes { id plan { id } personas { id } } } \
                 actions { nodes { id } } objectives { id kpi { key } } } }";
    let shared = app
        .data(credential, query, json!({ "id": w.shared_plan }))
        .await["plan"]
        .clone();
    assert_eq!(shared["name"], "Shared plan");
    assert_eq!(ids_of(&shared["personas"]), vec![w.shared_persona.clone()]);
    assert_eq!(
        ids_of(&shared["campaigns"]["nodes"]),
        vec![w.shared_campaign.clone()]
    );
    assert_eq!(
        shared["campaigns"]["nodes"][0]["plan"]["id"],
        w.shared_plan.as_str()
    );
    assert_eq!(
        ids_of(&shared["actions"]["nodes"]),
        vec![w.shared_action.clone()]
    );
    assert_eq!(
        ids_of(&shared["objectives"]),
        vec![w.shared_objective.clone()]
    );
    assert_eq!(shared["objectives"][0]["kpi"]["key"], "cpa");
    let other = app
        .data(credential, query, json!({ "id": w.other_plan }))
        .await;
    assert_eq!(other["plan"], Value::Null);

    // node and nodes: the shared plan's objects, never anything else of the tenant.
    let reachable = [
        &w.shared_plan,
        &w.shared_campaign,
        &w.shared_action,
        &w.shared_objective,
        &w.shared_persona,
    ];
    for id in reachable {
        let found = node(app, credential, id, "id").await;
        assert_eq!(found["id"], id.as_str(), "{id}");
    }
    let unreachable = [
        &w.other_plan,
        &w.other_campaign,
        &w.other_action,
        &w.other_persona,
        &w.loose_persona,
        &w.api_key,
    ];
    for id in unreachable {
        let body = app
            .gql(
                credential,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(body["data"]["node"], Value::Null, "{id}: {body}");
    }
    let body = app
        .gql(
            credential,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": unreachable }),
        )
        .await;
    assert!(
        body["data"]["nodes"]
            .as_array()
            .is_none_or(|nodes| nodes.iter().all(Value::is_null)),
        "{body}"
    );
    let all_nodes = app
        .data(
            credential,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": reachable }),
        )
        .await;
    assert_eq!(all_nodes["nodes"].as_array().map(Vec::len), Some(5));

    // The tenant-wide lists hold the shared plan's rows only.
    let lists = app
        .data(
            credential,
            "{ campaigns { nodes { id } } actions { nodes { id } } personas { nodes { id } } \
             kpiDefinitions { key } }",
            json!({}),
        )
        .await;
    assert_eq!(
        ids_of(&lists["campaigns"]["nodes"]),
        vec![w.shared_campaign.clone()]
    );
    assert_eq!(
        ids_of(&lists["actions"]["nodes"]),
        vec![w.shared_action.clone()]
    );
    assert_eq!(
        ids_of(&lists["personas"]["nodes"]),
        vec![w.shared_persona.clone()]
    );
    assert!(
        lists["kpiDefinitions"]
            .as_array()
            .is_some_and(|kpis| !kpis.is_empty())
    );

    let review = app
        .data(
            credential,
            "query($id: ID!) { plan(id: $id) { review { state events { kind } } } }",
            json!({ "id": w.shared_plan }),
        )
        .await;
    assert_eq!(
        review["plan"]["review"],
        json!({ "state": "IN_REVIEW", "events": [{ "kind": "SUBMITTED" }] }),
        "{review}"
    );

    // A computation over a plan reaches the shared one only.
    let arbitrage = "query($plan: ID!) { arbitrage(input: { planId: $plan, ceiling: \"500\" }) \
                     { plan { id } } }";
    let on_shared = app
        .data(credential, arbitrage, json!({ "plan": w.shared_plan }))
        .await;
    assert_eq!(on_shared["arbitrage"]["plan"]["id"], w.shared_plan.as_str());
    let on_other = app
        .gql(credential, arbitrage, json!({ "plan": w.other_plan }))
        .await;
    assert_eq!(error_code(&on_other), Some("NOT_FOUND"), "{on_other}");
    // The plan's budgets compare, without the team's scenarios (they are not the plan's
    // document); another plan is not found.
    let comparison = "query($plan: ID!) { scenarioComparison(planId: $plan) \
                      { current { totals { allocated } } scenarios { scenario { id } } } }";
    let on_shared = app
        .data(credential, comparison, json!({ "plan": w.shared_plan }))
        .await;
    assert_eq!(
        on_shared["scenarioComparison"]["scenarios"],
        json!([]),
        "{on_shared}"
    );
    let on_other = app
        .gql(credential, comparison, json!({ "plan": w.other_plan }))
        .await;
    assert_eq!(error_code(&on_other), Some("NOT_FOUND"), "{on_other}");

    // The rest of the tenant: KPIs, measurements, attribution, keys, settings, the links.
    for query in [
        "{ viewer { subject } }",
        "{ apiKeys { totalCount } }",
        "{ measurements { totalCount } }",
        "{ exchangeRates { totalCount } }",
        "{ auditEvents { totalCount } }",
        "{ webhookEndpoints { totalCount } }",
        // A well-formed endpoint ID: refused before it is looked up.
        "{ webhookDeliveries(endpointId: \"V2ViaG9va0VuZHBvaW50OjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw\") { totalCount } }",
        "{ kpiSeries(input: { kpiKeys: [\"spend\"], from: \"2027-01-01\", to: \"2027-12-31\", grain: MONTH }) { value } }",
        "{ attribution(input: { from: \"2027-01-01T00:00:00Z\", to: \"2027-12-31T00:00:00Z\", model: FIRST_TOUCH, groupBy: CAMPAIGN }) { totalValue } }",
    ] {
        let body = app.gql(credential, query, json!({})).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{query}: {body}");
        assert!(
            body["data"].is_null(),
            "{query} must answer no data: {body}"
        );
    }
    // The change feed reads nothing of the tenant through a link (not on its allow-list).
    let feed = app
        .data(credential, "{ changes { changes { id } } }", json!({}))
        .await;
    assert_eq!(feed["changes"]["changes"], json!([]), "{feed}");
    let links = app
        .gql(
            credential,
            "query($id: ID!) { plan(id: $id) { shareLinks { id } } }",
            json!({ "id": w.shared_plan }),
        )
        .await;
    assert_eq!(error_code(&links), Some("FORBIDDEN"), "{links}");
    let history = app
        .gql(
            credential,
            "query($id: ID!) { plan(id: $id) { history { totalCount } } }",
            json!({ "id": w.shared_plan }),
        )
        .await;
    assert_eq!(error_code(&history), Some("FORBIDDEN"), "{history}");
}

/// Every write is refused, and nothing is written.
async fn writes_nothing(app: &TestApp, w: &World, credential: &str, link_id: &str) {
    let plans_before = sql_integer(app, "SELECT COUNT(*) FROM plans").await;
    let links_before = sql_integer(app, "SELECT COUNT(*) FROM share_links").await;
    let version =
        node(app, &w.editor, &w.shared_plan, "... on Plan { version }").await["version"].clone();
    let attempts = [
        (
            "createPlan",
            "plan { id }",
            json!({ "name": "Mine", "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "budget": "1" }),
        ),
        (
            "updatePlan",
            "plan { id }",
            json!({ "id": w.shared_plan, "expectedVersion": version, "name": "Renamed" }),
        ),
        ("deletePlan", "deletedId", json!({ "id": w.shared_plan })),
        (
            "copyPlan",
            "plan { id }",
            json!({ "planId": w.shared_plan, "name": "Copy", "periodStart": "2028-01-01" }),
        ),
        (
            "createPersona",
            "persona { id }",
            json!({ "name": "Intruder" }),
        ),
        (
            "createShareLink",
            "secret",
            json!({ "planId": w.shared_plan, "label": "More", "scope": "BOTH", "expiresAt": in_days(1) }),
        ),
        (
            "revokeShareLink",
            "shareLink { id }",
            json!({ "id": link_id }),
        ),
        (
            "createApiKey",
            "secret",
            json!({ "name": "Mine", "scopes": ["READ_PLANS"] }),
        ),
        (
            "recordMeasurements",
            "inserted",
            json!({ "measurements": [{ "kpiKey": "spend", "date": "2027-03-02", "grain": "DAY", "value": "1", "source": "meta_ads", "campaignId": w.shared_campaign }] }),
        ),
        (
            "updateTenant",
            "tenant { key }",
            json!({ "expectedVersion": 1, "name": "Hijacked" }),
        ),
    ];
    for (field, selection, input) in attempts {
        let body = mutate(app, credential, field, selection, input).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{field}: {body}");
    }
    assert_eq!(
        sql_integer(app, "SELECT COUNT(*) FROM plans").await,
        plans_before
    );
    assert_eq!(
        sql_integer(app, "SELECT COUNT(*) FROM share_links").await,
        links_before
    );
    let name = node(app, &w.editor, &w.shared_plan, "... on Plan { name }").await;
    assert_eq!(name["name"], "Shared plan");
}

#[tokio::test]
async fn a_link_opens_exactly_one_plan_read_only() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let link = create_link(&app, &w.editor, &w.shared_plan, "BOTH").await;

    // Every root field of Query is probed below.
    let fields = app
        .data(
            &w.editor,
            "{ __schema { queryType { fields { name } } } }",
            json!({}),
        )
        .await;
    let mut names: Vec<String> = fields["__schema"]["queryType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|field| field["name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    assert_eq!(
        names, PROBED_ROOT_FIELDS,
        "probe the new root field for share links"
    );

    // The document: the shared plan's, nothing of the other.
    let (status, document) = shared_document(&app, &link.secret).await;
    assert_eq!(status, StatusCode::OK, "{document}");
    assert!(document.starts_with("# Shared plan"), "{document}");
    assert!(
        document.contains("Spring") && document.contains("Sophie"),
        "{document}"
    );
    assert!(!document.contains("Secret plan") && !document.contains("Hidden"));
    assert!(!document.contains("Zoltan"));

    // The graph, with a token the link grants and with the secret itself.
    let (status, granted) = share_token(&app, &link.secret).await;
    assert_eq!(status, StatusCode::OK, "{granted}");
    assert_eq!(granted["tokenType"], "Bearer");
    assert_eq!(granted["planId"], w.shared_plan.as_str());
    let expires_at = chrono::DateTime::parse_from_rfc3339(granted["expiresAt"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    assert!(expires_at <= Utc::now() + Duration::minutes(15) && expires_at > Utc::now());
    let token = granted["token"].as_str().unwrap().to_owned();
    for credential in [&token, &link.secret] {
        reads_only_the_shared_plan(&app, &w, credential).await;
        writes_nothing(&app, &w, credential, &link.id).await;
    }

    // The plain-HTTP endpoints: the shared plan's document only; no exports.
    for credential in [&token, &link.secret] {
        for (path, expected) in [
            (
                format!("/plans/{}/document.md", w.shared_plan),
                StatusCode::OK,
            ),
            (
                format!("/plans/{}/document.md", w.other_plan),
                StatusCode::NOT_FOUND,
            ),
            (
                "/export/measurements.csv?kpis=spend&from=2027-01-01&to=2027-12-31".to_owned(),
                StatusCode::FORBIDDEN,
            ),
            (
                "/export/kpi-series.csv?kpi=spend&from=2027-01-01&to=2027-12-31&grain=MONTH"
                    .to_owned(),
                StatusCode::FORBIDDEN,
            ),
        ] {
            let response = app
                .client
                .get(format!("{}{path}", app.address))
                .bearer_auth(credential)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), expected, "{path}");
        }
    }

    // The editor sees the link was used.
    let listed = app
        .data(
            &w.editor,
            &format!("query($id: ID!) {{ plan(id: $id) {{ shareLinks {{ {LINK_FIELDS} }} }} }}"),
            json!({ "id": w.shared_plan }),
        )
        .await;
    let links = &listed["plan"]["shareLinks"];
    assert_eq!(ids_of(links), vec![link.id.clone()]);
    assert!(links[0]["lastUsedAt"].is_string(), "{links}");
}

#[tokio::test]
async fn revocation_and_expiry_stop_the_link_and_its_tokens_at_once() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Shared plan").await;
    let plans = "{ plans { nodes { id } } }";

    // Revoked: the document, new tokens, tokens granted before and the secret all stop.
    let link = create_link(&app, &editor, &plan, "BOTH").await;
    let token = granted_token(&app, &link.secret).await;
    assert!(
        app.gql(&token, plans, json!({}))
            .await
            .get("errors")
            .is_none()
    );
    let revoked = mutate_ok(
        &app,
        &editor,
        "revokeShareLink",
        "shareLink { id revokedAt } userErrors { field code }",
        json!({ "id": link.id }),
    )
    .await;
    assert!(revoked["shareLink"]["revokedAt"].is_string(), "{revoked}");
    let (status, _) = shared_document(&app, &link.secret).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = share_token(&app, &link.secret).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    for credential in [&token, &link.secret] {
        let (status, body) = app
            .post(Some(credential), &[], &json!({ "query": plans }))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    }
    // Revoking again succeeds and keeps the first time.
    let again = mutate_ok(
        &app,
        &editor,
        "revokeShareLink",
        "shareLink { revokedAt }",
        json!({ "id": link.id }),
    )
    .await;
    assert_eq!(
        again["shareLink"]["revokedAt"],
        revoked["shareLink"]["revokedAt"]
    );

    // Expired: the same, with the token granted while the link stood.
    let link = create_link(&app, &editor, &plan, "BOTH").await;
    let token = granted_token(&app, &link.secret).await;
    assert!(
        app.gql(&token, plans, json!({}))
            .await
            .get("errors")
            .is_none()
    );
    share_link::Entity::update_many()
        .col_expr(
            share_link::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::seconds(1)),
        )
        .filter(share_link::Column::Prefix.eq(&link.secret[4..12]))
        .exec(app.app.database())
        .await
        .unwrap();
    let (status, _) = shared_document(&app, &link.secret).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = share_token(&app, &link.secret).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for credential in [&token, &link.secret] {
        let (status, body) = app
            .post(Some(credential), &[], &json!({ "query": plans }))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    }

    // An unknown secret is refused the same way.
    let (status, _) =
        shared_document(&app, "lvs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_links_scope_limits_it_to_the_document_or_the_api() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Shared plan").await;

    let document_only = create_link(&app, &editor, &plan, "DOCUMENT").await;
    let (status, _) = shared_document(&app, &document_only.secret).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = share_token(&app, &document_only.secret).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = app
        .post(
            Some(&document_only.secret),
            &[],
            &json!({ "query": "{ plans { nodes { id } } }" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(error_code(&body), Some("FORBIDDEN"));

    let api_only = create_link(&app, &editor, &plan, "API").await;
    let (status, _) = shared_document(&app, &api_only.secret).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let token = granted_token(&app, &api_only.secret).await;
    let plans = app
        .data(&token, "{ plans { nodes { id } } }", json!({}))
        .await;
    assert_eq!(ids_of(&plans["plans"]["nodes"]), vec![plan]);
}

#[tokio::test]
async fn editors_create_links_whose_secret_is_shown_once_and_stored_hashed() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let plan = create_plan(&app, &editor, "Shared plan").await;

    let payload = mutate_ok(
        &app,
        &editor,
        "createShareLink",
        &format!("shareLink {{ {LINK_FIELDS} }} secret userErrors {{ field code }}"),
        json!({ "planId": plan, "label": "  Board review ", "scope": "BOTH", "expiresAt": in_days(30) }),
    )
    .await;
    let secret = payload["secret"].as_str().unwrap().to_owned();
    assert!(
        secret.starts_with("lvs_") && secret.len() == 4 + 43,
        "{secret}"
    );
    let link = &payload["shareLink"];
    assert_eq!(link["label"], "Board review");
    assert_eq!(link["scope"], "BOTH");
    assert_eq!(link["prefix"], secret[4..12]);
    assert_eq!(link["createdBy"], "acme-editor-user");
    assert_eq!(link["plan"]["id"], plan.as_str());
    assert_eq!(link["revokedAt"], Value::Null);
    assert_eq!(link["lastUsedAt"], Value::Null);

    // Stored: the digest and the prefix, never the secret.
    let row = share_link::Entity::find()
        .filter(share_link::Column::Prefix.eq(&secret[4..12]))
        .one(app.app.database())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.secret_hash,
        hex::encode(Sha256::digest(secret.as_bytes()))
    );
    for column in [&row.label, &row.prefix, &row.secret_hash, &row.created_by] {
        assert!(!column.contains(&secret[12..]), "{column}");
    }
    let holding = sql_integer(
        &app,
        &format!(
            "SELECT COUNT(*) FROM share_links WHERE secret_hash = '{}' OR prefix = '{}'",
            &secret[4..],
            &secret
        ),
    )
    .await;
    assert_eq!(holding, 0);

    // Listed and fetched by node without the secret; the type has no field that could hold it.
    let listed = app
        .data(
            &editor,
            "query($id: ID!) { plan(id: $id) { shareLinks { id prefix } } }",
            json!({ "id": plan }),
        )
        .await;
    assert!(!listed.to_string().contains(&secret[12..]));
    let id = link["id"].as_str().unwrap();
    let by_node = node(&app, &editor, id, "... on ShareLink { label scope }").await;
    assert_eq!(by_node, json!({ "label": "Board review", "scope": "BOTH" }));
    let fields = app
        .data(
            &editor,
            "{ __type(name: \"ShareLink\") { fields { name } } }",
            json!({}),
        )
        .await
        .to_string()
        .to_lowercase();
    assert!(
        !fields.contains("secret") && !fields.contains("hash"),
        "{fields}"
    );

    // The rules: an editor's, an expiry in the future and at most 90 days away, a label.
    let create = |token: String, input: Value| {
        let app = &app;
        async move {
            mutate(
                app,
                &token,
                "createShareLink",
                "secret userErrors { field code }",
                input,
            )
            .await
        }
    };
    let body = create(
        viewer.clone(),
        json!({ "planId": plan, "label": "x", "scope": "BOTH", "expiresAt": in_days(1) }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    for (input, expected) in [
        (
            json!({ "planId": plan, "label": "x", "scope": "BOTH", "expiresAt": in_days(-1) }),
            "input.expiresAt: OUT_OF_RANGE",
        ),
        (
            json!({ "planId": plan, "label": "x", "scope": "BOTH", "expiresAt": in_days(91) }),
            "input.expiresAt: OUT_OF_RANGE",
        ),
        (
            json!({ "planId": plan, "label": " ", "scope": "BOTH", "expiresAt": in_days(1) }),
            "input.label: REQUIRED",
        ),
    ] {
        let body = create(editor.clone(), input).await;
        let payload = &body["data"]["createShareLink"];
        assert_eq!(user_errors(payload), vec![expected.to_owned()], "{body}");
        assert_eq!(payload["secret"], Value::Null);
    }
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM share_links").await,
        1
    );

    // Viewers neither list nor revoke.
    let body = app
        .gql(
            &viewer,
            "query($id: ID!) { plan(id: $id) { shareLinks { id } } }",
            json!({ "id": plan }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = mutate(
        &app,
        &viewer,
        "revokeShareLink",
        "shareLink { id }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
}

#[tokio::test]
async fn another_tenant_cannot_reach_a_share_link_or_use_it_as_its_own() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let admin = app.token("acme", "admin");
    let intruder = app.token("globex", "admin");
    let plan = create_plan(&app, &editor, "Shared plan").await;
    let link = create_link(&app, &editor, &plan, "BOTH").await;
    let own_plan = create_plan(&app, &intruder, "Globex plan").await;

    // Read by node, list through the plan, link a new one to the plan, revoke by id.
    let found = app
        .gql(
            &intruder,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": link.id }),
        )
        .await;
    assert_eq!(found["data"]["node"], Value::Null, "{found}");
    let nodes = app
        .gql(
            &intruder,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": [link.id] }),
        )
        .await;
    assert_eq!(nodes["data"]["nodes"], json!([null]), "{nodes}");
    let listed = app
        .gql(
            &intruder,
            "query($id: ID!) { plan(id: $id) { shareLinks { id } } }",
            json!({ "id": plan }),
        )
        .await;
    assert_eq!(listed["data"]["plan"], Value::Null, "{listed}");
    let own = app
        .data(
            &intruder,
            "query($id: ID!) { plan(id: $id) { shareLinks { id } } }",
            json!({ "id": own_plan }),
        )
        .await;
    assert_eq!(own["plan"]["shareLinks"], json!([]));
    let created = mutate(
        &app,
        &intruder,
        "createShareLink",
        "secret",
        json!({ "planId": plan, "label": "Mine", "scope": "BOTH", "expiresAt": in_days(1) }),
    )
    .await;
    assert_eq!(error_code(&created), Some("NOT_FOUND"), "{created}");
    let revoked = mutate(
        &app,
        &intruder,
        "revokeShareLink",
        "shareLink { id }",
        json!({ "id": link.id }),
    )
    .await;
    assert_eq!(error_code(&revoked), Some("NOT_FOUND"), "{revoked}");
    assert_eq!(
        sql_integer(
            &app,
            "SELECT COUNT(*) FROM share_links WHERE revoked_at IS NULL"
        )
        .await,
        1
    );

    // The link's holder cannot ask for another tenant either.
    let token = granted_token(&app, &link.secret).await;
    for credential in [&token, &link.secret] {
        let (status, body) = app
            .post(
                Some(credential),
                &[("X-Levier-Tenant", "globex")],
                &json!({ "query": "{ plans { nodes { id } } }" }),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }

    // The link still works for its own plan, and an admin of its tenant sees it.
    let (status, _) = shared_document(&app, &link.secret).await;
    assert_eq!(status, StatusCode::OK);
    let seen = node(&app, &admin, &link.id, "... on ShareLink { label }").await;
    assert_eq!(seen["label"], "Board review");
}

/// The first `graphql` block of the README's "Share links" section.
fn readme_mutation() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .unwrap_or_else(|e| panic!("cannot read the README: {e}"));
    let section = readme
        .split("\n## Share links\n")
        .nth(1)
        .unwrap_or_else(|| panic!("the README has no Share links section"));
    let block = section
        .split("```graphql\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or_else(|| panic!("the Share links section has no graphql block"));
    block.to_owned()
}

#[tokio::test]
async fn the_readme_requests_work() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let persona = create_persona(&app, &editor, "Sophie").await;
    create_campaign(&app, &editor, &plan, "Spring", &[&persona]).await;
    let created = app
        .data(
            &editor,
            &readme_mutation(),
            json!({ "plan": plan, "expiresAt": in_days(30) }),
        )
        .await;
    let payload = &created["createShareLink"];
    assert_eq!(user_errors(payload), Vec::<String>::new());
    assert_eq!(payload["shareLink"]["scope"], "BOTH");
    let secret = payload["secret"].as_str().unwrap();
    let (status, document) = shared_document(&app, secret).await;
    assert_eq!(status, StatusCode::OK);
    assert!(document.starts_with("# Plan 2027"), "{document}");
    let (status, granted) = share_token(&app, secret).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        granted.as_object().map(|fields| {
            let mut names: Vec<&String> = fields.keys().collect();
            names.sort();
            names
        }),
        Some(vec![
            &"expiresAt".to_owned(),
            &"planId".to_owned(),
            &"token".to_owned(),
            &"tokenType".to_owned()
        ])
    );
    let token = granted["token"].as_str().unwrap();
    let read = app
        .data(
            token,
            "{ plans { nodes { name campaigns { nodes { name } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        read,
        json!({ "plans": { "nodes": [{ "name": "Plan 2027", "campaigns": { "nodes": [{ "name": "Spring" }] } }] } })
    );
}

#[tokio::test]
async fn a_link_is_refused_over_a_websocket() {
    // A connection would outlive the link's revocation: a link reads over HTTP only.
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Shared plan").await;
    let link = create_link(&app, &editor, &plan, "BOTH").await;
    let token = granted_token(&app, &link.secret).await;
    for credential in [&token, &link.secret] {
        crate::subscriptions::assert_refused(
            &app,
            json!({ "Authorization": format!("Bearer {credential}") }),
            "HTTP only",
        )
        .await;
    }
}
