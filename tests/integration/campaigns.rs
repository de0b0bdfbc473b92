//! Campaigns: every field round-trips (levers in order, exact budgets), versioned updates,
//! deletes, and the date, budget and persona rules, reported in `userErrors` with nothing
//! written.

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_campaign, create_persona, create_plan, dec, decimal_of, error_code, mutate,
    mutate_ok, node, user_errors,
};

const CAMPAIGN_FIELDS: &str = "id name kind levers startDate endDate budget status version \
                               createdAt updatedAt plan { id } personas { id name }";

fn payload_selection() -> String {
    format!("campaign {{ {CAMPAIGN_FIELDS} }} userErrors {{ field message code }}")
}

async fn read_campaign(app: &TestApp, token: &str, id: &str) -> Value {
    node(
        app,
        token,
        id,
        &format!("... on Campaign {{ {CAMPAIGN_FIELDS} }}"),
    )
    .await
}

async fn campaign_count(app: &TestApp, token: &str, plan: &str) -> i64 {
    app.data(
        token,
        "query($id: ID!) { plan(id: $id) { campaigns { totalCount } } }",
        json!({ "id": plan }),
    )
    .await["plan"]["campaigns"]["totalCount"]
        .as_i64()
        .unwrap()
}

/// A valid campaign input in March 2027 for `plan`, to alter.
fn campaign_input(plan: &str) -> Value {
    json!({ "planId": plan, "name": "Spring", "kind": "AWARENESS", "levers": ["SEO"],
            "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": "1000" })
}

/// Creates a campaign that must be refused; returns its user errors after checking that the
/// plan has no more campaigns than before.
async fn refused_campaign(app: &TestApp, token: &str, input: Value) -> Vec<String> {
    let plan = input["planId"].as_str().unwrap().to_owned();
    let before = campaign_count(app, token, &plan).await;
    let payload = mutate_ok(app, token, "createCampaign", &payload_selection(), input).await;
    assert_eq!(payload["campaign"], Value::Null, "{payload}");
    assert_eq!(
        campaign_count(app, token, &plan).await,
        before,
        "a refused campaign was written"
    );
    user_errors(&payload)
}

