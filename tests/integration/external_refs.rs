//! External references and upserts (issue 14, item 1): `externalRef` on plans, personas,
//! objectives, campaigns, actions, content items and lever allocations, unique per tenant and
//! filterable; `upsert…` mutations keyed by it that answer CREATED, UPDATED or UNCHANGED (and
//! write nothing when UNCHANGED); tenants and share links never reach another's references.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{
    TestApp, create_persona, create_plan, error_code, mutate, mutate_ok, node, sql_integer,
    user_errors,
};

/// The ```graphql block of the README's "External references and upserts" section.
fn readme_operations() -> String {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("\n## External references and upserts\n")
        .nth(1)
        .expect("README has an \"External references and upserts\" section");
    section
        .split("```graphql\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section has a graphql block")
        .to_owned()
}

async fn run_readme(app: &TestApp, token: &str, operation: &str, variables: Value) -> Value {
    let body = app
        .post(
            Some(token),
            &[],
            &json!({ "query": readme_operations(), "operationName": operation, "variables": variables }),
        )
        .await
        .1;
    assert!(body.get("errors").is_none(), "{operation}: {body}");
    body["data"].clone()
}

/// The upserts of the README's sync, by field, with the object field of each payload.
const SYNCED: [(&str, &str); 7] = [
    ("upsertPlan", "plan"),
    ("upsertPersona", "persona"),
    ("upsertObjective", "objective"),
    ("upsertLeverAllocation", "leverAllocation"),
    ("upsertCampaign", "campaign"),
    ("upsertAction", "action"),
    ("upsertContentItem", "contentItem"),
];

/// Runs the README's sync once; returns each upsert's payload by field.
async fn sync(app: &TestApp, token: &str) -> serde_json::Map<String, Value> {
    let first = run_readme(app, token, "SyncPlanAndPersona", json!({})).await;
    let persona = first["upsertPersona"]["persona"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no persona: {first}"))
        .to_owned();
    let second = run_readme(app, token, "SyncContents", json!({ "persona": persona })).await;
    let mut all = first.as_object().cloned().unwrap_or_default();
    all.extend(second.as_object().cloned().unwrap_or_default());
    all
}

/// Rows of the seven tables, and the sum of their versions.
async fn rows_and_versions(app: &TestApp) -> (i64, i64) {
    let mut rows = 0;
    let mut versions = 0;
    for table in [
        "plans",
        "personas",
        "objectives",
        "lever_allocations",
        "campaigns",
        "actions",
        "content_items",
    ] {
        rows += sql_integer(app, &format!("SELECT COUNT(*) FROM {table}")).await;
        versions += sql_integer(
            app,
            &format!("SELECT COALESCE(SUM(version), 0) FROM {table}"),
        )
        .await;
    }
    (rows, versions)
}

#[tokio::test]
async fn a_sync_run_twice_creates_once_then_reports_everything_unchanged() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");

    let first = sync(&app, &editor).await;
    for (field, object) in SYNCED {
        assert_eq!(
            first[field]["userErrors"],
            json!([]),
            "{field}: {}",
            first[field]
        );
        assert_eq!(
            first[field]["outcome"], "CREATED",
            "{field}: {}",
            first[field]
        );
        assert_eq!(first[field][object]["version"], 1, "{field}");
    }
    assert_eq!(
        first["upsertPlan"]["plan"]["externalRef"],
        json!({ "source": "sheet", "id": "plan-2027" })
    );
    let after_first = rows_and_versions(&app).await;
    assert_eq!(after_first, (7, 7), "one row per upsert, at version 1");
    let plan_updated_at = node(
        &app,
        &editor,
        first["upsertPlan"]["plan"]["id"].as_str().unwrap(),
        "... on Plan { updatedAt }",
    )
    .await["updatedAt"]
        .clone();

    let second = sync(&app, &editor).await;
    for (field, object) in SYNCED {
        assert_eq!(
            second[field]["userErrors"],
            json!([]),
            "{field}: {}",
            second[field]
        );
        assert_eq!(
            second[field]["outcome"], "UNCHANGED",
            "{field}: {}",
            second[field]
        );
        assert_eq!(second[field][object]["version"], 1, "{field}");
        assert_eq!(
            second[field][object]["id"], first[field][object]["id"],
            "{field}"
        );
    }
    assert_eq!(
        rows_and_versions(&app).await,
        after_first,
        "nothing written"
    );
    let plan_after = node(
        &app,
        &editor,
        first["upsertPlan"]["plan"]["id"].as_str().unwrap(),
        "... on Plan { updatedAt }",
    )
    .await["updatedAt"]
        .clone();
    assert_eq!(plan_after, plan_updated_at, "updatedAt kept");
}

