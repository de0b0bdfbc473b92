//! Lever allocations and lever interactions of a plan: every field round-trips, versioned
//! updates, deletes, the rules (priority 1–5, one allocation per lever, no self-interaction,
//! no repeated interaction) reported in `userErrors` with nothing written, the budget check
//! (over-allocation is accepted with warnings, totals summed exactly by the database), roles
//! and tenancy.

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_campaign, create_plan, dec, decimal_of, error_code, mutate, mutate_ok, node,
    user_errors,
};

const ALLOCATION_FIELDS: &str =
    "id lever budget priority rationale version createdAt updatedAt plan { id }";
const INTERACTION_FIELDS: &str =
    "id fromLever toLever kind note version createdAt updatedAt plan { id }";

fn allocation_payload() -> String {
    format!(
        "leverAllocation {{ {ALLOCATION_FIELDS} }} warnings {{ code message }} \
         userErrors {{ field message code }}"
    )
}

fn interaction_payload() -> String {
    format!("leverInteraction {{ {INTERACTION_FIELDS} }} userErrors {{ field message code }}")
}

/// The plan's allocations, interactions and budget check, as `token` sees them.
async fn plan_levers(app: &TestApp, token: &str, plan: &str) -> Value {
    app.data(
        token,
        &format!(
            "query($id: ID!) {{ plan(id: $id) {{ leverAllocations {{ {ALLOCATION_FIELDS} }} \
             leverInteractions {{ {INTERACTION_FIELDS} }} \
             budgetCheck {{ budget allocated unallocated campaignBudgets warnings {{ code message }} }} }} }}"
        ),
        json!({ "id": plan }),
    )
    .await["plan"]
        .clone()
}