fn ids_of(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn sorted(ids: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|id| (*id).to_owned()).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_campaign_created_with_every_field_reads_back_the_same() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let sophie = create_persona(&app, &token, "Sophie").await;
    let marc = create_persona(&app, &token, "Marc").await;
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let payload = mutate_ok(
        &app,
        &token,
        "createCampaign",
        &payload_selection(),
        json!({ "planId": plan, "name": "Black Friday", "kind": "CONVERSION",
                "levers": ["SOCIAL_ADS", "EMAILING", "SEA"], "personaIds": [marc, sophie],
                "startDate": "2027-11-20", "endDate": "2027-11-30", "budget": "120000.50",
                "status": "ACTIVE" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let id = payload["campaign"]["id"].as_str().unwrap();
    let campaign = read_campaign(&app, &token, id).await;
    assert_eq!(campaign, payload["campaign"]);
    assert_eq!(campaign["name"], "Black Friday");
    assert_eq!(campaign["kind"], "CONVERSION");
    assert_eq!(
        campaign["levers"],
        json!(["SOCIAL_ADS", "EMAILING", "SEA"]),
        "in the order given"
    );
    assert_eq!(campaign["startDate"], "2027-11-20");
    assert_eq!(campaign["endDate"], "2027-11-30");
    assert_eq!(decimal_of(&campaign["budget"]), dec("120000.50"));
    assert_eq!(campaign["status"], "ACTIVE");
    assert_eq!(campaign["version"], 1);
    assert_eq!(campaign["plan"]["id"], plan.as_str());
    assert_eq!(ids_of(&campaign["personas"]), sorted(&[&sophie, &marc]));
}

#[tokio::test]
async fn omitted_fields_take_their_defaults_and_duplicate_levers_are_dropped() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let payload = mutate_ok(
        &app,
        &token,
        "createCampaign",
        &payload_selection(),
        json!({ "planId": plan, "name": "Minimal", "kind": "LOYALTY",
                "startDate": "2027-01-01", "endDate": "2027-12-31", "budget": 0 }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["campaign"]["status"], "PLANNED");
    assert_eq!(payload["campaign"]["levers"], json!([]));
    assert_eq!(payload["campaign"]["personas"], json!([]));
    assert_eq!(decimal_of(&payload["campaign"]["budget"]), dec("0"));

    let mut input = campaign_input(&plan);
    input["levers"] = json!(["SEO", "SEA", "SEO", "PR", "SEA"]);
    let payload = mutate_ok(&app, &token, "createCampaign", &payload_selection(), input).await;
    assert_eq!(payload["campaign"]["levers"], json!(["SEO", "SEA", "PR"]));
}

#[tokio::test]
async fn updates_change_only_the_given_fields_and_bump_the_version() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let sophie = create_persona(&app, &token, "Sophie").await;
    let marc = create_persona(&app, &token, "Marc").await;
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let id = create_campaign(&app, &token, &plan, "Spring", &[&sophie]).await;
    let original = read_campaign(&app, &token, &id).await;

    let payload = mutate_ok(
        &app,
        &token,
        "updateCampaign",
        &payload_selection(),
        json!({ "id": id, "expectedVersion": 1, "name": "Spring sale", "levers": ["EMAILING", "SEO"],
                "personaIds": [marc], "budget": "2500.75", "status": "ACTIVE", "kind": "TRAFFIC" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let updated = read_campaign(&app, &token, &id).await;
    assert_eq!(payload["campaign"], updated);
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["name"], "Spring sale");
    assert_eq!(updated["levers"], json!(["EMAILING", "SEO"]));
    assert_eq!(ids_of(&updated["personas"]), sorted(&[&marc]));
    assert_eq!(decimal_of(&updated["budget"]), dec("2500.75"));
    assert_eq!(updated["status"], "ACTIVE");
    assert_eq!(updated["kind"], "TRAFFIC");
    for unchanged in ["startDate", "endDate", "plan", "createdAt"] {
        assert_eq!(updated[unchanged], original[unchanged], "{unchanged}");
    }

    // Moving only the end date keeps the start date.
    let payload = mutate_ok(
        &app,
        &token,
        "updateCampaign",
        &payload_selection(),
        json!({ "id": id, "expectedVersion": 2, "endDate": "2027-04-15" }),
    )
    .await;
    assert_eq!(payload["campaign"]["version"], 3);
    assert_eq!(payload["campaign"]["startDate"], "2027-03-01");
    assert_eq!(payload["campaign"]["endDate"], "2027-04-15");
    assert_eq!(payload["campaign"]["levers"], json!(["EMAILING", "SEO"]));
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let persona = create_persona(&app, &token, "Sophie").await;
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let id = create_campaign(&app, &token, &plan, "Spring", &[&persona]).await;
    mutate_ok(
        &app,
        &token,
        "updateCampaign",
        "campaign { version }",
        json!({ "id": id, "expectedVersion": 1, "name": "Spring v2" }),
    )
    .await;
    let current = read_campaign(&app, &token, &id).await;
    assert_eq!(current["version"], 2);
    let body = mutate(
        &app,
        &token,
        "updateCampaign",
        "campaign { version }",
        json!({ "id": id, "expectedVersion": 1, "name": "Lost", "levers": ["PR"],
                "personaIds": [], "budget": "1" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    assert_eq!(
        read_campaign(&app, &token, &id).await,
        current,
        "levers and personas too"
    );
}

#[tokio::test]
async fn an_admin_deletes_a_campaign() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let persona = create_persona(&app, &admin, "Sophie").await;
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let doomed = create_campaign(&app, &admin, &plan, "Doomed", &[&persona]).await;
    let kept = create_campaign(&app, &admin, &plan, "Kept", &[&persona]).await;

    let editor = app.token("acme", "editor");
    let body = mutate(
        &app,
        &editor,
        "deleteCampaign",
        "deletedId",
        json!({ "id": doomed }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    let payload = mutate_ok(
        &app,
        &admin,
        "deleteCampaign",
        "deletedId userErrors { code }",
        json!({ "id": doomed }),
    )
    .await;
    assert_eq!(payload, json!({ "deletedId": doomed, "userErrors": [] }));
    assert_eq!(node(&app, &admin, &doomed, "id").await, Value::Null);
    let data = app
        .data(
            &admin,
            "query($id: ID!) { plan(id: $id) { version campaigns { totalCount nodes { id } } } }",
            json!({ "id": plan }),
        )
        .await;
    assert_eq!(
        data["plan"],
        json!({ "version": 1, "campaigns": { "totalCount": 1, "nodes": [{ "id": kept }] } })
    );
    let persona = node(&app, &admin, &persona, "... on Persona { name }").await;
    assert_eq!(
        persona["name"], "Sophie",
        "the persona outlives the campaign"
    );
}

#[tokio::test]
async fn an_empty_name_is_required() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let mut input = campaign_input(&plan);
    input["name"] = json!("  ");
    assert_eq!(
        refused_campaign(&app, &token, input).await,
        vec!["input.name: REQUIRED"]
    );
}

#[tokio::test]
async fn dates_must_be_in_order_and_inside_the_plan_period() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    // The plan covers 2027.
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let cases = [
        (
            "2027-03-31",
            "2027-03-01",
            vec!["input.endDate: DATE_ORDER"],
        ),
        (
            "2026-12-31",
            "2027-01-31",
            vec!["input.startDate: OUTSIDE_PLAN_PERIOD"],
        ),
        (
            "2027-12-01",
            "2028-01-01",
            vec!["input.endDate: OUTSIDE_PLAN_PERIOD"],
        ),
        (
            "2026-06-01",
            "2028-06-01",
            vec![
                "input.startDate: OUTSIDE_PLAN_PERIOD",
                "input.endDate: OUTSIDE_PLAN_PERIOD",
            ],
        ),
        (
            "2028-02-01",
            "2028-01-01",
            vec![
                "input.endDate: DATE_ORDER",
                "input.startDate: OUTSIDE_PLAN_PERIOD",
                "input.endDate: OUTSIDE_PLAN_PERIOD",
            ],
        ),
    ];
    for (start, end, expected) in cases {
        let mut input = campaign_input(&plan);
        input["startDate"] = json!(start);
        input["endDate"] = json!(end);
        let mut errors = refused_campaign(&app, &token, input).await;
        let mut expected: Vec<String> = expected.into_iter().map(str::to_owned).collect();
        errors.sort();
        expected.sort();
        assert_eq!(errors, expected, "{start} → {end}");
    }
    // The plan's first and last days are inside (inclusive), and a one-day campaign is fine.
    for (start, end) in [("2027-01-01", "2027-12-31"), ("2027-06-15", "2027-06-15")] {
        let mut input = campaign_input(&plan);
        input["startDate"] = json!(start);
        input["endDate"] = json!(end);
        let payload = mutate_ok(&app, &token, "createCampaign", &payload_selection(), input).await;
        assert_eq!(payload["userErrors"], json!([]), "{start} → {end}");
    }
}

#[tokio::test]
async fn budgets_must_be_non_negative_and_exact() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    for (budget, expected) in [
        ("-0.000001", "input.budget: OUT_OF_RANGE"),
        ("-250", "input.budget: OUT_OF_RANGE"),
        ("10.1234567", "input.budget: TOO_PRECISE"),
        ("99999999999999", "input.budget: OUT_OF_RANGE"),
    ] {
        let mut input = campaign_input(&plan);
        input["budget"] = json!(budget);
        assert_eq!(
            refused_campaign(&app, &token, input).await,
            vec![expected],
            "{budget}"
        );
    }
}

#[tokio::test]
async fn unknown_personas_are_reported_at_their_index() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let kept = create_persona(&app, &admin, "Kept").await;
    let deleted = create_persona(&app, &admin, "Deleted").await;
    mutate_ok(
        &app,
        &admin,
        "deletePersona",
        "deletedId",
        json!({ "id": deleted }),
    )
    .await;
    let mut input = campaign_input(&plan);
    input["personaIds"] = json!([kept, deleted, plan]);
    assert_eq!(
        refused_campaign(&app, &admin, input).await,
        vec![
            "input.personaIds.1: NOT_FOUND",
            "input.personaIds.2: NOT_FOUND"
        ]
    );
}

#[tokio::test]
async fn every_problem_of_an_input_is_reported_at_once() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let input = json!({ "planId": plan, "name": "", "kind": "AWARENESS", "personaIds": ["nope"],
                        "startDate": "2027-02-01", "endDate": "2027-01-15", "budget": "-1" });
    let mut errors = refused_campaign(&app, &token, input).await;
    errors.sort();
    assert_eq!(
        errors,
        vec![
            "input.budget: OUT_OF_RANGE",
            "input.endDate: DATE_ORDER",
            "input.name: REQUIRED",
            "input.personaIds.0: NOT_FOUND",
        ]
    );
}

#[tokio::test]
async fn an_invalid_update_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let persona = create_persona(&app, &token, "Sophie").await;
    let plan = create_plan(&app, &token, "Plan 2027").await;
    // March 2027.
    let id = create_campaign(&app, &token, &plan, "Spring", &[&persona]).await;
    let before = read_campaign(&app, &token, &id).await;
    let cases = [
        (json!({ "name": "" }), "input.name: REQUIRED"),
        (
            json!({ "startDate": "2027-04-01" }),
            "input.endDate: DATE_ORDER",
        ),
        (
            json!({ "endDate": "2028-01-01" }),
            "input.endDate: OUTSIDE_PLAN_PERIOD",
        ),
        (
            json!({ "startDate": "2026-12-31" }),
            "input.startDate: OUTSIDE_PLAN_PERIOD",
        ),
        (json!({ "budget": "-1" }), "input.budget: OUT_OF_RANGE"),
        (
            json!({ "budget": "1.0000001" }),
            "input.budget: TOO_PRECISE",
        ),
        (
            json!({ "personaIds": [persona, "nope"] }),
            "input.personaIds.1: NOT_FOUND",
        ),
    ];
    for (changes, expected) in cases {
        let mut input = changes.clone();
        input["id"] = json!(id);
        input["expectedVersion"] = json!(1);
        // Valid changes alongside must not be written either.
        input["levers"] = json!(["PR"]);
        input["status"] = json!("CANCELLED");
        let payload = mutate_ok(&app, &token, "updateCampaign", &payload_selection(), input).await;
        assert_eq!(payload["campaign"], Value::Null, "{changes}");
        assert_eq!(user_errors(&payload), vec![expected], "{changes}");
    }
    assert_eq!(read_campaign(&app, &token, &id).await, before);
}

#[tokio::test]
async fn budgets_a_float_would_round_read_back_exactly() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let budgets = [
        "0.1",
        "0.2",
        "0.3",
        "0.7",
        "1.1",
        "2.675",
        "1234567.891011",
        "9007199254740.993001",
        "0.000001",
    ];
    // These values are ones binary floating point gets wrong.
    assert_ne!(0.1_f64 + 0.2_f64, 0.3_f64);
    let as_float: f64 = "9007199254740.993001".parse().unwrap();
    assert_ne!(as_float.to_string(), "9007199254740.993001");

    let mut ids = Vec::new();
    for (index, budget) in budgets.iter().enumerate() {
        let mut input = campaign_input(&plan);
        input["name"] = json!(format!("Campaign {index}"));
        input["budget"] = json!(budget);
        let payload = mutate_ok(
            &app,
            &token,
            "createCampaign",
            "campaign { id budget }",
            input,
        )
        .await;
        assert_eq!(
            decimal_of(&payload["campaign"]["budget"]),
            dec(budget),
            "{budget}"
        );
        ids.push(payload["campaign"]["id"].as_str().unwrap().to_owned());
    }
    let data = app
        .data(
            &token,
            "query($id: ID!) { plan(id: $id) { campaigns(first: 100) { nodes { id budget } } } }",
            json!({ "id": plan }),
        )
        .await;
    let nodes = data["plan"]["campaigns"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), budgets.len());
    let mut total = rust_decimal::Decimal::ZERO;
    for ((node, id), budget) in nodes.iter().zip(&ids).zip(budgets) {
        assert_eq!(node["id"], id.as_str());
        let read = decimal_of(&node["budget"]);
        assert_eq!(
            read,
            dec(budget),
            "{budget} read back as {}",
            node["budget"]
        );
        total += read;
    }
    // 0.1 + 0.2 + 0.3 + 0.7 + 1.1 + 2.675 + 1234567.891011 + 9007199254740.993001 + 0.000001
    assert_eq!(total, dec("9007200489313.959013"));
}