const CAMPAIGN: &str =
    "campaign { id version budget externalRef { source id } } outcome userErrors { field code }";

fn campaign_upsert(plan_ref: &str, budget: &str) -> Value {
    json!({
        "externalRef": { "source": "crm", "id": "c-1" },
        "planRef": { "source": "crm", "id": plan_ref },
        "name": "Spring", "kind": "TRAFFIC", "levers": ["SEA"],
        "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": budget
    })
}

/// A plan of 2027 with the reference `crm/<id>`, made with `upsertPlan`; returns its ID.
async fn referenced_plan(app: &TestApp, token: &str, id: &str) -> String {
    let payload = mutate_ok(
        app,
        token,
        "upsertPlan",
        "plan { id } outcome userErrors { field code }",
        json!({
            "externalRef": { "source": "crm", "id": id }, "name": format!("Plan {id}"),
            "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "budget": "100000"
        }),
    )
    .await;
    assert_eq!(payload["outcome"], "CREATED", "{payload}");
    payload["plan"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_changed_field_updates_once_and_bumps_the_version() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    referenced_plan(&app, &editor, "p-1").await;
    let created = mutate_ok(
        &app,
        &editor,
        "upsertCampaign",
        CAMPAIGN,
        campaign_upsert("p-1", "1000"),
    )
    .await;
    assert_eq!(created["outcome"], "CREATED", "{created}");

    let changed = mutate_ok(
        &app,
        &editor,
        "upsertCampaign",
        CAMPAIGN,
        campaign_upsert("p-1", "1500"),
    )
    .await;
    assert_eq!(changed["outcome"], "UPDATED", "{changed}");
    assert_eq!(changed["campaign"]["version"], 2);
    assert_eq!(changed["campaign"]["budget"], "1500.00");
    assert_eq!(changed["campaign"]["id"], created["campaign"]["id"]);

    let again = mutate_ok(
        &app,
        &editor,
        "upsertCampaign",
        CAMPAIGN,
        campaign_upsert("p-1", "1500"),
    )
    .await;
    assert_eq!(again["outcome"], "UNCHANGED", "{again}");
    assert_eq!(again["campaign"]["version"], 2);

    // A link set is part of the document: another lever is a change.
    let mut levers = campaign_upsert("p-1", "1500");
    levers["levers"] = json!(["SEA", "DISPLAY"]);
    let relinked = mutate_ok(&app, &editor, "upsertCampaign", CAMPAIGN, levers.clone()).await;
    assert_eq!(relinked["outcome"], "UPDATED", "{relinked}");
    assert_eq!(relinked["campaign"]["version"], 3);
    let same = mutate_ok(&app, &editor, "upsertCampaign", CAMPAIGN, levers).await;
    assert_eq!(same["outcome"], "UNCHANGED", "{same}");

    // The update mutation still writes (and versions) a change that changes nothing.
    let campaign = created["campaign"]["id"].as_str().unwrap();
    let updated = mutate_ok(
        &app,
        &editor,
        "updateCampaign",
        "campaign { version } userErrors { field code }",
        json!({ "id": campaign, "expectedVersion": 3, "budget": "1500" }),
    )
    .await;
    assert_eq!(updated["campaign"]["version"], 4, "{updated}");
}

#[tokio::test]
async fn a_reference_is_unique_per_tenant_and_kind() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let first = referenced_plan(&app, &editor, "p-1").await;
    let duplicate = mutate_ok(
        &app,
        &editor,
        "createPlan",
        "plan { id } userErrors { field code }",
        json!({
            "name": "Again", "periodStart": "2027-01-01", "periodEnd": "2027-12-31",
            "budget": "1", "externalRef": { "source": "crm", "id": "p-1" }
        }),
    )
    .await;
    assert_eq!(
        user_errors(&duplicate),
        vec!["input.externalRef: DUPLICATE"]
    );
    assert_eq!(duplicate["plan"], Value::Null);

    // Another plan cannot take it by update either; the plan itself may keep it.
    let other = create_plan(&app, &editor, "Other").await;
    let taken = mutate_ok(
        &app,
        &editor,
        "updatePlan",
        "plan { id } userErrors { field code }",
        json!({ "id": other, "expectedVersion": 1, "externalRef": { "source": "crm", "id": "p-1" } }),
    )
    .await;
    assert_eq!(user_errors(&taken), vec!["input.externalRef: DUPLICATE"]);
    let kept = mutate_ok(
        &app,
        &editor,
        "updatePlan",
        "plan { version externalRef { id } } userErrors { field code }",
        json!({ "id": first, "expectedVersion": 1, "externalRef": { "source": "crm", "id": "p-1" } }),
    )
    .await;
    assert_eq!(user_errors(&kept), Vec::<String>::new(), "{kept}");

    // Null removes it; then another plan may take it.
    let cleared = mutate_ok(
        &app,
        &editor,
        "updatePlan",
        "plan { externalRef { id } } userErrors { field code }",
        json!({ "id": first, "expectedVersion": 2, "externalRef": null }),
    )
    .await;
    assert_eq!(cleared["plan"]["externalRef"], Value::Null, "{cleared}");
    let moved = mutate_ok(
        &app,
        &editor,
        "updatePlan",
        "plan { externalRef { id } } userErrors { field code }",
        json!({ "id": other, "expectedVersion": 1, "externalRef": { "source": "crm", "id": "p-1" } }),
    )
    .await;
    assert_eq!(moved["plan"]["externalRef"]["id"], "p-1", "{moved}");

    // The same reference on another kind of object is no duplicate; a campaign's own unique
    // key (its UTM code) still reports on its own field.
    let plan = create_plan(&app, &editor, "Campaigns").await;
    let campaign = |reference: &str, utm: &str| {
        json!({
            "planId": plan, "name": "C", "kind": "TRAFFIC", "startDate": "2027-03-01",
            "endDate": "2027-03-31", "budget": "0", "utmCode": utm,
            "externalRef": { "source": "crm", "id": reference }
        })
    };
    let c1 = mutate_ok(
        &app,
        &editor,
        "createCampaign",
        "campaign { id } userErrors { field code }",
        campaign("p-1", "spring"),
    )
    .await;
    assert_eq!(user_errors(&c1), Vec::<String>::new(), "{c1}");
    let c2 = mutate_ok(
        &app,
        &editor,
        "createCampaign",
        "campaign { id } userErrors { field code }",
        campaign("p-1", "summer"),
    )
    .await;
    assert_eq!(user_errors(&c2), vec!["input.externalRef: DUPLICATE"]);
    let c3 = mutate_ok(
        &app,
        &editor,
        "createCampaign",
        "campaign { id } userErrors { field code }",
        campaign("c-3", "spring"),
    )
    .await;
    assert_eq!(user_errors(&c3), vec!["input.utmCode: DUPLICATE"]);

    // Malformed references.
    let malformed = mutate_ok(
        &app,
        &editor,
        "createPersona",
        "persona { id } userErrors { field code }",
        json!({ "name": "X", "externalRef": { "source": "two words", "id": " padded" } }),
    )
    .await;
    assert_eq!(
        user_errors(&malformed),
        vec![
            "input.externalRef.source: INVALID",
            "input.externalRef.id: INVALID"
        ]
    );
}

