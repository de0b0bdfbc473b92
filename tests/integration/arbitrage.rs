//! Budget arbitrage: a worked example computed by hand, an unreachable minimum, validation,
//! applying (exactly the cut actions are cancelled), CONFLICT after a change with nothing
//! changed, roles, tenancy, and the statement count of a proposal.

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_action, create_plan, dec, decimal_of, error_code, min_statements, mutate,
    mutate_ok, node, user_errors,
};

const PROPOSAL: &str = "planVersion ceiling committed remaining startedWithLargerAction \
    kept { count budget iceScore actions { id title status version } } \
    cut { count budget iceScore actions { id title status version } } \
    levers { lever minSpend maxSpend committed spend kept { count budget iceScore } cut { count budget iceScore } } \
    warnings { code lever amount message }";

fn arbitrage_query() -> String {
    format!("query($input: ArbitrageInput!) {{ arbitrage(input: $input) {{ {PROPOSAL} }} }}")
}

fn apply_selection() -> String {
    format!(
        "proposal {{ {PROPOSAL} }} cancelledActions {{ id title status version }} \
         userErrors {{ field message code }}"
    )
}

/// The actions of the worked example, by title: (lever, budget, impact, confidence, ease,
/// status). ICE scores: A 125, B 800, C 400, D 150, E 100.
const EXAMPLE: [(&str, &str, &str, i32, i32, i32, &str); 7] = [
    ("A", "EMAILING", "0", 5, 5, 5, "TODO"),
    ("B", "SEO", "1000", 10, 10, 8, "IN_PROGRESS"),
    ("C", "SEA", "4000", 10, 8, 5, "TODO"),
    ("D", "SEA", "2000", 6, 5, 5, "BLOCKED"),
    ("E", "CONTENT", "3000", 4, 5, 5, "TODO"),
    ("F", "SOCIAL_ADS", "500", 1, 1, 1, "DONE"),
    ("G", "DISPLAY", "9999", 10, 10, 10, "CANCELLED"),
];

/// Creates the example's actions in `plan`; returns (title, id) in creation order.
async fn build_example(app: &TestApp, token: &str, plan: &str) -> Vec<(String, String)> {
    let mut ids = Vec::new();
    for (title, lever, budget, impact, confidence, ease, status) in EXAMPLE {
        let id = create_action(
            app,
            token,
            plan,
            json!({ "title": title, "lever": lever, "budget": budget, "impact": impact,
                    "confidence": confidence, "ease": ease, "status": status }),
        )
        .await;
        ids.push((title.to_owned(), id));
    }
    ids
}

fn example_input(plan: &str, ceiling: &str, content_min: &str) -> Value {
    json!({ "planId": plan, "ceiling": ceiling, "leverBounds": [
        { "lever": "SEA", "maxSpend": "5000" },
        { "lever": "CONTENT", "minSpend": content_min },
    ] })
}