/// The fields a list of campaigns reads ahead for its page (`levers`, `personas`, `budget`),
/// compared with what each campaign answers on its own.
const READ_AHEAD_FIELDS: &str = "id levers budget personas { id name }";

/// Each campaign of `list` (items with an `id`) as `node(id:)` reads it, where nothing is read
/// ahead.
async fn each_read_alone(app: &TestApp, token: &str, list: &Value) -> Vec<Value> {
    let mut alone = Vec::new();
    for item in list.as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        alone.push(
            node(
                app,
                token,
                id,
                &format!("... on Campaign {{ {READ_AHEAD_FIELDS} }}"),
            )
            .await,
        );
    }
    alone
}

#[tokio::test]
async fn relations_read_ahead_for_a_page_answer_as_each_campaign_does() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let (ana, bob) = (
        create_persona(&app, &editor, "Ana").await,
        create_persona(&app, &editor, "Bob").await,
    );
    // Two plans in currencies written differently (JPY has no minor unit), campaigns with
    // levers in a given order, several personas, or none of either.
    let mut plans = Vec::new();
    for (name, currency) in [("Euro plan", "EUR"), ("Yen plan", "JPY")] {
        let created = mutate_ok(
            &app,
            &editor,
            "createPlan",
            "plan { id } userErrors { field code }",
            json!({ "name": name, "periodStart": "2027-01-01", "periodEnd": "2027-12-31",
                    "currency": currency, "budget": "100000" }),
        )
        .await;
        plans.push(created["plan"]["id"].as_str().unwrap().to_owned());
    }
    for (plan, levers, personas, budget) in [
        (
            &plans[0],
            json!(["SEA", "SEO"]),
            json!([&bob, &ana]),
            "1234.5",
        ),
        (&plans[0], json!([]), json!([]), "10"),
        (&plans[1], json!(["EMAILING"]), json!([&ana]), "5000"),
        (
            &plans[1],
            json!(["SEO", "SOCIAL_ADS", "SEA"]),
            json!([&bob]),
            "0",
        ),
    ] {
        let payload = mutate_ok(
            &app,
            &editor,
            "createCampaign",
            &payload_selection(),
            json!({ "planId": plan, "name": "Read ahead", "kind": "TRAFFIC", "levers": levers,
                    "personaIds": personas, "startDate": "2027-03-01",
                    "endDate": "2027-03-31", "budget": budget }),
        )
        .await;
        assert_eq!(payload["userErrors"], json!([]), "{payload}");
    }

    // A plan's page, through `nodes`, through `edges { node }`, and through an alias and a
    // fragment; then the tenant's page over both plans.
    let data = app
        .data(
            &editor,
            &format!(
                "{{ plans {{ nodes {{ campaigns {{
                    nodes {{ {READ_AHEAD_FIELDS} }}
                    edges {{ node {{ {READ_AHEAD_FIELDS} }} }}
                    aliased: nodes {{ id ...Related spent: budget }}
                }} }} }}
                campaigns {{ nodes {{ {READ_AHEAD_FIELDS} }} }} }}
                fragment Related on Campaign {{ mix: levers targets: personas {{ id name }} }}"
            ),
            json!({}),
        )
        .await;
    let mut read = 0;
    for plan in data["plans"]["nodes"].as_array().unwrap() {
        let campaigns = &plan["campaigns"];
        let alone = each_read_alone(&app, &editor, &campaigns["nodes"]).await;
        assert_eq!(campaigns["nodes"], json!(alone));
        let edge_nodes: Vec<Value> = campaigns["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|edge| edge["node"].clone())
            .collect();
        assert_eq!(edge_nodes, alone);
        let aliased: Vec<Value> = alone
            .iter()
            .map(|campaign| {
                json!({ "id": campaign["id"], "mix": campaign["levers"],
                        "targets": campaign["personas"], "spent": campaign["budget"] })
            })
            .collect();
        assert_eq!(campaigns["aliased"], json!(aliased));
        read += alone.len();
    }
    assert_eq!(read, 4);
    let all = &data["campaigns"]["nodes"];
    assert_eq!(*all, json!(each_read_alone(&app, &editor, all).await));

    // The values themselves, so that both sides cannot agree on a wrong answer.
    let yen = &data["plans"]["nodes"][1]["campaigns"]["nodes"];
    assert_eq!(yen[0]["levers"], json!(["EMAILING"]));
    assert_eq!(yen[0]["budget"], "5000");
    assert_eq!(yen[0]["personas"], json!([{ "id": ana, "name": "Ana" }]));
    assert_eq!(yen[1]["levers"], json!(["SEO", "SOCIAL_ADS", "SEA"]));
    let euro = &data["plans"]["nodes"][0]["campaigns"]["nodes"];
    assert_eq!(euro[0]["levers"], json!(["SEA", "SEO"]));
    assert_eq!(euro[0]["budget"], "1234.50");
    assert_eq!(euro[0]["personas"].as_array().unwrap().len(), 2);
    assert_eq!(euro[1]["levers"], json!([]));
    assert_eq!(euro[1]["personas"], json!([]));
}