async fn allocate(app: &TestApp, token: &str, plan: &str, lever: &str, budget: &str) -> Value {
    let payload = mutate_ok(
        app,
        token,
        "createLeverAllocation",
        &allocation_payload(),
        json!({ "planId": plan, "lever": lever, "budget": budget, "priority": 2 }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    payload
}

async fn interact(
    app: &TestApp,
    token: &str,
    plan: &str,
    from: &str,
    to: &str,
    kind: &str,
) -> String {
    let payload = mutate_ok(
        app,
        token,
        "createLeverInteraction",
        &interaction_payload(),
        json!({ "planId": plan, "fromLever": from, "toLever": to, "kind": kind }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    payload["leverInteraction"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_allocation_round_trips_updates_with_its_version_and_is_deleted_by_an_admin() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let payload = mutate_ok(
        &app,
        &editor,
        "createLeverAllocation",
        &allocation_payload(),
        json!({ "planId": plan, "lever": "SEO", "budget": "12000.50", "priority": 1,
                "rationale": "  Organic search brings most leads  " }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["warnings"], json!([]), "within the 100000 budget");
    let created = &payload["leverAllocation"];
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["lever"], "SEO");
    assert_eq!(decimal_of(&created["budget"]), dec("12000.50"));
    assert_eq!(created["priority"], 1);
    assert_eq!(created["rationale"], "Organic search brings most leads");
    assert_eq!(created["version"], 1);
    assert_eq!(created["plan"]["id"], plan.as_str());
    let read = node(
        &app,
        &editor,
        id,
        &format!("... on LeverAllocation {{ {ALLOCATION_FIELDS} }}"),
    )
    .await;
    assert_eq!(&read, created);
    assert_eq!(
        plan_levers(&app, &editor, &plan).await["leverAllocations"],
        json!([read])
    );

    // Update: only the given fields change, the version goes up; null clears the rationale.
    let payload = mutate_ok(
        &app,
        &editor,
        "updateLeverAllocation",
        &allocation_payload(),
        json!({ "id": id, "expectedVersion": 1, "budget": "15000", "priority": 3, "rationale": null }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let updated = &payload["leverAllocation"];
    assert_eq!(updated["version"], 2);
    assert_eq!(decimal_of(&updated["budget"]), dec("15000"));
    assert_eq!(updated["priority"], 3);
    assert_eq!(updated["rationale"], Value::Null);
    assert_eq!(updated["lever"], "SEO");
    assert_eq!(updated["createdAt"], created["createdAt"]);

    // A stale version is a conflict and changes nothing.
    let body = mutate(
        &app,
        &editor,
        "updateLeverAllocation",
        &allocation_payload(),
        json!({ "id": id, "expectedVersion": 1, "budget": "1" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    let current = node(
        &app,
        &editor,
        id,
        &format!("... on LeverAllocation {{ {ALLOCATION_FIELDS} }}"),
    )
    .await;
    assert_eq!(&current, updated);

    // Deleting is for admins.
    let body = mutate(
        &app,
        &editor,
        "deleteLeverAllocation",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let admin = app.token("acme", "admin");
    let payload = mutate_ok(
        &app,
        &admin,
        "deleteLeverAllocation",
        "deletedId userErrors { code }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(payload, json!({ "deletedId": id, "userErrors": [] }));
    assert_eq!(node(&app, &admin, id, "id").await, Value::Null);
    assert_eq!(
        plan_levers(&app, &admin, &plan).await["leverAllocations"],
        json!([])
    );
}

#[tokio::test]
async fn allocations_are_listed_by_priority() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    for (lever, priority) in [("EMAILING", 3), ("SEA", 1), ("SEO", 5), ("PR", 1)] {
        let payload = mutate_ok(
            &app,
            &token,
            "createLeverAllocation",
            "userErrors { code }",
            json!({ "planId": plan, "lever": lever, "budget": "10", "priority": priority }),
        )
        .await;
        assert_eq!(payload["userErrors"], json!([]));
    }
    let levers: Vec<(String, i64)> = plan_levers(&app, &token, &plan).await["leverAllocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["lever"].as_str().unwrap().to_owned(),
                a["priority"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        levers,
        vec![
            ("SEA".to_owned(), 1),
            ("PR".to_owned(), 1),
            ("EMAILING".to_owned(), 3),
            ("SEO".to_owned(), 5)
        ]
    );
}

#[tokio::test]
async fn invalid_allocations_are_refused_field_by_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let seo = allocate(&app, &token, &plan, "SEO", "100").await;
    let seo_id = seo["leverAllocation"]["id"].as_str().unwrap().to_owned();
    let sea = allocate(&app, &token, &plan, "SEA", "100").await;
    let sea_id = sea["leverAllocation"]["id"].as_str().unwrap().to_owned();
    let before = plan_levers(&app, &token, &plan).await;

    let cases = [
        (
            json!({ "lever": "PR", "priority": 0 }),
            vec!["input.priority: OUT_OF_RANGE"],
        ),
        (
            json!({ "lever": "PR", "priority": 6 }),
            vec!["input.priority: OUT_OF_RANGE"],
        ),
        (
            json!({ "lever": "PR", "budget": "-0.01" }),
            vec!["input.budget: OUT_OF_RANGE"],
        ),
        (
            json!({ "lever": "PR", "budget": "1.0000001" }),
            vec!["input.budget: TOO_PRECISE"],
        ),
        (json!({ "lever": "SEO" }), vec!["input.lever: DUPLICATE"]),
        (
            json!({ "lever": "SEA", "priority": 9, "budget": "-5", "rationale": "x".repeat(10_001) }),
            vec![
                "input.budget: OUT_OF_RANGE",
                "input.priority: OUT_OF_RANGE",
                "input.rationale: TOO_LONG",
                "input.lever: DUPLICATE",
            ],
        ),
    ];
    for (changes, expected) in &cases {
        let mut input = json!({ "planId": plan, "budget": "1", "priority": 2 });
        for (key, value) in changes.as_object().unwrap() {
            input[key] = value.clone();
        }
        let payload = mutate_ok(
            &app,
            &token,
            "createLeverAllocation",
            &allocation_payload(),
            input,
        )
        .await;
        assert_eq!(payload["leverAllocation"], Value::Null, "{changes}");
        assert_eq!(payload["warnings"], json!([]), "{changes}");
        assert_eq!(user_errors(&payload), *expected, "{changes}");
    }
    let payload = mutate_ok(
        &app,
        &token,
        "createLeverAllocation",
        &allocation_payload(),
        json!({ "planId": plan, "lever": "SEO", "budget": "1", "priority": 2 }),
    )
    .await;
    assert_eq!(
        payload["userErrors"][0]["field"],
        json!(["input", "lever"]),
        "{payload}"
    );

    // Updates: moving SEA onto SEO is a duplicate; keeping its own lever is not.
    for (changes, expected) in [
        (json!({ "lever": "SEO" }), vec!["input.lever: DUPLICATE"]),
        (
            json!({ "priority": -1, "lever": "SEA" }),
            vec!["input.priority: OUT_OF_RANGE"],
        ),
        (
            json!({ "budget": "-1" }),
            vec!["input.budget: OUT_OF_RANGE"],
        ),
    ] {
        let mut input = changes.clone();
        input["id"] = json!(sea_id);
        input["expectedVersion"] = json!(1);
        input["rationale"] = json!("valid alongside, not written either");
        let payload = mutate_ok(
            &app,
            &token,
            "updateLeverAllocation",
            &allocation_payload(),
            input,
        )
        .await;
        assert_eq!(payload["leverAllocation"], Value::Null, "{changes}");
        assert_eq!(user_errors(&payload), expected, "{changes}");
    }
    assert_eq!(plan_levers(&app, &token, &plan).await, before);
    let same = mutate_ok(
        &app,
        &token,
        "updateLeverAllocation",
        &allocation_payload(),
        json!({ "id": seo_id, "expectedVersion": 1, "lever": "SEO", "priority": 4 }),
    )
    .await;
    assert_eq!(same["userErrors"], json!([]));
    assert_eq!(same["leverAllocation"]["priority"], 4);
}

#[tokio::test]
async fn over_allocating_is_accepted_with_warnings_and_totals_are_exact() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    // The plan's budget is 100000.
    let plan = create_plan(&app, &token, "Plan 2027").await;

    // Amounts whose float sum is not exact: 0.1 + 0.2 + 60000.3 + 39999.6 ≠ 100000.2 in f64.
    let amounts = [("SEO", "0.1"), ("SEA", "0.2"), ("EMAILING", "60000.3")];
    for (lever, amount) in amounts {
        let payload = allocate(&app, &token, &plan, lever, amount).await;
        assert_eq!(payload["warnings"], json!([]), "{lever}");
    }
    let float_sum: f64 = ["0.1", "0.2", "60000.3", "39999.6"]
        .iter()
        .map(|text| text.parse::<f64>().unwrap())
        .sum();
    assert_ne!(float_sum, 100_000.2, "the amounts are a float trap");

    let payload = allocate(&app, &token, &plan, "PR", "39999.6").await;
    assert!(payload["leverAllocation"]["id"].is_string(), "accepted");
    let expected_total = dec("0.1") + dec("0.2") + dec("60000.3") + dec("39999.6");
    assert_eq!(expected_total, dec("100000.2"));
    assert_eq!(
        payload["warnings"],
        json!([{ "code": "LEVER_ALLOCATIONS_EXCEED_BUDGET",
                 "message": "lever allocations total 100000.20 EUR, 0.20 EUR over the plan's budget of 100000.00 EUR" }])
    );
    let check = &plan_levers(&app, &token, &plan).await["budgetCheck"];
    assert_eq!(decimal_of(&check["allocated"]), expected_total);
    assert_eq!(decimal_of(&check["budget"]), dec("100000"));
    assert_eq!(decimal_of(&check["unallocated"]), dec("-0.2"));
    assert_eq!(decimal_of(&check["campaignBudgets"]), dec("0"));
    assert_eq!(check["warnings"], payload["warnings"]);

    // Lowering an allocation clears the warning.
    let pr = payload["leverAllocation"]["id"].as_str().unwrap();
    let payload = mutate_ok(
        &app,
        &token,
        "updateLeverAllocation",
        &allocation_payload(),
        json!({ "id": pr, "expectedVersion": 1, "budget": "39999.4" }),
    )
    .await;
    assert_eq!(payload["warnings"], json!([]));
    let check = &plan_levers(&app, &token, &plan).await["budgetCheck"];
    assert_eq!(decimal_of(&check["allocated"]), dec("100000"));
    assert_eq!(decimal_of(&check["unallocated"]), dec("0"));

    // Campaign budgets over the plan's budget: 3 × 1000 from the helper, then one of 97000.01.
    for name in ["A", "B", "C"] {
        create_campaign(&app, &token, &plan, name, &[]).await;
    }
    let payload = mutate_ok(
        &app,
        &token,
        "createCampaign",
        "campaign { id } warnings { code message } userErrors { code }",
        json!({ "planId": plan, "name": "Big", "kind": "AWARENESS", "startDate": "2027-03-01",
                "endDate": "2027-03-31", "budget": "97000.01" }),
    )
    .await;
    assert_eq!(
        payload["userErrors"],
        json!([]),
        "campaigns over budget are accepted too"
    );
    assert_eq!(
        payload["warnings"],
        json!([{ "code": "CAMPAIGN_BUDGETS_EXCEED_BUDGET",
                 "message": "campaign budgets total 100000.01 EUR, 0.01 EUR over the plan's budget of 100000.00 EUR" }]),
        "the campaign payload warns too"
    );
    let check = &plan_levers(&app, &token, &plan).await["budgetCheck"];
    assert_eq!(
        decimal_of(&check["campaignBudgets"]),
        dec("3000") + dec("97000.01")
    );
    assert_eq!(
        check["warnings"],
        json!([{ "code": "CAMPAIGN_BUDGETS_EXCEED_BUDGET",
                 "message": "campaign budgets total 100000.01 EUR, 0.01 EUR over the plan's budget of 100000.00 EUR" }])
    );

    // Bringing the campaign back within the budget clears the warning in the update's payload.
    let big = payload["campaign"]["id"].as_str().unwrap();
    let payload = mutate_ok(
        &app,
        &token,
        "updateCampaign",
        "campaign { id } warnings { code } userErrors { code }",
        json!({ "id": big, "expectedVersion": 1, "budget": "97000" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["warnings"], json!([]));
    assert_eq!(
        plan_levers(&app, &token, &plan).await["budgetCheck"]["warnings"],
        json!([])
    );
}

#[tokio::test]
async fn budget_checks_of_many_plans_are_each_their_own() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let over = create_plan(&app, &token, "Over").await;
    let under = create_plan(&app, &token, "Under").await;
    allocate(&app, &token, &over, "SEO", "100000.000001").await;
    allocate(&app, &token, &under, "SEO", "99999.999999").await;
    let data = app
        .data(
            &token,
            "{ plans { nodes { name budgetCheck { allocated warnings { code } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["plans"]["nodes"],
        json!([
            { "name": "Over", "budgetCheck": { "allocated": "100000.000001",
              "warnings": [{ "code": "LEVER_ALLOCATIONS_EXCEED_BUDGET" }] } },
            { "name": "Under", "budgetCheck": { "allocated": "99999.999999", "warnings": [] } }
        ])
    );
}

#[tokio::test]
async fn an_interaction_round_trips_updates_and_is_deleted_by_an_admin() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let payload = mutate_ok(
        &app,
        &editor,
        "createLeverInteraction",
        &interaction_payload(),
        json!({ "planId": plan, "fromLever": "SEO", "toLever": "SEA", "kind": "SYNERGY",
                "note": "Shared keyword research" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let created = payload["leverInteraction"].clone();
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["fromLever"], "SEO");
    assert_eq!(created["toLever"], "SEA");
    assert_eq!(created["kind"], "SYNERGY");
    assert_eq!(created["note"], "Shared keyword research");
    assert_eq!(created["version"], 1);
    assert_eq!(created["plan"]["id"], plan.as_str());
    let read = node(
        &app,
        &editor,
        id,
        &format!("... on LeverInteraction {{ {INTERACTION_FIELDS} }}"),
    )
    .await;
    assert_eq!(read, created);
    assert_eq!(
        plan_levers(&app, &editor, &plan).await["leverInteractions"],
        json!([created])
    );

    let payload = mutate_ok(
        &app,
        &editor,
        "updateLeverInteraction",
        &interaction_payload(),
        json!({ "id": id, "expectedVersion": 1, "kind": "CANNIBALIZATION", "note": null }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let updated = payload["leverInteraction"].clone();
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["kind"], "CANNIBALIZATION");
    assert_eq!(updated["note"], Value::Null);
    assert_eq!(updated["fromLever"], "SEO");

    let body = mutate(
        &app,
        &editor,
        "updateLeverInteraction",
        &interaction_payload(),
        json!({ "id": id, "expectedVersion": 1, "note": "lost" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    assert_eq!(
        plan_levers(&app, &editor, &plan).await["leverInteractions"],
        json!([updated])
    );

    let body = mutate(
        &app,
        &editor,
        "deleteLeverInteraction",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let admin = app.token("acme", "admin");
    let payload = mutate_ok(
        &app,
        &admin,
        "deleteLeverInteraction",
        "deletedId userErrors { code }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(payload, json!({ "deletedId": id, "userErrors": [] }));
    assert_eq!(node(&app, &admin, id, "id").await, Value::Null);
    assert_eq!(
        plan_levers(&app, &admin, &plan).await["leverInteractions"],
        json!([])
    );
}

#[tokio::test]
async fn interactions_need_two_levers_and_are_stated_once() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    interact(&app, &token, &plan, "SEO", "SEA", "SYNERGY").await;
    // The same pair with another kind, and the reverse direction, are other interactions.
    interact(&app, &token, &plan, "SEO", "SEA", "CANNIBALIZATION").await;
    let reverse = interact(&app, &token, &plan, "SEA", "SEO", "SYNERGY").await;
    // Another plan may state the same interaction.
    let other = create_plan(&app, &token, "Other").await;
    interact(&app, &token, &other, "SEO", "SEA", "SYNERGY").await;
    let before = plan_levers(&app, &token, &plan).await;
    assert_eq!(before["leverInteractions"].as_array().unwrap().len(), 3);

    for (input, expected) in [
        (
            json!({ "fromLever": "SEO", "toLever": "SEO", "kind": "DEPENDENCY" }),
            vec!["input.toLever: INVALID"],
        ),
        (
            json!({ "fromLever": "SEO", "toLever": "SEA", "kind": "SYNERGY" }),
            vec!["input.toLever: DUPLICATE"],
        ),
        (
            json!({ "fromLever": "SEO", "toLever": "SEA", "kind": "SYNERGY", "note": "n".repeat(10_001) }),
            vec!["input.note: TOO_LONG", "input.toLever: DUPLICATE"],
        ),
    ] {
        let mut input = input.clone();
        input["planId"] = json!(plan);
        let payload = mutate_ok(
            &app,
            &token,
            "createLeverInteraction",
            &interaction_payload(),
            input.clone(),
        )
        .await;
        assert_eq!(payload["leverInteraction"], Value::Null, "{input}");
        assert_eq!(user_errors(&payload), expected, "{input}");
    }
    for (changes, expected) in [
        (
            json!({ "fromLever": "SEA", "toLever": "SEA" }),
            vec!["input.toLever: INVALID"],
        ),
        (
            json!({ "fromLever": "SEO" }),
            vec!["input.toLever: INVALID"],
        ),
        (
            json!({ "fromLever": "SEO", "toLever": "SEA" }),
            vec!["input.toLever: DUPLICATE"],
        ),
        (json!({ "toLever": "SEA" }), vec!["input.toLever: INVALID"]),
    ] {
        let mut input = changes.clone();
        input["id"] = json!(reverse);
        input["expectedVersion"] = json!(1);
        input["note"] = json!("valid, not written either");
        let payload = mutate_ok(
            &app,
            &token,
            "updateLeverInteraction",
            &interaction_payload(),
            input,
        )
        .await;
        assert_eq!(payload["leverInteraction"], Value::Null, "{changes}");
        assert_eq!(user_errors(&payload), expected, "{changes}");
    }
    assert_eq!(plan_levers(&app, &token, &plan).await, before);
}

#[tokio::test]
async fn viewers_cannot_write_levers() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let allocation = allocate(&app, &editor, &plan, "SEO", "10").await["leverAllocation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let interaction = interact(&app, &editor, &plan, "SEO", "SEA", "SYNERGY").await;
    let before = plan_levers(&app, &editor, &plan).await;
    let viewer = app.token("acme", "viewer");
    assert_eq!(
        plan_levers(&app, &viewer, &plan).await,
        before,
        "viewers read"
    );
    for (field, input) in [
        (
            "createLeverAllocation",
            json!({ "planId": plan, "lever": "PR", "budget": "1", "priority": 1 }),
        ),
        (
            "updateLeverAllocation",
            json!({ "id": allocation, "expectedVersion": 1, "priority": 1 }),
        ),
        ("deleteLeverAllocation", json!({ "id": allocation })),
        (
            "createLeverInteraction",
            json!({ "planId": plan, "fromLever": "PR", "toLever": "SEO", "kind": "SYNERGY" }),
        ),
        (
            "updateLeverInteraction",
            json!({ "id": interaction, "expectedVersion": 1, "note": "x" }),
        ),
        ("deleteLeverInteraction", json!({ "id": interaction })),
    ] {
        let body = mutate(&app, &viewer, field, "userErrors { code }", input).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{field}: {body}");
        assert_eq!(body["data"], Value::Null, "{field}");
    }
    assert_eq!(plan_levers(&app, &editor, &plan).await, before);
}

#[tokio::test]
async fn levers_of_another_tenant_are_invisible_and_untouchable() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "admin");
    let plan = create_plan(&app, &acme, "Acme 2027").await;
    let allocation = allocate(&app, &acme, &plan, "SEO", "10").await["leverAllocation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let interaction = interact(&app, &acme, &plan, "SEO", "SEA", "SYNERGY").await;
    let before = plan_levers(&app, &acme, &plan).await;

    let globex = app.token("globex", "admin");
    let own_plan = create_plan(&app, &globex, "Globex 2027").await;
    allocate(&app, &globex, &own_plan, "PR", "5").await;
    for id in [&allocation, &interaction] {
        assert_eq!(node(&app, &globex, id, "id").await, Value::Null);
    }
    let data = app
        .data(
            &globex,
            "{ plans { nodes { leverAllocations { lever } leverInteractions { id } budgetCheck { allocated } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["plans"]["nodes"],
        json!([{ "leverAllocations": [{ "lever": "PR" }], "leverInteractions": [],
                 "budgetCheck": { "allocated": "5.00" } }])
    );
    for (field, input) in [
        (
            "createLeverAllocation",
            json!({ "planId": plan, "lever": "PR", "budget": "1", "priority": 1 }),
        ),
        (
            "updateLeverAllocation",
            json!({ "id": allocation, "expectedVersion": 1, "priority": 1 }),
        ),
        ("deleteLeverAllocation", json!({ "id": allocation })),
        (
            "createLeverInteraction",
            json!({ "planId": plan, "fromLever": "PR", "toLever": "SEO", "kind": "SYNERGY" }),
        ),
        (
            "updateLeverInteraction",
            json!({ "id": interaction, "expectedVersion": 1, "note": "x" }),
        ),
        ("deleteLeverInteraction", json!({ "id": interaction })),
    ] {
        let body = mutate(&app, &globex, field, "userErrors { code }", input).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{field}: {body}");
    }
    assert_eq!(plan_levers(&app, &acme, &plan).await, before);
}

#[tokio::test]
async fn deleting_a_plan_deletes_its_levers() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let allocation = allocate(&app, &admin, &plan, "SEO", "10").await["leverAllocation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let interaction = interact(&app, &admin, &plan, "SEO", "SEA", "SYNERGY").await;
    let payload = mutate_ok(
        &app,
        &admin,
        "deletePlan",
        "deletedId userErrors { code }",
        json!({ "id": plan }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    for id in [&allocation, &interaction] {
        assert_eq!(node(&app, &admin, id, "id").await, Value::Null);
    }
}

#[tokio::test]
async fn concurrent_allocations_of_one_lever_leave_one_and_a_duplicate_error() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let input = json!({ "planId": plan, "lever": "SEO", "budget": "10", "priority": 1 });
    let requests: Vec<_> = (0..6)
        .map(|_| {
            mutate(
                &app,
                &token,
                "createLeverAllocation",
                "leverAllocation { id } userErrors { field code }",
                input.clone(),
            )
        })
        .collect();
    let bodies = futures::future::join_all(requests).await;
    let mut created = 0;
    for body in &bodies {
        assert!(body.get("errors").is_none(), "{body}");
        let payload = &body["data"]["createLeverAllocation"];
        if payload["leverAllocation"].is_null() {
            assert_eq!(
                user_errors(payload),
                vec!["input.lever: DUPLICATE"],
                "{payload}"
            );
        } else {
            created += 1;
        }
    }
    assert_eq!(created, 1, "{bodies:?}");
    assert_eq!(
        plan_levers(&app, &token, &plan).await["leverAllocations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