fn titles(selection: &Value) -> Vec<&str> {
    selection["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect()
}

/// (title, status, version) of every action of the example, read back through `node`.
async fn states(
    app: &TestApp,
    token: &str,
    ids: &[(String, String)],
) -> Vec<(String, String, i64)> {
    let mut states = Vec::new();
    for (title, id) in ids {
        let action = node(app, token, id, "... on Action { status version }").await;
        states.push((
            title.clone(),
            action["status"].as_str().unwrap().to_owned(),
            action["version"].as_i64().unwrap(),
        ));
    }
    states
}

fn initial_states() -> Vec<(String, String, i64)> {
    EXAMPLE
        .iter()
        .map(|(title, _, _, _, _, _, status)| ((*title).to_owned(), (*status).to_owned(), 1))
        .collect()
}

async fn propose(app: &TestApp, token: &str, input: Value) -> Value {
    app.data(token, &arbitrage_query(), json!({ "input": input }))
        .await["arbitrage"]
        .clone()
}

#[tokio::test]
async fn the_worked_example_keeps_what_was_computed_by_hand_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let ids = build_example(&app, &editor, &plan).await;

    // Ceiling 8000; F (DONE) has already spent 500; G (CANCELLED) counts for nothing.
    // CONTENT's minimum 2500 first: E (3000) → 3500 spent. Then by ICE per unit of cost:
    // A (free) keep; B 800/1000 → 4500; C 400/4000 would reach 8500 > 8000: cut;
    // D 150/2000 → 6500, SEA at 2000 ≤ 5000. Starting with C instead keeps C, E, A: 625 < 1175.
    let proposal = propose(&app, &viewer, example_input(&plan, "8000", "2500")).await;
    assert_eq!(titles(&proposal["kept"]), ["A", "B", "D", "E"]);
    assert_eq!(titles(&proposal["cut"]), ["C"]);
    assert_eq!(proposal["kept"]["count"], 4);
    assert_eq!(decimal_of(&proposal["kept"]["budget"]), dec("6000"));
    assert_eq!(proposal["kept"]["iceScore"], 125 + 800 + 150 + 100);
    assert_eq!(proposal["cut"]["count"], 1);
    assert_eq!(decimal_of(&proposal["cut"]["budget"]), dec("4000"));
    assert_eq!(proposal["cut"]["iceScore"], 400);
    assert_eq!(decimal_of(&proposal["ceiling"]), dec("8000"));
    assert_eq!(decimal_of(&proposal["committed"]), dec("500"));
    assert_eq!(decimal_of(&proposal["remaining"]), dec("1500"));
    assert_eq!(proposal["startedWithLargerAction"], false);
    assert_eq!(proposal["warnings"], json!([]));
    let levers: Vec<(String, String, String, i64, i64)> = proposal["levers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["lever"].as_str().unwrap().to_owned(),
                decimal_of(&l["committed"]).to_string(),
                decimal_of(&l["spend"]).to_string(),
                l["kept"]["count"].as_i64().unwrap(),
                l["cut"]["count"].as_i64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String, i64, i64)> = [
        ("SEO", "0.00", "1000.00", 1, 0),
        ("SEA", "0.00", "2000.00", 1, 1),
        ("SOCIAL_ADS", "500.00", "500.00", 0, 0),
        ("EMAILING", "0.00", "0.00", 1, 0),
        ("CONTENT", "0.00", "3000.00", 1, 0),
    ]
    .iter()
    .map(|(l, c, s, k, x)| ((*l).to_owned(), (*c).to_owned(), (*s).to_owned(), *k, *x))
    .collect();
    assert_eq!(levers, expected);
    assert_eq!(decimal_of(&proposal["levers"][1]["maxSpend"]), dec("5000"));
    assert_eq!(decimal_of(&proposal["levers"][4]["minSpend"]), dec("2500"));

    // The same request gives the same proposal and fingerprint; nothing was changed.
    let again = propose(&app, &viewer, example_input(&plan, "8000", "2500")).await;
    assert_eq!(again, proposal);
    assert_eq!(states(&app, &viewer, &ids).await, initial_states());
}

#[tokio::test]
async fn an_unreachable_minimum_is_reported_not_hidden() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    build_example(&app, &editor, &plan).await;
    // Ceiling 4000, 500 committed: E (3000) → 3500 for CONTENT's minimum of 5000, 2000 short;
    // then A (free); B would reach 4500. Starting with B keeps B and A but leaves CONTENT
    // 5000 short: the smaller shortfall wins.
    let proposal = propose(&app, &editor, example_input(&plan, "4000", "5000")).await;
    assert_eq!(titles(&proposal["kept"]), ["A", "E"]);
    assert_eq!(titles(&proposal["cut"]), ["B", "C", "D"]);
    assert_eq!(decimal_of(&proposal["remaining"]), dec("500"));
    assert_eq!(proposal["warnings"].as_array().unwrap().len(), 1);
    let warning = &proposal["warnings"][0];
    assert_eq!(warning["code"], "LEVER_MIN_NOT_MET");
    assert_eq!(warning["lever"], "CONTENT");
    assert_eq!(decimal_of(&warning["amount"]), dec("2000"));

    // DONE spend over the ceiling: only the free action is kept, and it is said.
    let proposal = propose(&app, &editor, json!({ "planId": plan, "ceiling": "100" })).await;
    assert_eq!(titles(&proposal["kept"]), ["A"]);
    assert_eq!(decimal_of(&proposal["remaining"]), dec("-400"));
    assert_eq!(proposal["warnings"][0]["code"], "COMMITTED_EXCEEDS_CEILING");
    assert_eq!(decimal_of(&proposal["warnings"][0]["amount"]), dec("400"));
}