#[tokio::test]
async fn an_upsert_checks_as_the_create_does_and_conflicts_on_a_stale_version() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = referenced_plan(&app, &editor, "p-1").await;
    let bad = json!({
        "name": "  ", "kind": "TRAFFIC", "startDate": "2027-04-01", "endDate": "2027-03-01",
        "budget": "-5", "levers": []
    });
    let mut create = bad.clone();
    create["planId"] = json!(plan);
    let created = mutate_ok(
        &app,
        &editor,
        "createCampaign",
        "campaign { id } userErrors { field code message }",
        create,
    )
    .await;
    let mut upsert = bad.clone();
    upsert["planId"] = json!(plan);
    upsert["externalRef"] = json!({ "source": "crm", "id": "c-bad" });
    let upserted = mutate_ok(
        &app,
        &editor,
        "upsertCampaign",
        "campaign { id } outcome userErrors { field code message }",
        upsert,
    )
    .await;
    assert!(!user_errors(&created).is_empty());
    assert_eq!(
        upserted["userErrors"], created["userErrors"],
        "same user errors as the create"
    );
    assert_eq!(upserted["outcome"], Value::Null);
    assert_eq!(sql_integer(&app, "SELECT COUNT(*) FROM campaigns").await, 0);

    // A stale expectedVersion, or one for a reference nothing has: CONFLICT, nothing written.
    let plan_input = |version: Option<i32>| {
        json!({
            "externalRef": { "source": "crm", "id": "p-1" }, "expectedVersion": version,
            "name": "Renamed", "periodStart": "2027-01-01", "periodEnd": "2027-12-31",
            "budget": "100000"
        })
    };
    let stale = mutate(
        &app,
        &editor,
        "upsertPlan",
        "plan { id } outcome",
        plan_input(Some(7)),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    let current = mutate_ok(
        &app,
        &editor,
        "upsertPlan",
        "plan { version name } outcome",
        plan_input(Some(1)),
    )
    .await;
    assert_eq!(current["outcome"], "UPDATED", "{current}");
    assert_eq!(current["plan"]["version"], 2);
    let unchanged_stale = mutate(
        &app,
        &editor,
        "upsertPlan",
        "plan { id } outcome",
        plan_input(Some(1)),
    )
    .await;
    assert_eq!(
        error_code(&unchanged_stale),
        Some("CONFLICT"),
        "a stale version conflicts even when nothing would change"
    );
    let mut missing = plan_input(Some(1));
    missing["externalRef"]["id"] = json!("p-404");
    let gone = mutate(&app, &editor, "upsertPlan", "plan { id } outcome", missing).await;
    assert_eq!(error_code(&gone), Some("CONFLICT"), "{gone}");
    assert_eq!(sql_integer(&app, "SELECT COUNT(*) FROM plans").await, 1);

    // A viewer may not upsert.
    let viewer = app.token("acme", "viewer");
    let refused = mutate(
        &app,
        &viewer,
        "upsertPlan",
        "plan { id } outcome",
        plan_input(None),
    )
    .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
}

