//! Personas: every descriptive field round-trips, updates are versioned (null clears, a list
//! replaces), deletes untarget them from plans and campaigns, and the age and list rules are
//! reported in `userErrors` with nothing written.

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_campaign, create_persona, error_code, mutate, mutate_ok, node, user_errors,
};

const PERSONA_FIELDS: &str = "id name summary ageMin ageMax gender location occupation incomeBand \
                              education behaviors values interests lifestyle goals motivations \
                              needs painPoints objections preferredLevers version";

fn payload_selection() -> String {
    format!("persona {{ {PERSONA_FIELDS} }} userErrors {{ field message code }}")
}

async fn read_persona(app: &TestApp, token: &str, id: &str) -> Value {
    node(
        app,
        token,
        id,
        &format!("... on Persona {{ {PERSONA_FIELDS} }}"),
    )
    .await
}

async fn persona_count(app: &TestApp, token: &str) -> i64 {
    app.data(token, "{ personas { totalCount } }", json!({}))
        .await["personas"]["totalCount"]
        .as_i64()
        .unwrap()
}

/// Creates a persona that must be refused; returns its user errors after checking that
/// nothing was written.
async fn refused_persona(app: &TestApp, token: &str, input: Value) -> Vec<String> {
    let before = persona_count(app, token).await;
    let payload = mutate_ok(app, token, "createPersona", &payload_selection(), input).await;
    assert_eq!(payload["persona"], Value::Null, "{payload}");
    assert_eq!(
        persona_count(app, token).await,
        before,
        "a refused persona was written"
    );
    user_errors(&payload)
}

fn full_input() -> Value {
    json!({
        "name": "Sophie, 34, e-commerce manager",
        "summary": "Runs a small online shop and wants more repeat customers.",
        "ageMin": 28, "ageMax": 40,
        "gender": "woman", "location": "Lyon", "occupation": "E-commerce manager",
        "incomeBand": "40-60k EUR", "education": "Master's degree",
        "behaviors": ["Shops on mobile", "Reads newsletters"],
        "values": ["Transparency"],
        "interests": ["Cooking", "Running", "Design"],
        "lifestyle": "Busy, urban",
        "goals": ["Double repeat purchases"],
        "motivations": ["Recognition", "Autonomy"],
        "needs": ["Simple reporting"],
        "painPoints": ["No time", "Too many tools"],
        "objections": ["Price"],
        "preferredLevers": ["EMAILING", "SOCIAL_MEDIA", "SEO"]
    })
}

#[tokio::test]
async fn a_persona_created_with_every_field_reads_back_the_same() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let input = full_input();
    let payload = mutate_ok(
        &app,
        &token,
        "createPersona",
        &payload_selection(),
        input.clone(),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let id = payload["persona"]["id"].as_str().unwrap();
    let persona = read_persona(&app, &token, id).await;
    assert_eq!(persona, payload["persona"]);
    for (field, value) in input.as_object().unwrap() {
        assert_eq!(&persona[field], value, "{field}");
    }
    assert_eq!(persona["version"], 1);
}

#[tokio::test]
async fn omitted_fields_are_empty_and_duplicate_levers_are_dropped() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let payload = mutate_ok(
        &app,
        &token,
        "createPersona",
        &payload_selection(),
        json!({ "name": "  Marc  ", "preferredLevers": ["SEA", "SEO", "SEA"], "needs": ["  Speed  "] }),
    )
    .await;
    let persona = &payload["persona"];
    assert_eq!(persona["name"], "Marc", "names are trimmed");
    assert_eq!(persona["preferredLevers"], json!(["SEA", "SEO"]));
    assert_eq!(persona["needs"], json!(["Speed"]));
    for empty_list in [
        "behaviors",
        "values",
        "interests",
        "goals",
        "motivations",
        "painPoints",
        "objections",
    ] {
        assert_eq!(persona[empty_list], json!([]), "{empty_list}");
    }
    for null in [
        "summary",
        "ageMin",
        "ageMax",
        "gender",
        "location",
        "occupation",
        "incomeBand",
        "education",
        "lifestyle",
    ] {
        assert_eq!(persona[null], Value::Null, "{null}");
    }
}

