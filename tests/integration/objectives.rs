//! SMART objectives: every field round-trips, versioned updates, deletes, and the rules — a
//! KPI of the catalogue, a target and a deadline inside the plan's period are required —
//! reported in `userErrors` with nothing written.

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_objective, create_plan, dec, decimal_of, error_code, mutate, mutate_ok, node,
    user_errors,
};

const OBJECTIVE_FIELDS: &str = "id title statement kind kpi { key unit direction } baseline \
                                target rationale deadline currentValue progress onTrack version \
                                plan { id }";

fn payload_selection() -> String {
    format!("objective {{ {OBJECTIVE_FIELDS} }} userErrors {{ field message code }}")
}

async fn read_objective(app: &TestApp, token: &str, id: &str) -> Value {
    node(
        app,
        token,
        id,
        &format!("... on Objective {{ {OBJECTIVE_FIELDS} }}"),
    )
    .await
}

async fn objective_ids(app: &TestApp, token: &str, plan: &str) -> Vec<String> {
    let data = app
        .data(
            token,
            "query($id: ID!) { plan(id: $id) { objectives { id } } }",
            json!({ "id": plan }),
        )
        .await;
    data["plan"]["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A valid objective input for `plan` (over 2027), to alter.
fn objective_input(plan: &str) -> Value {
    json!({ "planId": plan, "title": "More leads", "kind": "CONVERSION", "kpiKey": "leads",
            "target": "500", "deadline": "2027-09-30" })
}

/// Creates an objective that must be refused; returns its user errors after checking that the
/// plan has no more objectives than before.
async fn refused_objective(app: &TestApp, token: &str, input: Value) -> Vec<String> {
    let plan = input["planId"].as_str().unwrap().to_owned();
    let before = objective_ids(app, token, &plan).await;
    let payload = mutate_ok(app, token, "createObjective", &payload_selection(), input).await;
    assert_eq!(payload["objective"], Value::Null, "{payload}");
    assert_eq!(
        objective_ids(app, token, &plan).await,
        before,
        "a refused objective was written"
    );
    user_errors(&payload)
}

#[tokio::test]
async fn an_objective_created_with_every_field_reads_back_the_same() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let payload = mutate_ok(
        &app,
        &token,
        "createObjective",
        &payload_selection(),
        json!({ "planId": plan, "title": "Halve the CPA",
                "statement": "Bring the cost per acquisition of paid search from 40.50 to 20.25 EUR",
                "kind": "CONVERSION", "kpiKey": "cpa", "baseline": "40.50", "target": "20.25",
                "rationale": "Competitors reach 18 EUR", "deadline": "2027-06-30" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let id = payload["objective"]["id"].as_str().unwrap();
    let objective = read_objective(&app, &token, id).await;
    assert_eq!(objective, payload["objective"]);
    assert_eq!(objective["title"], "Halve the CPA");
    assert_eq!(
        objective["statement"],
        "Bring the cost per acquisition of paid search from 40.50 to 20.25 EUR"
    );
    assert_eq!(objective["kind"], "CONVERSION");
    // CPA is money per conversion, and lower is better.
    assert_eq!(
        objective["kpi"],
        json!({ "key": "cpa", "unit": "CURRENCY", "direction": "LOWER_IS_BETTER" })
    );
    assert_eq!(decimal_of(&objective["baseline"]), dec("40.50"));
    assert_eq!(decimal_of(&objective["target"]), dec("20.25"));
    assert_eq!(objective["rationale"], "Competitors reach 18 EUR");
    assert_eq!(objective["deadline"], "2027-06-30");
    assert_eq!(objective["plan"]["id"], plan.as_str());
    assert_eq!(objective["version"], 1);
    // Nothing is measured yet.
    assert_eq!(objective["currentValue"], Value::Null);
    assert_eq!(objective["progress"], Value::Null);
    assert_eq!(objective["onTrack"], Value::Null);
}

#[tokio::test]
async fn the_baseline_is_optional_and_values_are_exact() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let mut input = objective_input(&plan);
    input["target"] = json!("0.034");
    input["kpiKey"] = json!("ctr");
    let payload = mutate_ok(&app, &token, "createObjective", &payload_selection(), input).await;
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["objective"]["baseline"], Value::Null);
    assert_eq!(payload["objective"]["statement"], Value::Null);
    assert_eq!(payload["objective"]["rationale"], Value::Null);
    assert_eq!(decimal_of(&payload["objective"]["target"]), dec("0.034"));
    assert_eq!(payload["objective"]["kpi"]["key"], "ctr");
}

#[tokio::test]
async fn a_plan_lists_its_objectives_by_deadline() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let mut created = Vec::new();
    for (title, deadline) in [
        ("June", "2027-06-30"),
        ("March", "2027-03-31"),
        ("September", "2027-09-30"),
    ] {
        let mut input = objective_input(&plan);
        input["title"] = json!(title);
        input["deadline"] = json!(deadline);
        let payload = mutate_ok(&app, &token, "createObjective", "objective { id }", input).await;
        created.push(payload["objective"]["id"].as_str().unwrap().to_owned());
    }
    let data = app
        .data(
            &token,
            "query($id: ID!) { plan(id: $id) { objectives { title deadline } } }",
            json!({ "id": plan }),
        )
        .await;
    assert_eq!(
        data["plan"]["objectives"],
        json!([
            { "title": "March", "deadline": "2027-03-31" },
            { "title": "June", "deadline": "2027-06-30" },
            { "title": "September", "deadline": "2027-09-30" },
        ])
    );
    assert_eq!(created.len(), 3);
}

#[tokio::test]
async fn updates_change_only_the_given_fields_and_bump_the_version() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    // CPA from 40 to 20 by 2027-06-30.
    let id = create_objective(&app, &token, &plan, "CPA").await;
    let original = read_objective(&app, &token, &id).await;

    let payload = mutate_ok(
        &app,
        &token,
        "updateObjective",
        &payload_selection(),
        json!({ "id": id, "expectedVersion": 1, "title": "CPA under 18", "target": "17.995",
                "deadline": "2027-12-31", "statement": "Cheaper conversions", "kpiKey": "cpc" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let updated = read_objective(&app, &token, &id).await;
    assert_eq!(payload["objective"], updated);
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["title"], "CPA under 18");
    assert_eq!(decimal_of(&updated["target"]), dec("17.995"));
    assert_eq!(updated["deadline"], "2027-12-31");
    assert_eq!(updated["statement"], "Cheaper conversions");
    assert_eq!(updated["kpi"]["key"], "cpc");
    for unchanged in ["kind", "baseline", "rationale", "plan"] {
        assert_eq!(updated[unchanged], original[unchanged], "{unchanged}");
    }

    let payload = mutate_ok(
        &app,
        &token,
        "updateObjective",
        &payload_selection(),
        json!({ "id": id, "expectedVersion": 2, "baseline": null, "statement": null }),
    )
    .await;
    assert_eq!(payload["objective"]["version"], 3);
    assert_eq!(payload["objective"]["baseline"], Value::Null, "null clears");
    assert_eq!(payload["objective"]["statement"], Value::Null);
    assert_eq!(payload["objective"]["title"], "CPA under 18");
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let id = create_objective(&app, &token, &plan, "CPA").await;
    mutate_ok(
        &app,
        &token,
        "updateObjective",
        "objective { version }",
        json!({ "id": id, "expectedVersion": 1, "title": "CPA v2" }),
    )
    .await;
    let current = read_objective(&app, &token, &id).await;
    assert_eq!(current["version"], 2);
    let body = mutate(
        &app,
        &token,
        "updateObjective",
        "objective { version }",
        json!({ "id": id, "expectedVersion": 1, "title": "Lost", "target": "1" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    assert_eq!(read_objective(&app, &token, &id).await, current);
}

#[tokio::test]
async fn an_admin_deletes_an_objective() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let doomed = create_objective(&app, &admin, &plan, "Doomed").await;
    let kept = create_objective(&app, &admin, &plan, "Kept").await;

    let editor = app.token("acme", "editor");
    let body = mutate(
        &app,
        &editor,
        "deleteObjective",
        "deletedId",
        json!({ "id": doomed }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    let payload = mutate_ok(
        &app,
        &admin,
        "deleteObjective",
        "deletedId userErrors { code }",
        json!({ "id": doomed }),
    )
    .await;
    assert_eq!(payload, json!({ "deletedId": doomed, "userErrors": [] }));
    assert_eq!(node(&app, &admin, &doomed, "id").await, Value::Null);
    assert_eq!(objective_ids(&app, &admin, &plan).await, vec![kept]);
}

#[tokio::test]
async fn kpi_target_and_deadline_are_each_required() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let without = |fields: &[&str]| {
        let mut input = objective_input(&plan);
        for field in fields {
            input.as_object_mut().unwrap().remove(*field);
        }
        input
    };
    assert_eq!(
        refused_objective(&app, &token, without(&["kpiKey"])).await,
        vec!["input.kpiKey: REQUIRED"]
    );
    assert_eq!(
        refused_objective(&app, &token, without(&["target"])).await,
        vec!["input.target: REQUIRED"]
    );
    assert_eq!(
        refused_objective(&app, &token, without(&["deadline"])).await,
        vec!["input.deadline: REQUIRED"]
    );
    let mut errors =
        refused_objective(&app, &token, without(&["kpiKey", "target", "deadline"])).await;
    errors.sort();
    assert_eq!(
        errors,
        vec![
            "input.deadline: REQUIRED",
            "input.kpiKey: REQUIRED",
            "input.target: REQUIRED"
        ]
    );
    // Explicit nulls and a blank key are missing values too.
    let mut input = objective_input(&plan);
    input["kpiKey"] = json!("  ");
    input["target"] = Value::Null;
    input["deadline"] = Value::Null;
    let mut errors = refused_objective(&app, &token, input).await;
    errors.sort();
    assert_eq!(
        errors,
        vec![
            "input.deadline: REQUIRED",
            "input.kpiKey: REQUIRED",
            "input.target: REQUIRED"
        ]
    );
}

#[tokio::test]
async fn the_kpi_must_exist_and_the_deadline_fall_inside_the_plan() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    // The plan covers 2027.
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let cases = [
        (
            json!({ "kpiKey": "no_such_kpi" }),
            "input.kpiKey: NOT_FOUND",
        ),
        (
            json!({ "deadline": "2026-12-31" }),
            "input.deadline: OUTSIDE_PLAN_PERIOD",
        ),
        (
            json!({ "deadline": "2028-01-01" }),
            "input.deadline: OUTSIDE_PLAN_PERIOD",
        ),
        (json!({ "title": "" }), "input.title: REQUIRED"),
        (
            json!({ "target": "1.0000001" }),
            "input.target: TOO_PRECISE",
        ),
        (
            json!({ "baseline": "0.00000001" }),
            "input.baseline: TOO_PRECISE",
        ),
    ];
    for (change, expected) in cases {
        let mut input = objective_input(&plan);
        for (field, value) in change.as_object().unwrap() {
            input[field] = value.clone();
        }
        assert_eq!(
            refused_objective(&app, &token, input).await,
            vec![expected],
            "{change}"
        );
    }
    // The plan's first and last days are inside.
    for deadline in ["2027-01-01", "2027-12-31"] {
        let mut input = objective_input(&plan);
        input["deadline"] = json!(deadline);
        let payload = mutate_ok(&app, &token, "createObjective", &payload_selection(), input).await;
        assert_eq!(payload["userErrors"], json!([]), "{deadline}");
    }
}

#[tokio::test]
async fn an_invalid_update_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let id = create_objective(&app, &token, &plan, "CPA").await;
    let before = read_objective(&app, &token, &id).await;
    let cases = [
        (json!({ "kpiKey": "unknown" }), "input.kpiKey: NOT_FOUND"),
        (json!({ "kpiKey": "" }), "input.kpiKey: REQUIRED"),
        (
            json!({ "deadline": "2028-01-01" }),
            "input.deadline: OUTSIDE_PLAN_PERIOD",
        ),
        (json!({ "title": "  " }), "input.title: REQUIRED"),
        (
            json!({ "target": "0.1234567" }),
            "input.target: TOO_PRECISE",
        ),
    ];
    for (changes, expected) in cases {
        let mut input = changes.clone();
        input["id"] = json!(id);
        input["expectedVersion"] = json!(1);
        input["rationale"] = json!("a valid change that must not be written");
        let payload = mutate_ok(&app, &token, "updateObjective", &payload_selection(), input).await;
        assert_eq!(payload["objective"], Value::Null, "{changes}");
        assert_eq!(user_errors(&payload), vec![expected], "{changes}");
    }
    assert_eq!(read_objective(&app, &token, &id).await, before);
}