#[tokio::test]
async fn a_parent_is_named_by_id_or_by_reference() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = referenced_plan(&app, &editor, "p-1").await;
    let objective = |extra: Value| {
        let mut input = json!({
            "externalRef": { "source": "crm", "id": "o-1" }, "title": "Clicks",
            "kind": "TRAFFIC", "kpiKey": "clicks", "target": "1000", "deadline": "2027-06-30"
        });
        for (key, value) in extra.as_object().unwrap() {
            input[key] = value.clone();
        }
        input
    };
    const OBJECTIVE: &str = "objective { id version } outcome userErrors { field code }";
    let by_ref = mutate_ok(
        &app,
        &editor,
        "upsertObjective",
        OBJECTIVE,
        objective(json!({ "planRef": { "source": "crm", "id": "p-1" } })),
    )
    .await;
    assert_eq!(by_ref["outcome"], "CREATED", "{by_ref}");
    let by_id = mutate_ok(
        &app,
        &editor,
        "upsertObjective",
        OBJECTIVE,
        objective(json!({ "planId": plan })),
    )
    .await;
    assert_eq!(by_id["outcome"], "UNCHANGED", "{by_id}");

    let unknown = mutate_ok(
        &app,
        &editor,
        "upsertObjective",
        OBJECTIVE,
        objective(json!({ "planRef": { "source": "crm", "id": "p-404" } })),
    )
    .await;
    assert_eq!(user_errors(&unknown), vec!["input.planRef: NOT_FOUND"]);
    let both = mutate(
        &app,
        &editor,
        "upsertObjective",
        OBJECTIVE,
        objective(json!({ "planId": plan, "planRef": { "source": "crm", "id": "p-1" } })),
    )
    .await;
    assert_eq!(error_code(&both), Some("BAD_USER_INPUT"), "{both}");
    let neither = mutate(
        &app,
        &editor,
        "upsertObjective",
        OBJECTIVE,
        objective(json!({})),
    )
    .await;
    assert_eq!(error_code(&neither), Some("BAD_USER_INPUT"), "{neither}");

    // An upsert does not move an object to another plan.
    referenced_plan(&app, &editor, "p-2").await;
    let moved = mutate_ok(
        &app,
        &editor,
        "upsertObjective",
        OBJECTIVE,
        objective(json!({ "planRef": { "source": "crm", "id": "p-2" } })),
    )
    .await;
    assert_eq!(user_errors(&moved), vec!["input.planRef: INVALID"]);

    // An action's campaign by reference.
    mutate_ok(
        &app,
        &editor,
        "upsertCampaign",
        CAMPAIGN,
        campaign_upsert("p-1", "0"),
    )
    .await;
    let action = mutate_ok(
        &app,
        &editor,
        "upsertAction",
        "action { campaign { name } } outcome userErrors { field code }",
        json!({
            "externalRef": { "source": "crm", "id": "a-1" }, "planId": plan,
            "campaignRef": { "source": "crm", "id": "c-1" }, "title": "Ads",
            "actionType": "CONTENT_PIECE", "lever": "SEA", "journeyStep": "CREATE_MESSAGES",
            "funnelStage": "ATTRACT", "startDate": "2027-03-01", "dueDate": "2027-03-10",
            "budget": "10", "impact": 5, "confidence": 5, "ease": 5
        }),
    )
    .await;
    assert_eq!(action["outcome"], "CREATED", "{action}");
    assert_eq!(action["action"]["campaign"]["name"], "Spring");
}