#[tokio::test]
async fn updates_change_only_the_given_fields_and_bump_the_version() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let created = mutate_ok(
        &app,
        &token,
        "createPersona",
        &payload_selection(),
        full_input(),
    )
    .await;
    let id = created["persona"]["id"].as_str().unwrap().to_owned();
    let original = created["persona"].clone();

    let payload = mutate_ok(
        &app,
        &token,
        "updatePersona",
        &payload_selection(),
        json!({ "id": id, "expectedVersion": 1, "name": "Sophie, 35", "summary": null,
                "ageMax": 45, "needs": ["Reporting", "Automation"], "painPoints": [],
                "preferredLevers": ["MARKETING_AUTOMATION"] }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let updated = read_persona(&app, &token, &id).await;
    assert_eq!(payload["persona"], updated);
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["name"], "Sophie, 35");
    assert_eq!(updated["summary"], Value::Null, "null clears");
    assert_eq!(updated["ageMax"], 45);
    assert_eq!(updated["needs"], json!(["Reporting", "Automation"]));
    assert_eq!(updated["painPoints"], json!([]));
    assert_eq!(updated["preferredLevers"], json!(["MARKETING_AUTOMATION"]));
    for unchanged in [
        "ageMin",
        "gender",
        "location",
        "occupation",
        "incomeBand",
        "education",
        "behaviors",
        "values",
        "interests",
        "lifestyle",
        "goals",
        "motivations",
        "objections",
    ] {
        assert_eq!(updated[unchanged], original[unchanged], "{unchanged}");
    }

    let payload = mutate_ok(
        &app,
        &token,
        "updatePersona",
        &payload_selection(),
        json!({ "id": id, "expectedVersion": 2, "ageMin": null, "ageMax": null }),
    )
    .await;
    assert_eq!(payload["persona"]["version"], 3);
    assert_eq!(payload["persona"]["ageMin"], Value::Null);
    assert_eq!(payload["persona"]["ageMax"], Value::Null);
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let id = create_persona(&app, &token, "Sophie").await;
    mutate_ok(
        &app,
        &token,
        "updatePersona",
        "persona { version }",
        json!({ "id": id, "expectedVersion": 1, "summary": "Updated once" }),
    )
    .await;
    let current = read_persona(&app, &token, &id).await;
    assert_eq!(current["version"], 2);
    let body = mutate(
        &app,
        &token,
        "updatePersona",
        "persona { version }",
        json!({ "id": id, "expectedVersion": 1, "name": "Lost update", "needs": ["x"] }),
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    assert_eq!(read_persona(&app, &token, &id).await, current);
}

#[tokio::test]
async fn a_deleted_persona_is_gone_and_no_longer_targeted() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let sophie = create_persona(&app, &admin, "Sophie").await;
    let marc = create_persona(&app, &admin, "Marc").await;
    let plan = mutate_ok(
        &app,
        &admin,
        "createPlan",
        "plan { id }",
        json!({ "name": "Plan", "periodStart": "2027-01-01", "periodEnd": "2027-12-31",
                "budget": "1", "personaIds": [sophie, marc] }),
    )
    .await["plan"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let campaign = create_campaign(&app, &admin, &plan, "Spring", &[&sophie, &marc]).await;

    let editor = app.token("acme", "editor");
    let body = mutate(
        &app,
        &editor,
        "deletePersona",
        "deletedId",
        json!({ "id": sophie }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    let payload = mutate_ok(
        &app,
        &admin,
        "deletePersona",
        "deletedId userErrors { code }",
        json!({ "id": sophie }),
    )
    .await;
    assert_eq!(payload, json!({ "deletedId": sophie, "userErrors": [] }));
    assert_eq!(node(&app, &admin, &sophie, "id").await, Value::Null);

    let data = app
        .data(
            &admin,
            "query($plan: ID!, $campaign: ID!) {
                personas { totalCount nodes { id } }
                plan(id: $plan) { version personas { id } }
                campaign: node(id: $campaign) { ... on Campaign { version personas { id } } } }",
            json!({ "plan": plan, "campaign": campaign }),
        )
        .await;
    assert_eq!(
        data["personas"],
        json!({ "totalCount": 1, "nodes": [{ "id": marc }] })
    );
    assert_eq!(
        data["plan"],
        json!({ "version": 1, "personas": [{ "id": marc }] })
    );
    assert_eq!(
        data["campaign"],
        json!({ "version": 1, "personas": [{ "id": marc }] })
    );
}

#[tokio::test]
async fn an_empty_name_is_required() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    assert_eq!(
        refused_persona(&app, &token, json!({ "name": "" })).await,
        vec!["input.name: REQUIRED"]
    );
    assert_eq!(
        refused_persona(&app, &token, json!({ "name": "\t " })).await,
        vec!["input.name: REQUIRED"]
    );
    assert_eq!(
        refused_persona(&app, &token, json!({ "name": "n".repeat(201) })).await,
        vec!["input.name: TOO_LONG"]
    );
}

#[tokio::test]
async fn ages_must_be_between_0_and_130_and_in_order() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let cases = [
        (json!({ "ageMin": -1 }), vec!["input.ageMin: OUT_OF_RANGE"]),
        (json!({ "ageMax": 131 }), vec!["input.ageMax: OUT_OF_RANGE"]),
        (
            json!({ "ageMin": 131, "ageMax": 140 }),
            vec!["input.ageMin: OUT_OF_RANGE", "input.ageMax: OUT_OF_RANGE"],
        ),
        (
            json!({ "ageMin": 40, "ageMax": 30 }),
            vec!["input.ageMax: OUT_OF_RANGE"],
        ),
    ];
    for (ages, expected) in cases {
        let mut input = ages.clone();
        input["name"] = json!("Ageless");
        assert_eq!(
            refused_persona(&app, &token, input).await,
            expected,
            "{ages}"
        );
    }
    // The bounds themselves are accepted, and a one-year range.
    for (min, max) in [(0, 130), (30, 30)] {
        let payload = mutate_ok(
            &app,
            &token,
            "createPersona",
            &payload_selection(),
            json!({ "name": "Bounds", "ageMin": min, "ageMax": max }),
        )
        .await;
        assert_eq!(payload["userErrors"], json!([]));
        assert_eq!(payload["persona"]["ageMin"], min);
        assert_eq!(payload["persona"]["ageMax"], max);
    }
}