#[tokio::test]
async fn invalid_requests_are_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let ids = build_example(&app, &editor, &plan).await;
    let query = arbitrage_query();

    let negative = json!({ "planId": plan, "ceiling": "-1" });
    let body = app.gql(&editor, &query, json!({ "input": negative })).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("input.ceiling")
    );

    let min_over_max = json!({ "planId": plan, "ceiling": "10", "leverBounds": [
        { "lever": "SEO", "minSpend": "6", "maxSpend": "5" } ] });
    let body = app
        .gql(&editor, &query, json!({ "input": min_over_max }))
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("input.leverBounds.0.minSpend")
    );

    let unknown =
        json!({ "planId": "UGxhbjowMTkwMDAwMDAwMDA3MDAwODAwMDAwMDAwMDAwMDAwMA", "ceiling": "10" });
    let body = app.gql(&editor, &query, json!({ "input": unknown })).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = app
        .gql(
            &editor,
            &query,
            json!({ "input": { "planId": ids[0].1, "ceiling": "10" } }),
        )
        .await;
    assert_eq!(
        error_code(&body),
        Some("NOT_FOUND"),
        "an action's ID is not a plan's: {body}"
    );

    // The mutation reports each problem at its path, and writes nothing.
    let payload = mutate_ok(
        &app,
        &editor,
        "applyArbitrage",
        &apply_selection(),
        json!({ "planId": plan, "ceiling": "-5", "fingerprint": "x", "leverBounds": [
            { "lever": "SEA", "minSpend": "10", "maxSpend": "2" },
            { "lever": "SEA", "maxSpend": "-1" },
            { "lever": "SEO", "minSpend": "0.0000001" } ] }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        [
            "input.ceiling: OUT_OF_RANGE",
            "input.leverBounds.0.minSpend: OUT_OF_RANGE",
            "input.leverBounds.1.lever: DUPLICATE",
            "input.leverBounds.1.maxSpend: OUT_OF_RANGE",
            "input.leverBounds.2.minSpend: TOO_PRECISE",
        ]
    );
    assert_eq!(payload["proposal"], Value::Null);
    assert_eq!(payload["cancelledActions"], json!([]));
    assert_eq!(states(&app, &editor, &ids).await, initial_states());
}

#[tokio::test]
async fn applying_cancels_exactly_the_cut_actions() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let ids = build_example(&app, &editor, &plan).await;
    // Ceiling 4000 without the minimum: A free; B → 1500; C 4500 no; D → 3500; E 6500 no.
    // Starting with C (4500 alone) or E (3000: then A, 3500 + B = 4500 no): 225 < 1075.
    let input = json!({ "planId": plan, "ceiling": "4000" });
    let proposal = propose(&app, &editor, input.clone()).await;
    assert_eq!(titles(&proposal["kept"]), ["A", "B", "D"]);
    assert_eq!(titles(&proposal["cut"]), ["C", "E"]);

    let mut apply = input.clone();
    apply["fingerprint"] = proposal["planVersion"].clone();
    let payload = mutate_ok(
        &app,
        &editor,
        "applyArbitrage",
        &apply_selection(),
        apply.clone(),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let cancelled: Vec<(&str, &str, i64)> = payload["cancelledActions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap(),
                a["status"].as_str().unwrap(),
                a["version"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(cancelled, [("C", "CANCELLED", 2), ("E", "CANCELLED", 2)]);
    assert_eq!(payload["proposal"]["planVersion"], proposal["planVersion"]);
    assert_eq!(titles(&payload["proposal"]["cut"]), ["C", "E"]);

    let mut expected = initial_states();
    for state in &mut expected {
        if state.0 == "C" || state.0 == "E" {
            state.1 = "CANCELLED".to_owned();
            state.2 = 2;
        }
    }
    assert_eq!(states(&app, &editor, &ids).await, expected);
    // The audit trail has one entry for the apply, with the moves.
    let audit = app
        .data(
            &app.token("acme", "admin"),
            "query($plan: ID!) { auditEvents(filter: { objectId: $plan, types: [ARBITRAGE_APPLIED] }) {
                totalCount nodes { objectType actor { subject role } details } } }",
            json!({ "plan": plan }),
        )
        .await;
    assert_eq!(audit["auditEvents"]["totalCount"], 1, "{audit}");
    let entry = &audit["auditEvents"]["nodes"][0];
    assert_eq!(entry["objectType"], "Plan");
    assert_eq!(entry["actor"]["role"], "EDITOR");
    assert_eq!(
        entry["details"]["cancelled"].as_array().map(Vec::len),
        Some(2)
    );

    // Applying the same fingerprint again is stale: the cancelled actions' versions moved.
    let body = mutate(&app, &editor, "applyArbitrage", &apply_selection(), apply).await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    // A new proposal has nothing left to cut.
    let proposal = propose(&app, &editor, input).await;
    assert_eq!(titles(&proposal["kept"]), ["A", "B", "D"]);
    assert_eq!(proposal["cut"]["count"], 0);
}