#[tokio::test]
async fn lists_filter_by_reference() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = referenced_plan(&app, &editor, "p-1").await;
    referenced_plan(&app, &editor, "p-2").await;
    create_plan(&app, &editor, "Unreferenced").await;
    let campaign = mutate_ok(
        &app,
        &editor,
        "upsertCampaign",
        CAMPAIGN,
        campaign_upsert("p-1", "0"),
    )
    .await;
    let data = app
        .data(
            &editor,
            "query($plan: ID!) { plans(filter: {externalRef: {source: \"crm\", id: \"p-2\"}}) { totalCount nodes { name } } \
             none: plans(filter: {externalRef: {source: \"CRM\", id: \"p-2\"}}) { totalCount } \
             campaigns(filter: {externalRef: {source: \"crm\", id: \"c-1\"}}) { nodes { id } } \
             actions(filter: {externalRef: {source: \"crm\", id: \"c-1\"}}) { totalCount } \
             node(id: $plan) { ... on Plan { contentItems(filter: {externalRef: {source: \"crm\", id: \"x\"}}) { totalCount } } } }",
            json!({ "plan": plan }),
        )
        .await;
    assert_eq!(data["plans"]["totalCount"], 1, "{data}");
    assert_eq!(data["plans"]["nodes"][0]["name"], "Plan p-2");
    assert_eq!(data["none"]["totalCount"], 0, "compared exactly");
    assert_eq!(
        data["campaigns"]["nodes"][0]["id"],
        campaign["campaign"]["id"]
    );
    assert_eq!(
        data["actions"]["totalCount"], 0,
        "a campaign's reference is no action's"
    );
    assert_eq!(data["node"]["contentItems"]["totalCount"], 0);

    create_persona(&app, &editor, "Unreferenced").await;
    let sophie = mutate_ok(
        &app,
        &editor,
        "upsertPersona",
        "persona { id } outcome userErrors { field code }",
        json!({ "externalRef": { "source": "crm", "id": "s-1" }, "name": "Sophie" }),
    )
    .await;
    let personas = app
        .data(
            &editor,
            "{ personas(filter: {externalRef: {source: \"crm\", id: \"s-1\"}}) { totalCount nodes { id } } \
               all: personas { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(personas["personas"]["totalCount"], 1, "{personas}");
    assert_eq!(
        personas["personas"]["nodes"][0]["id"],
        sophie["persona"]["id"]
    );
    assert_eq!(personas["all"]["totalCount"], 2);
}

