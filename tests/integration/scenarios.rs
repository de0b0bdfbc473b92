//! Scenarios (issue 15): two scenarios compared with figures computed by hand, one applied
//! (the plan's budget report then equals it), a stale fingerprint refused with nothing written,
//! updates and validation, roles, tenancy probes from a second tenant, and the statement count
//! of a comparison. The README's "Scenarios" operations are run as written.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_action, create_campaign, create_plan, dec, decimal_of, error_code, mutate,
    mutate_ok, node, sql_integer, user_errors,
};

/// The README's section, from its heading to the next one.
fn readme_section() -> &'static str {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("## Scenarios\n")
        .expect("the README has a Scenarios section");
    let rest = &readme[start + 3..];
    let end = rest.find("\n## ").map_or(rest.len(), |end| end);
    &readme[start..start + 3 + end]
}

/// The README's GraphQL document of the Scenarios section.
fn readme_document() -> String {
    let section = readme_section();
    let start = section.find("```graphql\n").expect("a GraphQL example") + 11;
    let end = section[start..].find("```").expect("its end") + start;
    section[start..end].to_owned()
}

/// Runs the README's operation `name` with `variables`; returns the whole body.
async fn run_readme(app: &TestApp, token: &str, name: &str, variables: Value) -> Value {
    let body = json!({ "query": readme_document(), "variables": variables, "operationName": name });
    app.post(Some(token), &[], &body).await.1
}

/// The example plan of the README: its ID and those of its rows, by name.
struct World {
    plan: String,
    seo: String,
    sea: String,
    spring: String,
    summer: String,
    actions: HashMap<&'static str, String>,
}

/// One of the README's actions: (title, lever, budget, campaign, ICE inputs, status).
type ExampleAction = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    (i32, i32, i32),
    &'static str,
);

/// The README's actions.
const ACTIONS: [ExampleAction; 6] = [
    (
        "Blog articles",
        "SEO",
        "1000",
        Some("spring"),
        (5, 5, 5),
        "TODO",
    ),
    (
        "Search ads",
        "SEA",
        "4000",
        Some("spring"),
        (10, 8, 5),
        "TODO",
    ),
    (
        "Retargeting",
        "SEA",
        "2000",
        Some("summer"),
        (6, 5, 5),
        "IN_PROGRESS",
    ),
    ("Video guide", "CONTENT", "3000", None, (4, 5, 5), "TODO"),
    ("Site audit", "SEO", "500", None, (1, 1, 1), "DONE"),
    (
        "Old banner",
        "SEO",
        "9999",
        Some("summer"),
        (10, 10, 10),
        "CANCELLED",
    ),
];