#[tokio::test]
async fn applying_after_a_change_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let ids = build_example(&app, &editor, &plan).await;
    let input = json!({ "planId": plan, "ceiling": "4000" });
    let proposal = propose(&app, &editor, input.clone()).await;
    let mut apply = input.clone();
    apply["fingerprint"] = proposal["planVersion"].clone();

    // A different ceiling than the proposal's is refused too.
    let mut other_ceiling = apply.clone();
    other_ceiling["ceiling"] = json!("4001");
    let body = mutate(
        &app,
        &editor,
        "applyArbitrage",
        &apply_selection(),
        other_ceiling,
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");

    // Someone renames a kept action: the proposal's fingerprint no longer matches.
    let d = &ids[3].1;
    let renamed = mutate_ok(
        &app,
        &editor,
        "updateAction",
        "action { version } userErrors { code }",
        json!({ "id": d, "expectedVersion": 1, "title": "D" }),
    )
    .await;
    assert_eq!(renamed["action"]["version"], 2);
    let body = mutate(&app, &editor, "applyArbitrage", &apply_selection(), apply).await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    let mut expected = initial_states();
    expected[3].2 = 2;
    assert_eq!(
        states(&app, &editor, &ids).await,
        expected,
        "nothing cancelled"
    );

    // A new plan version is visible in a new proposal.
    let fresh = propose(&app, &editor, input).await;
    assert_ne!(fresh["planVersion"], proposal["planVersion"]);
}

#[tokio::test]
async fn viewers_may_propose_but_not_apply_editors_and_admins_may() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let ids = build_example(&app, &editor, &plan).await;
    let input = json!({ "planId": plan, "ceiling": "4000" });
    let proposal = propose(&app, &viewer, input.clone()).await;
    let mut apply = input.clone();
    apply["fingerprint"] = proposal["planVersion"].clone();

    let body = mutate(
        &app,
        &viewer,
        "applyArbitrage",
        &apply_selection(),
        apply.clone(),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert_eq!(states(&app, &viewer, &ids).await, initial_states());

    let payload = mutate_ok(&app, &admin, "applyArbitrage", &apply_selection(), apply).await;
    assert_eq!(payload["cancelledActions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn another_tenants_plan_does_not_exist_and_its_actions_are_never_considered() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "editor");
    let globex = app.token("globex", "admin");
    let acme_plan = create_plan(&app, &acme, "Acme 2027").await;
    let globex_plan = create_plan(&app, &globex, "Globex 2027").await;
    let globex_ids = build_example(&app, &globex, &globex_plan).await;
    create_action(
        &app,
        &acme,
        &acme_plan,
        json!({ "title": "Only", "budget": "10" }),
    )
    .await;

    let globex_proposal = propose(
        &app,
        &globex,
        json!({ "planId": globex_plan, "ceiling": "4000" }),
    )
    .await;
    let body = app
        .gql(
            &acme,
            &arbitrage_query(),
            json!({ "input": { "planId": globex_plan, "ceiling": "4000" } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = mutate(
        &app,
        &acme,
        "applyArbitrage",
        &apply_selection(),
        json!({ "planId": globex_plan, "ceiling": "4000",
                "fingerprint": globex_proposal["planVersion"] }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    assert_eq!(states(&app, &globex, &globex_ids).await, initial_states());

    // Acme's proposal weighs acme's one action only, at a ceiling of 0: cut.
    let proposal = propose(&app, &acme, json!({ "planId": acme_plan, "ceiling": "0" })).await;
    assert_eq!(proposal["kept"]["count"], 0);
    assert_eq!(titles(&proposal["cut"]), ["Only"]);
    assert_eq!(decimal_of(&proposal["committed"]), dec("0"));
}

const COUNTED: &str = "query($input: ArbitrageInput!) { arbitrage(input: $input) { \
    planVersion plan { id name } kept { count actions { id title plan { id } campaign { id } } } \
    cut { count actions { id title plan { id } campaign { id } } } levers { lever } } }";

async fn proposal_cost(actions: usize) -> (u64, Value) {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    for n in 0..actions {
        let lever = ["SEO", "SEA", "CONTENT"][n % 3];
        create_action(
            &app,
            &editor,
            &plan,
            json!({ "title": format!("Action {n}"), "lever": lever, "budget": format!("{}", 100 * (n + 1)) }),
        )
        .await;
    }
    min_statements(
        &app,
        &editor,
        COUNTED,
        json!({ "input": { "planId": plan, "ceiling": "500" } }),
    )
    .await
}

#[tokio::test]
async fn a_proposal_costs_the_same_statements_for_2_or_12_actions() {
    let (few, few_data) = proposal_cost(2).await;
    let (many, many_data) = proposal_cost(12).await;
    assert_eq!(
        few_data["arbitrage"]["kept"]["count"].as_i64().unwrap()
            + few_data["arbitrage"]["cut"]["count"].as_i64().unwrap(),
        2
    );
    assert_eq!(
        many_data["arbitrage"]["kept"]["count"].as_i64().unwrap()
            + many_data["arbitrage"]["cut"]["count"].as_i64().unwrap(),
        12
    );
    eprintln!("arbitrage: {few} statements for 2 actions, {many} for 12");
    assert_eq!(few, many);
}