#[tokio::test]
async fn another_tenant_never_reaches_a_reference() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "admin");
    let globex = app.token("globex", "admin");
    let acme_plan = referenced_plan(&app, &acme, "p-1").await;
    let acme_campaign = mutate_ok(
        &app,
        &acme,
        "upsertCampaign",
        CAMPAIGN,
        campaign_upsert("p-1", "100"),
    )
    .await;
    let acme_campaign = acme_campaign["campaign"]["id"].as_str().unwrap().to_owned();

    // The same references are free in another tenant, and name its own objects.
    let globex_plan = referenced_plan(&app, &globex, "p-1").await;
    assert_ne!(globex_plan, acme_plan);
    let globex_campaign = mutate_ok(
        &app,
        &globex,
        "upsertCampaign",
        CAMPAIGN,
        campaign_upsert("p-1", "999"),
    )
    .await;
    assert_eq!(globex_campaign["outcome"], "CREATED", "{globex_campaign}");
    let acme_budget = node(
        &app,
        &acme,
        &acme_campaign,
        "... on Campaign { budget version }",
    )
    .await;
    assert_eq!(
        acme_budget,
        json!({ "budget": "100.00", "version": 1 }),
        "acme's campaign untouched"
    );

    // Lists filtered by reference see only the tenant's own.
    let listed = app
        .data(
            &globex,
            "{ plans(filter: {externalRef: {source: \"crm\", id: \"p-1\"}}) { nodes { id } } \
               campaigns(filter: {externalRef: {source: \"crm\", id: \"c-1\"}}) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["plans"]["nodes"], json!([{ "id": globex_plan }]));
    assert_eq!(
        listed["campaigns"]["nodes"],
        json!([{ "id": globex_campaign["campaign"]["id"] }])
    );

    // A reference only acme has is nothing to globex: a parent by reference is NOT_FOUND.
    referenced_plan(&app, &acme, "acme-only").await;
    let orphan = mutate_ok(
        &app,
        &globex,
        "upsertCampaign",
        CAMPAIGN,
        campaign_upsert("acme-only", "1"),
    )
    .await;
    assert_eq!(user_errors(&orphan), vec!["input.planRef: NOT_FOUND"]);

    // Probes by ID: read, node, update, delete, link.
    let read = app
        .gql(
            &globex,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": acme_campaign }),
        )
        .await;
    assert_eq!(read["data"]["node"], Value::Null, "{read}");
    let update = mutate(
        &app,
        &globex,
        "updateCampaign",
        "campaign { id }",
        json!({ "id": acme_campaign, "expectedVersion": 1, "externalRef": { "source": "crm", "id": "stolen" } }),
    )
    .await;
    assert_eq!(error_code(&update), Some("NOT_FOUND"), "{update}");
    let by_id = mutate(
        &app,
        &globex,
        "upsertCampaign",
        CAMPAIGN,
        json!({
            "externalRef": { "source": "crm", "id": "c-9" }, "planId": acme_plan,
            "name": "X", "kind": "TRAFFIC", "startDate": "2027-03-01",
            "endDate": "2027-03-31", "budget": "0"
        }),
    )
    .await;
    assert_eq!(error_code(&by_id), Some("NOT_FOUND"), "{by_id}");
    let linked = mutate_ok(
        &app,
        &globex,
        "upsertAction",
        "action { id } outcome userErrors { field code }",
        json!({
            "externalRef": { "source": "crm", "id": "a-1" }, "planId": globex_plan,
            "campaignId": acme_campaign, "title": "Ads",
            "actionType": "CONTENT_PIECE", "lever": "SEA", "journeyStep": "CREATE_MESSAGES",
            "funnelStage": "ATTRACT", "startDate": "2027-03-01", "dueDate": "2027-03-10",
            "budget": "10", "impact": 5, "confidence": 5, "ease": 5
        }),
    )
    .await;
    assert_eq!(user_errors(&linked), vec!["input.campaignId: NOT_FOUND"]);
    let delete = mutate(
        &app,
        &globex,
        "deleteCampaign",
        "deletedId",
        json!({ "id": acme_campaign }),
    )
    .await;
    assert_eq!(error_code(&delete), Some("NOT_FOUND"), "{delete}");
    assert_eq!(
        node(
            &app,
            &acme,
            &acme_campaign,
            "... on Campaign { version externalRef { id } }"
        )
        .await,
        json!({ "version": 1, "externalRef": { "id": "c-1" } })
    );
}