#[tokio::test]
async fn an_update_is_checked_against_the_ages_it_keeps() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let created = mutate_ok(
        &app,
        &token,
        "createPersona",
        &payload_selection(),
        json!({ "name": "Sophie", "ageMin": 25, "ageMax": 35 }),
    )
    .await;
    let id = created["persona"]["id"].as_str().unwrap();
    let before = read_persona(&app, &token, id).await;
    let cases = [
        (json!({ "ageMin": 36 }), "input.ageMax: OUT_OF_RANGE"),
        (json!({ "ageMax": 24 }), "input.ageMax: OUT_OF_RANGE"),
        (json!({ "ageMin": -5 }), "input.ageMin: OUT_OF_RANGE"),
        (json!({ "name": " " }), "input.name: REQUIRED"),
        (json!({ "needs": ["ok", ""] }), "input.needs.1: REQUIRED"),
    ];
    for (changes, expected) in cases {
        let mut input = changes.clone();
        input["id"] = json!(id);
        input["expectedVersion"] = json!(1);
        input["summary"] = json!("a valid change that must not be written");
        let payload = mutate_ok(&app, &token, "updatePersona", &payload_selection(), input).await;
        assert_eq!(payload["persona"], Value::Null, "{changes}");
        assert_eq!(user_errors(&payload), vec![expected], "{changes}");
    }
    assert_eq!(read_persona(&app, &token, id).await, before);
}

#[tokio::test]
async fn list_items_are_checked_one_by_one() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let too_many: Vec<String> = (0..51).map(|i| format!("goal {i}")).collect();
    let cases = [
        (
            json!({ "needs": ["Fine", "", "  "] }),
            vec!["input.needs.1: REQUIRED", "input.needs.2: REQUIRED"],
        ),
        (json!({ "goals": too_many }), vec!["input.goals: TOO_LONG"]),
        (
            json!({ "painPoints": ["ok", "p".repeat(501)] }),
            vec!["input.painPoints.1: TOO_LONG"],
        ),
        (
            json!({ "summary": "s".repeat(10_001) }),
            vec!["input.summary: TOO_LONG"],
        ),
    ];
    for (lists, expected) in cases {
        let mut input = lists.clone();
        input["name"] = json!("Lists");
        assert_eq!(refused_persona(&app, &token, input).await, expected);
    }
    // Exactly 50 items of 500 characters are accepted.
    let fifty: Vec<String> = (0..50).map(|i| format!("{i:0>500}")).collect();
    let payload = mutate_ok(
        &app,
        &token,
        "createPersona",
        &payload_selection(),
        json!({ "name": "Fifty", "goals": fifty }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["persona"]["goals"], json!(fifty));
}