async fn allocate(app: &TestApp, token: &str, plan: &str, lever: &str, budget: &str) -> String {
    let payload = mutate_ok(
        app,
        token,
        "createLeverAllocation",
        "leverAllocation { id } userErrors { field code }",
        json!({ "planId": plan, "lever": lever, "budget": budget, "priority": 1 }),
    )
    .await;
    payload["leverAllocation"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no allocation: {payload}"))
        .to_owned()
}

async fn world(app: &TestApp, token: &str, name: &str) -> World {
    let plan = create_plan(app, token, name).await;
    let seo = allocate(app, token, &plan, "SEO", "20000").await;
    let sea = allocate(app, token, &plan, "SEA", "30000").await;
    let spring = create_campaign(app, token, &plan, "Spring", &[]).await;
    let summer = create_campaign(app, token, &plan, "Summer", &[]).await;
    let mut actions = HashMap::new();
    for (title, lever, budget, campaign, (impact, confidence, ease), status) in ACTIONS {
        let campaign = match campaign {
            Some("spring") => json!(spring),
            Some(_) => json!(summer),
            None => Value::Null,
        };
        let id = create_action(
            app,
            token,
            &plan,
            json!({ "title": title, "lever": lever, "budget": budget, "campaignId": campaign,
                    "impact": impact, "confidence": confidence, "ease": ease,
                    "status": status }),
        )
        .await;
        actions.insert(title, id);
    }
    World {
        plan,
        seo,
        sea,
        spring,
        summer,
        actions,
    }
}

fn create_variables(world: &World) -> Value {
    json!({ "plan": world.plan, "seo": world.seo, "sea": world.sea, "spring": world.spring,
            "searchAds": world.actions["Search ads"],
            "videoGuide": world.actions["Video guide"] })
}

/// Creates Lean and Bold with the README's mutation; returns their IDs.
async fn create_both(app: &TestApp, token: &str, world: &World) -> (String, String) {
    let body = run_readme(app, token, "CreateScenarios", create_variables(world)).await;
    assert!(body.get("errors").is_none(), "{body}");
    let data = &body["data"];
    assert_eq!(data["lean"]["userErrors"], json!([]), "{body}");
    assert_eq!(data["bold"]["userErrors"], json!([]), "{body}");
    (
        data["lean"]["scenario"]["id"].as_str().unwrap().to_owned(),
        data["bold"]["scenario"]["id"].as_str().unwrap().to_owned(),
    )
}

async fn compare(app: &TestApp, token: &str, plan: &str) -> Value {
    let body = run_readme(app, token, "Compare", json!({ "plan": plan })).await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"]["scenarioComparison"].clone()
}

/// `(text, decimal)` pairs compared as exact decimals.
fn assert_amounts(value: &Value, expected: &[(&str, &str)], what: &str) {
    for (field, amount) in expected {
        assert_eq!(
            decimal_of(&value[field]),
            dec(amount),
            "{what}: {field} in {value}"
        );
    }
}

/// The lines of `byLever` as (lever, allocated or None, allocated difference, actions,
/// actions difference).
fn levers(column: &Value) -> Vec<(String, Option<String>, String, String, String)> {
    column["byLever"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| {
            (
                line["lever"].as_str().unwrap().to_owned(),
                line["allocated"]
                    .as_str()
                    .map(|_| decimal_of(&line["allocated"]).normalize().to_string()),
                decimal_of(&line["allocatedDifference"])
                    .normalize()
                    .to_string(),
                decimal_of(&line["actions"]).normalize().to_string(),
                decimal_of(&line["actionsDifference"])
                    .normalize()
                    .to_string(),
            )
        })
        .collect()
}

/// The lines of `byCampaign` as (name or None, budget, difference, actions, difference).
fn campaigns(column: &Value) -> Vec<(Option<String>, String, String, String, String)> {
    column["byCampaign"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| {
            (
                line["campaign"]["name"].as_str().map(str::to_owned),
                decimal_of(&line["budget"]).normalize().to_string(),
                decimal_of(&line["budgetDifference"])
                    .normalize()
                    .to_string(),
                decimal_of(&line["actions"]).normalize().to_string(),
                decimal_of(&line["actionsDifference"])
                    .normalize()
                    .to_string(),
            )
        })
        .collect()
}

type LeverRow = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
);
type CampaignRow = (
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

fn owned_levers(rows: &[LeverRow]) -> Vec<(String, Option<String>, String, String, String)> {
    rows.iter()
        .map(|(l, a, ad, x, xd)| {
            (
                (*l).to_owned(),
                a.map(str::to_owned),
                (*ad).to_owned(),
                (*x).to_owned(),
                (*xd).to_owned(),
            )
        })
        .collect()
}

fn owned_campaigns(rows: &[CampaignRow]) -> Vec<(Option<String>, String, String, String, String)> {
    rows.iter()
        .map(|(c, b, bd, x, xd)| {
            (
                c.map(str::to_owned),
                (*b).to_owned(),
                (*bd).to_owned(),
                (*x).to_owned(),
                (*xd).to_owned(),
            )
        })
        .collect()
}

fn titles(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn two_scenarios_compare_with_the_figures_computed_by_hand() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let world = world(&app, &editor, "Plan 2027").await;
    let (lean, bold) = create_both(&app, &editor, &world).await;
    let comparison = compare(&app, &viewer, &world.plan).await;

    // The plan: allocations 20000 + 30000; campaigns 1000 + 1000; actions not cancelled
    // 1000 + 4000 + 2000 + 3000 + 500. Its arbitrage under its budget keeps every candidate:
    // 100000 − 500 (the audit, DONE) − 10000.
    let current = &comparison["current"];
    assert_amounts(
        &current["totals"],
        &[
            ("allocated", "50000"),
            ("campaigns", "2000"),
            ("actions", "10500"),
        ],
        "plan",
    );
    assert_amounts(
        &current["arbitrage"],
        &[("ceiling", "100000"), ("remaining", "89500")],
        "plan",
    );

    let scenarios = comparison["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 2);
    let (bold_column, lean_column) = (&scenarios[0], &scenarios[1]);
    assert_eq!(bold_column["scenario"]["id"], bold.as_str(), "by name");
    assert_eq!(lean_column["scenario"]["id"], lean.as_str());

    // Lean: SEA 30000 → 15000, Spring 1000 → 3000, Search ads 4000 → 2500.
    assert_eq!(lean_column["changedBudgets"], 3);
    assert_amounts(
        &lean_column["totals"],
        &[
            ("allocated", "35000"),
            ("allocatedDifference", "-15000"),
            ("campaigns", "4000"),
            ("campaignsDifference", "2000"),
            ("actions", "9000"),
            ("actionsDifference", "-1500"),
        ],
        "lean",
    );
    assert_eq!(
        levers(lean_column),
        owned_levers(&[
            ("SEO", Some("20000"), "0", "1500", "0"),
            ("SEA", Some("15000"), "-15000", "4500", "-1500"),
            ("CONTENT", None, "0", "3000", "0"),
        ])
    );
    assert_eq!(
        campaigns(lean_column),
        owned_campaigns(&[
            (Some("Spring"), "3000", "2000", "3500", "-1500"),
            (Some("Summer"), "1000", "0", "2000", "0"),
            (None, "0", "0", "3500", "0"),
        ])
    );
    assert_eq!(lean_column["warnings"], json!([]));
    // Under 6000 with 500 committed, by ICE per unit of cost: Search ads 400/2500, Blog
    // articles 125/1000, Retargeting 150/2000 (6000 reached), Video guide 100/3000 cut.
    // Starting with the Video guide instead keeps it and Search ads: 500 < 675.
    let arbitrage = &lean_column["arbitrage"];
    assert_amounts(
        arbitrage,
        &[
            ("ceiling", "6000"),
            ("committed", "500"),
            ("remaining", "0"),
        ],
        "lean arbitrage",
    );
    assert_eq!(arbitrage["kept"]["count"], 3);
    assert_eq!(decimal_of(&arbitrage["kept"]["budget"]), dec("5500"));
    assert_eq!(arbitrage["kept"]["iceScore"], 400 + 125 + 150);
    assert_eq!(titles(&arbitrage["cutActions"]), ["Video guide"]);

    // Bold: a copy of the plan, then SEO 20000 → 90000 and the Video guide 3000 → 6000.
    assert_eq!(bold_column["changedBudgets"], 2);
    assert_amounts(
        &bold_column["totals"],
        &[
            ("allocated", "120000"),
            ("allocatedDifference", "70000"),
            ("campaigns", "2000"),
            ("campaignsDifference", "0"),
            ("actions", "13500"),
            ("actionsDifference", "3000"),
        ],
        "bold",
    );
    assert_eq!(
        levers(bold_column),
        owned_levers(&[
            ("SEO", Some("90000"), "70000", "1500", "0"),
            ("SEA", Some("30000"), "0", "6000", "0"),
            ("CONTENT", None, "0", "6000", "3000"),
        ])
    );
    assert_eq!(
        campaigns(bold_column),
        owned_campaigns(&[
            (Some("Spring"), "1000", "0", "5000", "0"),
            (Some("Summer"), "1000", "0", "2000", "0"),
            (None, "0", "0", "6500", "3000"),
        ])
    );
    assert_eq!(
        bold_column["warnings"][0]["code"], "LEVER_ALLOCATIONS_EXCEED_BUDGET",
        "{bold_column}"
    );
    let arbitrage = &bold_column["arbitrage"];
    assert_amounts(
        arbitrage,
        &[("ceiling", "100000"), ("remaining", "86500")],
        "bold arbitrage",
    );
    assert_eq!(arbitrage["kept"]["count"], 4);
    assert_eq!(decimal_of(&arbitrage["kept"]["budget"]), dec("13000"));
    assert_eq!(arbitrage["cutActions"], json!([]));

    // Asking for them by ID keeps the order asked; reading twice gives the same answer.
    let asked = app
        .data(
            &viewer,
            "query($plan: ID!, $ids: [ID!]) { scenarioComparison(planId: $plan, scenarioIds: $ids) { fingerprint scenarios { scenario { name } } } }",
            json!({ "plan": world.plan, "ids": [lean, bold] }),
        )
        .await;
    let names: Vec<&str> = asked["scenarioComparison"]["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["scenario"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Lean", "Bold"]);
    assert_eq!(
        asked["scenarioComparison"]["fingerprint"],
        comparison["fingerprint"]
    );
    assert_eq!(compare(&app, &viewer, &world.plan).await, comparison);
    // At most 20 at once.
    let many: Vec<String> = (0..21)
        .map(|n| {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(format!("Scenario:{:032x}", n + 1))
        })
        .collect();
    let body = app
        .gql(
            &viewer,
            "query($plan: ID!, $ids: [ID!]) { scenarioComparison(planId: $plan, scenarioIds: $ids) { fingerprint } }",
            json!({ "plan": world.plan, "ids": many }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");

    // Plan.scenarios lists them by name, with Lean's three budgets.
    let plan = node(
        &app,
        &viewer,
        &world.plan,
        "... on Plan { scenarios { name arbitrageCeiling budgets { kind targetId budget } } }",
    )
    .await;
    assert_eq!(plan["scenarios"][0]["name"], "Bold");
    assert_eq!(
        plan["scenarios"][0]["budgets"].as_array().unwrap().len(),
        10
    );
    let lean_budgets: Vec<(String, String, String)> = plan["scenarios"][1]["budgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["kind"].as_str().unwrap().to_owned(),
                b["targetId"].as_str().unwrap().to_owned(),
                decimal_of(&b["budget"]).normalize().to_string(),
            )
        })
        .collect();
    let mut lean_budgets_sorted = lean_budgets.clone();
    lean_budgets_sorted.sort();
    let mut expected = vec![
        (
            "LEVER_ALLOCATION".to_owned(),
            world.sea.clone(),
            "15000".to_owned(),
        ),
        (
            "CAMPAIGN".to_owned(),
            world.spring.clone(),
            "3000".to_owned(),
        ),
        (
            "ACTION".to_owned(),
            world.actions["Search ads"].clone(),
            "2500".to_owned(),
        ),
    ];
    expected.sort();
    assert_eq!(lean_budgets_sorted, expected);
    assert_eq!(
        decimal_of(&plan["scenarios"][1]["arbitrageCeiling"]),
        dec("6000")
    );
}

/// (budget, version) of a lever allocation, campaign or action through `node`.
async fn budget_and_version(app: &TestApp, token: &str, id: &str) -> (String, i64) {
    let row = node(
        app,
        token,
        id,
        "... on LeverAllocation { budget version } ... on Campaign { budget version } \
         ... on Action { budget version }",
    )
    .await;
    (
        decimal_of(&row["budget"]).normalize().to_string(),
        row["version"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn applying_a_scenario_writes_its_budgets_and_the_budget_report_follows() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let world = world(&app, &editor, "Plan 2027").await;
    let (lean, _) = create_both(&app, &editor, &world).await;
    let comparison = compare(&app, &editor, &world.plan).await;

    let body = run_readme(
        &app,
        &editor,
        "Apply",
        json!({ "scenario": lean, "fingerprint": comparison["fingerprint"] }),
    )
    .await;
    assert!(body.get("errors").is_none(), "{body}");
    let payload = &body["data"]["applyScenario"];
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["updatedLeverAllocations"][0]["lever"], "SEA");
    assert_eq!(payload["updatedLeverAllocations"][0]["version"], 2);
    assert_eq!(payload["updatedCampaigns"][0]["name"], "Spring");
    assert_eq!(
        decimal_of(&payload["updatedCampaigns"][0]["budget"]),
        dec("3000")
    );
    assert_eq!(titles(&payload["updatedActions"]), ["Search ads"]);
    assert_eq!(payload["warnings"], json!([]));

    for (id, expected) in [
        (&world.sea, ("15000", 2)),
        (&world.spring, ("3000", 2)),
        (&world.actions["Search ads"], ("2500", 2)),
        (&world.seo, ("20000", 1)),
        (&world.summer, ("1000", 1)),
        (&world.actions["Video guide"], ("3000", 1)),
    ] {
        assert_eq!(
            budget_and_version(&app, &editor, id).await,
            (expected.0.to_owned(), expected.1)
        );
    }

    // The plan's budget report plans what the scenario said.
    let report = node(
        &app,
        &editor,
        &world.plan,
        "... on Plan { budgetReport { byLever { lever plannedSource planned } \
         byCampaign { campaign { name } planned } } }",
    )
    .await;
    let by_lever: Vec<(String, String)> = report["budgetReport"]["byLever"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["lever"].as_str().unwrap().to_owned(),
                decimal_of(&l["planned"]).normalize().to_string(),
            )
        })
        .collect();
    assert_eq!(
        by_lever,
        [
            ("SEO".to_owned(), "20000".to_owned()),
            ("SEA".to_owned(), "15000".to_owned()),
            ("CONTENT".to_owned(), "3000".to_owned()),
        ]
    );
    assert_eq!(
        decimal_of(&report["budgetReport"]["byCampaign"][0]["planned"]),
        dec("3000")
    );

    // A new comparison: the plan now is Lean; its fingerprint is the one the apply returned.
    let after = compare(&app, &editor, &world.plan).await;
    assert_eq!(after["fingerprint"], payload["fingerprint"]);
    assert_ne!(after["fingerprint"], comparison["fingerprint"]);
    let lean_after = &after["scenarios"][1];
    assert_eq!(lean_after["changedBudgets"], 0);
    for field in ["allocated", "campaigns", "actions"] {
        assert_eq!(
            lean_after["totals"][field],
            after["current"]["totals"][field]
        );
        let difference = format!("{field}Difference");
        assert_eq!(decimal_of(&lean_after["totals"][&difference]), dec("0"));
    }
    for line in lean_after["byLever"]
        .as_array()
        .unwrap()
        .iter()
        .chain(lean_after["byCampaign"].as_array().unwrap())
    {
        for (field, value) in line.as_object().unwrap() {
            if field.ends_with("Difference") {
                assert_eq!(decimal_of(value), dec("0"), "{line}");
            }
        }
    }
    assert_eq!(
        decimal_of(&after["current"]["totals"]["allocated"]),
        dec("35000")
    );

    // The old fingerprint is stale now.
    let body = run_readme(
        &app,
        &editor,
        "Apply",
        json!({ "scenario": lean, "fingerprint": comparison["fingerprint"] }),
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
}

#[tokio::test]
async fn a_stale_fingerprint_or_version_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let world = world(&app, &editor, "Plan 2027").await;
    let (lean, _) = create_both(&app, &editor, &world).await;
    let comparison = compare(&app, &editor, &world.plan).await;
    let fingerprint = comparison["fingerprint"].clone();
    let apply = "scenario { id } updatedActions { id } fingerprint userErrors { field code }";

    // A stale scenario version.
    let body = mutate(
        &app,
        &editor,
        "applyScenario",
        apply,
        json!({ "scenarioId": lean, "fingerprint": fingerprint, "expectedVersion": 7 }),
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");

    // Someone renames an action the scenario does not even touch: the plan changed.
    let retargeting = &world.actions["Retargeting"];
    let renamed = mutate_ok(
        &app,
        &editor,
        "updateAction",
        "action { version } userErrors { code }",
        json!({ "id": retargeting, "expectedVersion": 1, "title": "Retargeting (video)" }),
    )
    .await;
    assert_eq!(renamed["action"]["version"], 2);
    let body = mutate(
        &app,
        &editor,
        "applyScenario",
        apply,
        json!({ "scenarioId": lean, "fingerprint": fingerprint, "expectedVersion": 1 }),
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    for (id, expected) in [
        (&world.sea, ("30000", 1)),
        (&world.spring, ("1000", 1)),
        (&world.actions["Search ads"], ("4000", 1)),
    ] {
        assert_eq!(
            budget_and_version(&app, &editor, id).await,
            (expected.0.to_owned(), expected.1),
            "nothing written"
        );
    }
    // Another action added to the plan changes the fingerprint too.
    let fresh = compare(&app, &editor, &world.plan).await["fingerprint"].clone();
    assert_ne!(fresh, fingerprint);
    create_action(&app, &editor, &world.plan, json!({ "title": "Late idea" })).await;
    let body = mutate(
        &app,
        &editor,
        "applyScenario",
        apply,
        json!({ "scenarioId": lean, "fingerprint": fresh }),
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");

    // A malformed fingerprint is the input's problem, not a conflict.
    let payload = mutate_ok(
        &app,
        &editor,
        "applyScenario",
        apply,
        json!({ "scenarioId": lean, "fingerprint": "" }),
    )
    .await;
    assert_eq!(user_errors(&payload), ["input.fingerprint: REQUIRED"]);
    assert_eq!(payload["scenario"], Value::Null);
    assert_eq!(
        budget_and_version(&app, &editor, &world.sea).await,
        ("30000".to_owned(), 1)
    );

    // With the current fingerprint it goes through.
    let current = compare(&app, &editor, &world.plan).await["fingerprint"].clone();
    let payload = mutate_ok(
        &app,
        &editor,
        "applyScenario",
        apply,
        json!({ "scenarioId": lean, "fingerprint": current, "expectedVersion": 1 }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["updatedActions"].as_array().unwrap().len(), 1);
}

const SCENARIO: &str = "scenario { id name description arbitrageCeiling version \
    budgets { kind targetId budget } } userErrors { field message code }";

#[tokio::test]
async fn updates_set_and_clear_budgets_and_invalid_input_writes_nothing() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let world = world(&app, &editor, "Plan 2027").await;
    let other_plan = world_other_plan(&app, &editor).await;

    let created = mutate_ok(
        &app,
        &editor,
        "createScenario",
        SCENARIO,
        json!({ "planId": world.plan, "name": "Trim", "budgets": [
            { "id": world.sea, "budget": "25000" } ] }),
    )
    .await;
    assert_eq!(created["userErrors"], json!([]));
    let id = created["scenario"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["scenario"]["version"], 1);
    assert_eq!(created["scenario"]["arbitrageCeiling"], Value::Null);

    // Every problem at its path; nothing written.
    let before = sql_integer(&app, "SELECT COUNT(*) FROM scenario_budgets").await;
    let payload = mutate_ok(
        &app,
        &editor,
        "updateScenario",
        SCENARIO,
        json!({ "id": id, "expectedVersion": 1, "name": " ", "arbitrageCeiling": "-1",
                "setBudgets": [
                    { "id": world.spring, "budget": "-5" },
                    { "id": world.summer, "budget": "1.0000001" },
                    { "id": other_plan, "budget": "10" },
                    { "id": world.plan, "budget": "10" },
                    { "id": world.spring, "budget": "5" } ],
                "clearBudgets": [world.sea, "not an id"] }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        [
            "input.name: REQUIRED",
            "input.arbitrageCeiling: OUT_OF_RANGE",
            "input.setBudgets.0.budget: OUT_OF_RANGE",
            "input.setBudgets.1.budget: TOO_PRECISE",
            "input.setBudgets.2.id: NOT_FOUND",
            "input.setBudgets.3.id: NOT_FOUND",
            "input.setBudgets.4.id: DUPLICATE",
            "input.clearBudgets.1: NOT_FOUND",
        ]
    );
    assert_eq!(payload["scenario"], Value::Null);
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM scenario_budgets").await,
        before
    );

    // Set one, clear another, set a ceiling: one new version.
    let payload = mutate_ok(
        &app,
        &editor,
        "updateScenario",
        SCENARIO,
        json!({ "id": id, "expectedVersion": 1, "description": "Shift to the spring",
                "arbitrageCeiling": "7000.50",
                "setBudgets": [{ "id": world.spring, "budget": "2500" }],
                "clearBudgets": [world.sea] }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    let scenario = &payload["scenario"];
    assert_eq!(scenario["version"], 2);
    assert_eq!(scenario["arbitrageCeiling"], "7000.50");
    assert_eq!(scenario["description"], "Shift to the spring");
    assert_eq!(
        scenario["budgets"],
        json!([{ "kind": "CAMPAIGN", "targetId": world.spring, "budget": "2500.00" }])
    );

    // A stale version is a conflict; a duplicate name a user error.
    let body = mutate(
        &app,
        &editor,
        "updateScenario",
        SCENARIO,
        json!({ "id": id, "expectedVersion": 1, "name": "Again" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    let payload = mutate_ok(
        &app,
        &editor,
        "createScenario",
        SCENARIO,
        json!({ "planId": world.plan, "name": "Trim" }),
    )
    .await;
    assert_eq!(user_errors(&payload), ["input.name: DUPLICATE"]);

    // Clearing the ceiling: the plan's budget again, in the comparison too.
    let payload = mutate_ok(
        &app,
        &editor,
        "updateScenario",
        SCENARIO,
        json!({ "id": id, "expectedVersion": 2, "arbitrageCeiling": null }),
    )
    .await;
    assert_eq!(payload["scenario"]["arbitrageCeiling"], Value::Null);
    assert_eq!(payload["scenario"]["version"], 3);
    let comparison = compare(&app, &editor, &world.plan).await;
    assert_eq!(
        decimal_of(&comparison["scenarios"][0]["arbitrage"]["ceiling"]),
        dec("100000")
    );

    // Deleting the campaign drops the scenario's budget for it.
    let admin = app.token("acme", "admin");
    let deleted = mutate_ok(
        &app,
        &admin,
        "deleteCampaign",
        "deletedId userErrors { code }",
        json!({ "id": world.spring }),
    )
    .await;
    assert_eq!(deleted["deletedId"], world.spring.as_str());
    let scenario = node(&app, &editor, &id, "... on Scenario { budgets { kind } }").await;
    assert_eq!(scenario["budgets"], json!([]));
}

/// A campaign of a second plan of acme's, for links across plans.
async fn world_other_plan(app: &TestApp, token: &str) -> String {
    let plan = create_plan(app, token, "Other plan").await;
    create_campaign(app, token, &plan, "Elsewhere", &[]).await
}

#[tokio::test]
async fn viewers_compare_editors_write_and_apply_admins_delete() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let admin = app.token("acme", "admin");
    let world = world(&app, &editor, "Plan 2027").await;

    let body = run_readme(&app, &viewer, "CreateScenarios", create_variables(&world)).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let (lean, _) = create_both(&app, &editor, &world).await;
    let comparison = compare(&app, &viewer, &world.plan).await;
    let body = run_readme(
        &app,
        &viewer,
        "Apply",
        json!({ "scenario": lean, "fingerprint": comparison["fingerprint"] }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = mutate(
        &app,
        &editor,
        "deleteScenario",
        "deletedId userErrors { code }",
        json!({ "id": lean }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    let deleted = mutate_ok(
        &app,
        &admin,
        "deleteScenario",
        "deletedId userErrors { code }",
        json!({ "id": lean }),
    )
    .await;
    assert_eq!(deleted["deletedId"], lean.as_str());
    assert_eq!(
        sql_integer(
            &app,
            "SELECT COUNT(*) FROM scenario_budgets WHERE lever_allocation_id IS NOT NULL AND budget_micros = 15000000000"
        )
        .await,
        0,
        "its budgets went with it"
    );
    assert_eq!(
        budget_and_version(&app, &admin, &world.sea).await,
        ("30000".to_owned(), 1),
        "the plan is left alone"
    );
    let comparison = compare(&app, &viewer, &world.plan).await;
    assert_eq!(comparison["scenarios"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn another_tenants_scenarios_do_not_exist() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "admin");
    let globex = app.token("globex", "admin");
    let world = world(&app, &acme, "Acme 2027").await;
    let (lean, _) = create_both(&app, &acme, &world).await;
    let comparison = compare(&app, &acme, &world.plan).await;
    let globex_plan = create_plan(&app, &globex, "Globex 2027").await;
    let globex_campaign = create_campaign(&app, &globex, &globex_plan, "Theirs", &[]).await;
    let selection = "__typename ... on Scenario { id name version }";
    let before = node(&app, &acme, &lean, selection).await;
    assert_eq!(before["__typename"], "Scenario");

    // Read: node and nodes give null.
    let body = app
        .gql(
            &globex,
            "query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }",
            json!({ "id": lean }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["node"], Value::Null);
    assert_eq!(body["data"]["nodes"], json!([null]));

    // List: acme's plan is not found; globex's plan lists nothing; acme's scenario cannot be
    // compared with globex's plan.
    let body = run_readme(&app, &globex, "Compare", json!({ "plan": world.plan })).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let theirs = compare(&app, &globex, &globex_plan).await;
    assert_eq!(theirs["scenarios"], json!([]));
    let listed = node(
        &app,
        &globex,
        &globex_plan,
        "... on Plan { scenarios { id } }",
    )
    .await;
    assert_eq!(listed["scenarios"], json!([]));
    let body = app
        .gql(
            &globex,
            "query($plan: ID!, $ids: [ID!]) { scenarioComparison(planId: $plan, scenarioIds: $ids) { fingerprint } }",
            json!({ "plan": globex_plan, "ids": [lean] }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");

    // Update, delete, apply: NOT_FOUND, nothing changed.
    let body = mutate(
        &app,
        &globex,
        "updateScenario",
        SCENARIO,
        json!({ "id": lean, "expectedVersion": 1, "name": "Mine" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = mutate(
        &app,
        &globex,
        "deleteScenario",
        "deletedId userErrors { code }",
        json!({ "id": lean }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = run_readme(
        &app,
        &globex,
        "Apply",
        json!({ "scenario": lean, "fingerprint": comparison["fingerprint"] }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    assert_eq!(node(&app, &acme, &lean, selection).await, before);
    assert_eq!(
        budget_and_version(&app, &acme, &world.sea).await,
        ("30000".to_owned(), 1)
    );

    // Link by ID: acme's rows in globex's scenario, globex's campaign in acme's: NOT_FOUND
    // user errors, nothing written.
    let payload = mutate_ok(
        &app,
        &globex,
        "createScenario",
        SCENARIO,
        json!({ "planId": globex_plan, "name": "Borrowed", "budgets": [
            { "id": world.spring, "budget": "1" }, { "id": world.sea, "budget": "1" } ] }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        [
            "input.budgets.0.id: NOT_FOUND",
            "input.budgets.1.id: NOT_FOUND"
        ]
    );
    let payload = mutate_ok(
        &app,
        &acme,
        "updateScenario",
        SCENARIO,
        json!({ "id": lean, "expectedVersion": 1,
                "setBudgets": [{ "id": globex_campaign, "budget": "1" }],
                "clearBudgets": [globex_campaign] }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        [
            "input.setBudgets.0.id: NOT_FOUND",
            "input.clearBudgets.0: NOT_FOUND"
        ]
    );
    // And a scenario of acme's plan cannot be created in globex's name.
    let body = mutate(
        &app,
        &globex,
        "createScenario",
        SCENARIO,
        json!({ "planId": world.plan, "name": "Intruder" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM scenarios").await,
        2,
        "only acme's two"
    );
    assert_eq!(node(&app, &acme, &lean, selection).await, before);
}

const COUNTED: &str = "query($plan: ID!) { scenarioComparison(planId: $plan) { fingerprint \
    plan { name } current { totals { allocated } byCampaign { campaign { name } budget } \
    arbitrage { keptActions { title } } } \
    scenarios { scenario { name plan { name } budgets { kind budget campaign { name } } } \
    byLever { lever allocated } byCampaign { campaign { name } budget } \
    arbitrage { kept { count } keptActions { title } cutActions { title } } } } }";

async fn comparison_cost(scenarios: usize) -> (u64, Value) {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let world = world(&app, &editor, "Plan 2027").await;
    for n in 0..scenarios {
        let payload = mutate_ok(
            &app,
            &editor,
            "createScenario",
            SCENARIO,
            json!({ "planId": world.plan, "name": format!("Scenario {n}"), "budgets": [
                { "id": world.spring, "budget": format!("{}", 100 * (n + 1)) } ] }),
        )
        .await;
        assert_eq!(payload["userErrors"], json!([]));
    }
    crate::support::min_statements(&app, &editor, COUNTED, json!({ "plan": world.plan })).await
}

#[tokio::test]
async fn a_comparison_costs_the_same_statements_for_1_or_4_scenarios() {
    let (one, one_data) = comparison_cost(1).await;
    let (four, four_data) = comparison_cost(4).await;
    assert_eq!(
        one_data["scenarioComparison"]["scenarios"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        four_data["scenarioComparison"]["scenarios"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    eprintln!("scenarioComparison: {one} statements for 1 scenario, {four} for 4");
    assert_eq!(one, four);
}
