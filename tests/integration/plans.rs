//! Plans: creating with every field and reading it back, versioned updates, deletes that take
//! campaigns and objectives along, and every validation rule, reported in `userErrors` with
//! nothing written.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::support::{
    TestApp, create_campaign, create_objective, create_persona, create_plan, dec, decimal_of,
    error_code, mutate, mutate_ok, node, user_errors,
};

const PLAN_FIELDS: &str = "id name description periodStart periodEnd currency budget status \
                           version createdAt updatedAt personas { id name }";

const PAYLOAD: &str = "plan { id name description periodStart periodEnd currency budget status \
                       version createdAt updatedAt personas { id name } } \
                       userErrors { field message code }";

fn plan_input(name: &str) -> Value {
    json!({ "name": name, "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "budget": "1000" })
}

async fn plan_count(app: &TestApp, token: &str) -> i64 {
    app.data(token, "{ plans { totalCount } }", json!({})).await["plans"]["totalCount"]
        .as_i64()
        .unwrap()
}

async fn read_plan(app: &TestApp, token: &str, id: &str) -> Value {
    node(app, token, id, &format!("... on Plan {{ {PLAN_FIELDS} }}")).await
}

/// Creates a plan from `input` that must be refused; returns the user errors as
/// `path: CODE` strings after checking that no plan was written.
async fn refused_plan(app: &TestApp, token: &str, input: Value) -> Vec<String> {
    let before = plan_count(app, token).await;
    let payload = mutate_ok(app, token, "createPlan", PAYLOAD, input).await;
    assert_eq!(payload["plan"], Value::Null, "{payload}");
    assert_eq!(
        plan_count(app, token).await,
        before,
        "a refused plan was written"
    );
    for error in payload["userErrors"].as_array().unwrap() {
        assert!(
            !error["message"].as_str().unwrap_or_default().is_empty(),
            "{error}"
        );
    }
    user_errors(&payload)
}

fn instant(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap_or_else(|e| panic!("{value} is not RFC 3339: {e}"))
        .with_timezone(&Utc)
}

#[tokio::test]
async fn a_plan_created_with_every_field_reads_back_the_same() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let sophie = create_persona(&app, &token, "Sophie").await;
    let marc = create_persona(&app, &token, "Marc").await;
    let started = Utc::now();

    let payload = mutate_ok(
        &app,
        &token,
        "createPlan",
        PAYLOAD,
        json!({
            "name": "Plan 2027", "description": "Grow online sales by a third",
            "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "currency": "USD",
            "budget": "120000.50", "status": "ACTIVE", "personaIds": [sophie, marc]
        }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let created = payload["plan"].clone();
    let id = created["id"].as_str().unwrap();

    let plan = read_plan(&app, &token, id).await;
    assert_eq!(plan, created, "the payload and a later read agree");
    assert_eq!(plan["name"], "Plan 2027");
    assert_eq!(plan["description"], "Grow online sales by a third");
    assert_eq!(plan["periodStart"], "2027-01-01");
    assert_eq!(plan["periodEnd"], "2027-12-31");
    assert_eq!(plan["currency"], "USD");
    assert_eq!(decimal_of(&plan["budget"]), dec("120000.50"));
    assert_eq!(plan["status"], "ACTIVE");
    assert_eq!(plan["version"], 1);
    let mut personas: Vec<&str> = plan["personas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    personas.sort_unstable();
    let mut expected = vec![sophie.as_str(), marc.as_str()];
    expected.sort_unstable();
    assert_eq!(personas, expected);
    let created_at = instant(&plan["createdAt"]);
    assert!(
        created_at >= started - chrono::Duration::seconds(5),
        "{created_at}"
    );
    assert!(
        created_at <= Utc::now() + chrono::Duration::seconds(5),
        "{created_at}"
    );
    assert_eq!(plan["updatedAt"], plan["createdAt"]);
}

#[tokio::test]
async fn omitted_fields_take_their_defaults() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let id = create_plan(&app, &token, "Plan 2027").await;
    let tenant_currency = app
        .data(&token, "{ viewer { tenant { currency } } }", json!({}))
        .await["viewer"]["tenant"]["currency"]
        .clone();
    let plan = read_plan(&app, &token, &id).await;
    assert_eq!(plan["currency"], tenant_currency, "the tenant's currency");
    assert_eq!(plan["status"], "DRAFT");
    assert_eq!(plan["description"], Value::Null);
    assert_eq!(plan["personas"], json!([]));
    assert_eq!(decimal_of(&plan["budget"]), dec("100000"));
}

#[tokio::test]
async fn updates_change_only_the_given_fields_and_bump_the_version() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let sophie = create_persona(&app, &token, "Sophie").await;
    let payload = mutate_ok(
        &app,
        &token,
        "createPlan",
        PAYLOAD,
        json!({ "name": "Plan 2027", "description": "First draft", "periodStart": "2027-01-01",
                "periodEnd": "2027-12-31", "budget": "1000", "personaIds": [sophie] }),
    )
    .await;
    let id = payload["plan"]["id"].as_str().unwrap().to_owned();
    let original = payload["plan"].clone();

    let payload = mutate_ok(
        &app,
        &token,
        "updatePlan",
        PAYLOAD,
        json!({ "id": id, "expectedVersion": 1, "name": "Plan 2027 v2", "budget": "99.99",
                "status": "ACTIVE", "description": null }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let updated = read_plan(&app, &token, &id).await;
    assert_eq!(payload["plan"], updated);
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["name"], "Plan 2027 v2");
    assert_eq!(decimal_of(&updated["budget"]), dec("99.99"));
    assert_eq!(updated["status"], "ACTIVE");
    assert_eq!(
        updated["description"],
        Value::Null,
        "null clears the description"
    );
    for unchanged in [
        "periodStart",
        "periodEnd",
        "currency",
        "createdAt",
        "personas",
    ] {
        assert_eq!(updated[unchanged], original[unchanged], "{unchanged}");
    }
    assert!(instant(&updated["updatedAt"]) >= instant(&original["updatedAt"]));

    // The next update is made against version 2; personas are replaced by the new set.
    let payload = mutate_ok(
        &app,
        &token,
        "updatePlan",
        PAYLOAD,
        json!({ "id": id, "expectedVersion": 2, "personaIds": [], "periodEnd": "2028-03-31",
                "currency": "GBP" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let updated = read_plan(&app, &token, &id).await;
    assert_eq!(updated["version"], 3);
    assert_eq!(updated["personas"], json!([]));
    assert_eq!(updated["periodEnd"], "2028-03-31");
    assert_eq!(updated["currency"], "GBP");
    assert_eq!(updated["name"], "Plan 2027 v2");
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let id = create_plan(&app, &token, "Plan 2027").await;
    let payload = mutate_ok(
        &app,
        &token,
        "updatePlan",
        PAYLOAD,
        json!({ "id": id, "expectedVersion": 1, "name": "Renamed once" }),
    )
    .await;
    assert_eq!(payload["plan"]["version"], 2);
    let current = read_plan(&app, &token, &id).await;

    for stale in [1, 3, 0] {
        let body = mutate(
            &app,
            &token,
            "updatePlan",
            PAYLOAD,
            json!({ "id": id, "expectedVersion": stale, "name": "Lost update", "budget": "1" }),
        )
        .await;
        assert_eq!(
            error_code(&body),
            Some("CONFLICT"),
            "version {stale}: {body}"
        );
    }
    assert_eq!(read_plan(&app, &token, &id).await, current);
}

#[tokio::test]
async fn deleting_a_plan_removes_its_campaigns_and_objectives() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let persona = create_persona(&app, &admin, "Sophie").await;
    let doomed = create_plan(&app, &admin, "Doomed").await;
    let kept = create_plan(&app, &admin, "Kept").await;
    let campaigns = [
        create_campaign(&app, &admin, &doomed, "One", &[&persona]).await,
        create_campaign(&app, &admin, &doomed, "Two", &[]).await,
    ];
    let objective = create_objective(&app, &admin, &doomed, "CPA").await;
    let kept_campaign = create_campaign(&app, &admin, &kept, "Kept campaign", &[&persona]).await;
    let kept_objective = create_objective(&app, &admin, &kept, "Kept CPA").await;

    // An editor may not delete.
    let editor = app.token("acme", "editor");
    let body = mutate(
        &app,
        &editor,
        "deletePlan",
        "deletedId",
        json!({ "id": doomed }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert_eq!(plan_count(&app, &admin).await, 2);

    let payload = mutate_ok(
        &app,
        &admin,
        "deletePlan",
        "deletedId userErrors { code }",
        json!({ "id": doomed }),
    )
    .await;
    assert_eq!(payload, json!({ "deletedId": doomed, "userErrors": [] }));

    let data = app
        .data(
            &admin,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } plans { totalCount nodes { id } } }",
            json!({ "ids": [doomed, campaigns[0], campaigns[1], objective, persona, kept_campaign, kept_objective] }),
        )
        .await;
    assert_eq!(
        data["nodes"],
        json!([null, null, null, null, { "id": persona }, { "id": kept_campaign }, { "id": kept_objective }])
    );
    assert_eq!(
        data["plans"],
        json!({ "totalCount": 1, "nodes": [{ "id": kept }] })
    );

    // Deleting it again: it is gone.
    let body = mutate(
        &app,
        &admin,
        "deletePlan",
        "deletedId",
        json!({ "id": doomed }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    // And it cannot be updated any more.
    let body = mutate(
        &app,
        &admin,
        "updatePlan",
        "plan { id }",
        json!({ "id": doomed, "expectedVersion": 1, "name": "Zombie" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
}

#[tokio::test]
async fn an_empty_name_is_required_and_a_long_one_too_long() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    for name in ["", "   "] {
        let errors = refused_plan(&app, &token, plan_input(name)).await;
        assert_eq!(errors, vec!["input.name: REQUIRED"], "{name:?}");
    }
    let errors = refused_plan(&app, &token, plan_input(&"x".repeat(201))).await;
    assert_eq!(errors, vec!["input.name: TOO_LONG"]);
    // 200 characters (not bytes) is the limit.
    let longest = "é".repeat(200);
    let payload = mutate_ok(&app, &token, "createPlan", PAYLOAD, plan_input(&longest)).await;
    assert_eq!(payload["plan"]["name"], longest.as_str());
}

#[tokio::test]
async fn a_period_ending_before_it_starts_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let errors = refused_plan(
        &app,
        &token,
        json!({ "name": "Backwards", "periodStart": "2027-12-31", "periodEnd": "2027-01-01", "budget": "1" }),
    )
    .await;
    assert_eq!(errors, vec!["input.periodEnd: DATE_ORDER"]);
    // A one-day period is fine.
    let payload = mutate_ok(
        &app,
        &token,
        "createPlan",
        PAYLOAD,
        json!({ "name": "One day", "periodStart": "2027-05-01", "periodEnd": "2027-05-01", "budget": "1" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
}

#[tokio::test]
async fn budgets_must_be_non_negative_exact_and_in_range() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let with_budget = |budget: &str| json!({ "name": "Budget", "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "budget": budget });
    let cases = [
        ("-0.01", "input.budget: OUT_OF_RANGE"),
        ("-1000", "input.budget: OUT_OF_RANGE"),
        ("1.0000001", "input.budget: TOO_PRECISE"),
        ("0.1234567", "input.budget: TOO_PRECISE"),
        ("9223372036855", "input.budget: OUT_OF_RANGE"),
    ];
    for (budget, expected) in cases {
        let errors = refused_plan(&app, &token, with_budget(budget)).await;
        assert_eq!(errors, vec![expected], "budget {budget}");
    }
    // Accepted: zero, six decimals, trailing zeros beyond six, the largest amount.
    for (budget, expected) in [
        ("0", "0"),
        ("0.000001", "0.000001"),
        ("1.10000000", "1.1"),
        ("9223372036854.775807", "9223372036854.775807"),
    ] {
        let payload = mutate_ok(&app, &token, "createPlan", PAYLOAD, with_budget(budget)).await;
        assert_eq!(payload["userErrors"], json!([]), "budget {budget}");
        let id = payload["plan"]["id"].as_str().unwrap();
        let plan = read_plan(&app, &token, id).await;
        assert_eq!(
            decimal_of(&plan["budget"]),
            dec(expected),
            "budget {budget}"
        );
    }
}

#[tokio::test]
async fn a_currency_must_have_the_iso_4217_shape() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    for currency in ["eur", "EURO", "EU", "E1R", "", "€€€"] {
        let mut input = plan_input("Currency");
        input["currency"] = json!(currency);
        let errors = refused_plan(&app, &token, input).await;
        assert_eq!(errors, vec!["input.currency: INVALID"], "{currency:?}");
    }
    let id = create_plan(&app, &token, "Plan").await;
    let body = mutate_ok(
        &app,
        &token,
        "updatePlan",
        PAYLOAD,
        json!({ "id": id, "expectedVersion": 1, "currency": "usd" }),
    )
    .await;
    assert_eq!(user_errors(&body), vec!["input.currency: INVALID"]);
    let plan = read_plan(&app, &token, &id).await;
    assert_eq!(plan["version"], 1);
    assert_ne!(plan["currency"], "usd");
}

#[tokio::test]
async fn every_problem_of_an_input_is_reported_at_once() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let mut errors = refused_plan(
        &app,
        &token,
        json!({ "name": " ", "periodStart": "2027-06-01", "periodEnd": "2027-05-31",
                "currency": "euro", "budget": "-5" }),
    )
    .await;
    errors.sort();
    assert_eq!(
        errors,
        vec![
            "input.budget: OUT_OF_RANGE",
            "input.currency: INVALID",
            "input.name: REQUIRED",
            "input.periodEnd: DATE_ORDER",
        ]
    );
}

#[tokio::test]
async fn an_invalid_update_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let id = create_plan(&app, &token, "Plan 2027").await;
    let before = read_plan(&app, &token, &id).await;
    let cases = [
        (json!({ "name": "" }), "input.name: REQUIRED"),
        (
            json!({ "periodEnd": "2026-12-31" }),
            "input.periodEnd: DATE_ORDER",
        ),
        (
            json!({ "periodStart": "2028-01-01" }),
            "input.periodEnd: DATE_ORDER",
        ),
        (json!({ "budget": "-1" }), "input.budget: OUT_OF_RANGE"),
        (
            json!({ "budget": "0.0000001" }),
            "input.budget: TOO_PRECISE",
        ),
    ];
    for (changes, expected) in cases {
        let mut input = changes.clone();
        input["id"] = json!(id);
        input["expectedVersion"] = json!(1);
        // A valid change alongside must not be written either.
        input["status"] = json!("ARCHIVED");
        let payload = mutate_ok(&app, &token, "updatePlan", PAYLOAD, input).await;
        assert_eq!(payload["plan"], Value::Null, "{changes}");
        assert_eq!(user_errors(&payload), vec![expected], "{changes}");
    }
    assert_eq!(read_plan(&app, &token, &id).await, before);
}

#[tokio::test]
async fn a_period_cannot_shrink_past_its_campaigns_and_objectives() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let id = create_plan(&app, &token, "Plan 2027").await;
    // A campaign over March 2027 and an objective due 2027-06-30.
    create_campaign(&app, &token, &id, "March", &[]).await;
    create_objective(&app, &token, &id, "CPA").await;
    let before = read_plan(&app, &token, &id).await;

    let cases = [
        // The start moves past the campaign's start.
        (
            json!({ "periodStart": "2027-03-02" }),
            "input.periodStart: OUTSIDE_PLAN_PERIOD",
        ),
        // The end moves before the campaign.
        (
            json!({ "periodEnd": "2027-02-28" }),
            "input.periodEnd: OUTSIDE_PLAN_PERIOD",
        ),
        // The end moves before the objective's deadline, after the campaign.
        (
            json!({ "periodEnd": "2027-06-29" }),
            "input.periodEnd: OUTSIDE_PLAN_PERIOD",
        ),
        // Both ends move: the whole period now misses the campaign.
        (
            json!({ "periodStart": "2027-07-01", "periodEnd": "2027-12-31" }),
            "input.periodStart: OUTSIDE_PLAN_PERIOD",
        ),
    ];
    for (changes, expected) in cases {
        let mut input = changes.clone();
        input["id"] = json!(id);
        input["expectedVersion"] = json!(1);
        let payload = mutate_ok(&app, &token, "updatePlan", PAYLOAD, input).await;
        assert_eq!(payload["plan"], Value::Null, "{changes}");
        assert_eq!(user_errors(&payload), vec![expected], "{changes}");
    }
    assert_eq!(read_plan(&app, &token, &id).await, before);

    // Shrinking to exactly what the children need is fine.
    let payload = mutate_ok(
        &app,
        &token,
        "updatePlan",
        PAYLOAD,
        json!({ "id": id, "expectedVersion": 1, "periodStart": "2027-03-01", "periodEnd": "2027-06-30" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["plan"]["periodStart"], "2027-03-01");
    assert_eq!(payload["plan"]["periodEnd"], "2027-06-30");
    assert_eq!(payload["plan"]["version"], 2);
}

#[tokio::test]
async fn unknown_personas_are_reported_at_their_index() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
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
    let mut input = plan_input("Plan");
    input["personaIds"] = json!([kept, deleted, kept, "garbage"]);
    let errors = refused_plan(&app, &admin, input).await;
    assert_eq!(
        errors,
        vec![
            "input.personaIds.1: NOT_FOUND",
            "input.personaIds.3: NOT_FOUND"
        ]
    );
}