#[tokio::test]
async fn a_share_link_sees_references_of_its_plan_only() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let shared = referenced_plan(&app, &editor, "p-shared").await;
    referenced_plan(&app, &editor, "p-secret").await;
    let persona = create_persona(&app, &editor, "Sophie").await;
    let link = mutate_ok(
        &app,
        &editor,
        "createShareLink",
        "secret userErrors { field code }",
        json!({
            "planId": shared, "label": "Board", "scope": "BOTH",
            "expiresAt": (chrono::Utc::now() + chrono::Duration::days(7)).to_rfc3339()
        }),
    )
    .await;
    let secret = link["secret"].as_str().unwrap_or_else(|| panic!("{link}"));
    let response = app
        .client
        .post(format!("{}/share/token", app.address))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_owned();

    let seen = app
        .gql(
            &token,
            "{ shared: plans(filter: {externalRef: {source: \"crm\", id: \"p-shared\"}}) { nodes { externalRef { id } } } \
               secret: plans(filter: {externalRef: {source: \"crm\", id: \"p-secret\"}}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        seen["data"]["shared"]["nodes"],
        json!([{ "externalRef": { "id": "p-shared" } }]),
        "{seen}"
    );
    assert_eq!(seen["data"]["secret"]["totalCount"], 0, "{seen}");

    // The link's holder cannot upsert.
    let upsert = mutate(
        &app,
        &token,
        "upsertPersona",
        "persona { id } outcome",
        json!({ "externalRef": { "source": "crm", "id": "s-1" }, "name": "Sneaky" }),
    )
    .await;
    assert!(error_code(&upsert).is_some(), "{upsert}");
    let _ = persona;
    assert_eq!(sql_integer(&app, "SELECT COUNT(*) FROM personas").await, 1);
}

#[tokio::test]
async fn a_copied_plan_leaves_its_references_behind() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = referenced_plan(&app, &editor, "p-1").await;
    mutate_ok(
        &app,
        &editor,
        "upsertCampaign",
        CAMPAIGN,
        campaign_upsert("p-1", "10"),
    )
    .await;
    let copy = mutate_ok(
        &app,
        &editor,
        "copyPlan",
        "plan { externalRef { id } campaigns { nodes { externalRef { id } } } } userErrors { field code }",
        json!({ "planId": plan, "name": "Copy", "periodStart": "2028-01-01" }),
    )
    .await;
    assert_eq!(user_errors(&copy), Vec::<String>::new(), "{copy}");
    assert_eq!(copy["plan"]["externalRef"], Value::Null);
    assert_eq!(
        copy["plan"]["campaigns"]["nodes"],
        json!([{ "externalRef": null }])
    );
}
