//! The strategy layer, market analysis and SWOT/PEST: market trends, competitors, SWOT items
//! and PEST factors round-trip, update with `expectedVersion` (stale → CONFLICT), delete, and
//! refuse invalid input in `userErrors` with nothing written.

use serde_json::{Value, json};

use crate::support::{TestApp, create_plan, error_code, mutate, mutate_ok, node, user_errors};

pub(crate) const TREND_FIELDS: &str =
    "id statement description source impact version createdAt updatedAt plan { id }";
pub(crate) const COMPETITOR_FIELDS: &str = "id name website positioning strategyNotes levers \
                                             strengths weaknesses version plan { id }";
pub(crate) const SWOT_FIELDS: &str = "id quadrant statement impact version plan { id }";
pub(crate) const PEST_FIELDS: &str = "id category statement impact likelihood version plan { id }";

/// The strategy lists of a plan, read through `plan(id:)`.
pub(crate) async fn strategy_of(app: &TestApp, token: &str, plan: &str) -> Value {
    app.data(
        token,
        &format!(
            "query($id: ID!) {{ plan(id: $id) {{ \
               marketTrends {{ {TREND_FIELDS} }} competitors {{ {COMPETITOR_FIELDS} }} \
               swotItems {{ {SWOT_FIELDS} }} pestFactors {{ {PEST_FIELDS} }} \
               brand {{ id version values mission }} marketingMix {{ dimension text }} \
               segments {{ id name personas {{ id }} }} }} }}"
        ),
        json!({ "id": plan }),
    )
    .await["plan"]
        .clone()
}

/// Creates a row through `field` (createX) and returns its payload object named `object`.
pub(crate) async fn create_ok(
    app: &TestApp,
    token: &str,
    field: &str,
    object: &str,
    fields: &str,
    input: Value,
) -> Value {
    let payload = mutate_ok(
        app,
        token,
        field,
        &format!("{object} {{ {fields} }} userErrors {{ field message code }}"),
        input,
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    payload[object].clone()
}

/// Runs a mutation that must be refused with user errors; returns them as `path: CODE`.
pub(crate) async fn refused(
    app: &TestApp,
    token: &str,
    field: &str,
    object: &str,
    input: Value,
) -> Vec<String> {
    refused_selecting(app, token, field, object, "id", input).await
}

/// Like [`refused`], selecting `fields` of the payload's `object`.
pub(crate) async fn refused_selecting(
    app: &TestApp,
    token: &str,
    field: &str,
    object: &str,
    fields: &str,
    input: Value,
) -> Vec<String> {
    let payload = mutate_ok(
        app,
        token,
        field,
        &format!("{object} {{ {fields} }} userErrors {{ field message code }}"),
        input,
    )
    .await;
    assert_eq!(payload[object], Value::Null, "{payload}");
    user_errors(&payload)
}

fn id_of(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_market_trend_round_trips_updates_with_its_version_and_deletes() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let created = create_ok(
        &app,
        &editor,
        "createMarketTrend",
        "marketTrend",
        TREND_FIELDS,
        json!({ "planId": plan, "statement": "  Mobile commerce keeps growing  ",
                "description": "60 % of orders on phones", "source": "FEVAD 2026", "impact": 4 }),
    )
    .await;
    assert_eq!(
        created["statement"], "Mobile commerce keeps growing",
        "trimmed"
    );
    assert_eq!(created["description"], "60 % of orders on phones");
    assert_eq!(created["source"], "FEVAD 2026");
    assert_eq!(created["impact"], 4);
    assert_eq!(created["version"], 1);
    assert_eq!(created["plan"]["id"], plan.as_str());
    let id = id_of(&created);
    let read = node(
        &app,
        &editor,
        &id,
        &format!("... on MarketTrend {{ {TREND_FIELDS} }}"),
    )
    .await;
    assert_eq!(read, created);
    assert_eq!(
        strategy_of(&app, &editor, &plan).await["marketTrends"],
        json!([created])
    );

    let update = |version: i64| {
        json!({ "id": id, "expectedVersion": version, "description": null, "impact": 5,
                "statement": "Mobile commerce dominates" })
    };
    let updated = mutate_ok(
        &app,
        &editor,
        "updateMarketTrend",
        &format!("marketTrend {{ {TREND_FIELDS} }} userErrors {{ code }}"),
        update(1),
    )
    .await["marketTrend"]
        .clone();
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["description"], Value::Null, "null clears");
    assert_eq!(updated["source"], "FEVAD 2026", "omitted stays");
    assert_eq!(updated["impact"], 5);
    assert_eq!(updated["statement"], "Mobile commerce dominates");

    let stale = mutate(
        &app,
        &editor,
        "updateMarketTrend",
        "marketTrend { id }",
        update(1),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    let read = node(&app, &editor, &id, "... on MarketTrend { version impact }").await;
    assert_eq!(read, json!({ "version": 2, "impact": 5 }));

    let deleted = mutate_ok(
        &app,
        &admin,
        "deleteMarketTrend",
        "deletedId userErrors { code }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(deleted["deletedId"], id.as_str());
    assert_eq!(node(&app, &editor, &id, "id").await, Value::Null);
    assert_eq!(
        strategy_of(&app, &editor, &plan).await["marketTrends"],
        json!([])
    );
    let again = mutate(
        &app,
        &admin,
        "deleteMarketTrend",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(error_code(&again), Some("NOT_FOUND"));
}

#[tokio::test]
async fn a_competitor_keeps_its_levers_in_order_and_its_lists() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let created = create_ok(
        &app,
        &editor,
        "createCompetitor",
        "competitor",
        COMPETITOR_FIELDS,
        json!({ "planId": plan, "name": "Rival SA", "website": "https://rival.example",
                "positioning": "Cheapest in town", "strategyNotes": "Heavy on paid search",
                "levers": ["SEA", "SOCIAL_ADS", "SEA", "EMAILING"],
                "strengths": ["Price", " Brand awareness "], "weaknesses": ["Support"] }),
    )
    .await;
    assert_eq!(created["name"], "Rival SA");
    assert_eq!(created["website"], "https://rival.example");
    assert_eq!(created["positioning"], "Cheapest in town");
    assert_eq!(created["strategyNotes"], "Heavy on paid search");
    assert_eq!(
        created["levers"],
        json!(["SEA", "SOCIAL_ADS", "EMAILING"]),
        "in order, without repeats"
    );
    assert_eq!(created["strengths"], json!(["Price", "Brand awareness"]));
    assert_eq!(created["weaknesses"], json!(["Support"]));
    let id = id_of(&created);
    assert_eq!(
        node(
            &app,
            &editor,
            &id,
            &format!("... on Competitor {{ {COMPETITOR_FIELDS} }}")
        )
        .await,
        created
    );

    let updated = mutate_ok(
        &app,
        &editor,
        "updateCompetitor",
        &format!("competitor {{ {COMPETITOR_FIELDS} }} userErrors {{ code }}"),
        json!({ "id": id, "expectedVersion": 1, "website": null, "levers": ["SEO"],
                "weaknesses": [] }),
    )
    .await["competitor"]
        .clone();
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["website"], Value::Null);
    assert_eq!(updated["levers"], json!(["SEO"]));
    assert_eq!(updated["weaknesses"], json!([]));
    assert_eq!(updated["strengths"], json!(["Price", "Brand awareness"]));
    let stale = mutate(
        &app,
        &editor,
        "updateCompetitor",
        "competitor { id }",
        json!({ "id": id, "expectedVersion": 1, "name": "Other" }),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"));
    assert_eq!(
        node(&app, &editor, &id, "... on Competitor { name }").await["name"],
        "Rival SA"
    );

    mutate_ok(
        &app,
        &admin,
        "deleteCompetitor",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(node(&app, &editor, &id, "id").await, Value::Null);
    assert_eq!(
        strategy_of(&app, &editor, &plan).await["competitors"],
        json!([])
    );
}

#[tokio::test]
async fn swot_items_filter_by_quadrant_update_and_delete() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let mut ids = Vec::new();
    for (quadrant, statement, impact) in [
        ("STRENGTH", "Loyal customers", 4),
        ("THREAT", "New low-cost entrant", 5),
        ("OPPORTUNITY", "Growing organic search", 3),
        ("THREAT", "Rising ad costs", 2),
        ("WEAKNESS", "Small team", 1),
    ] {
        let item = create_ok(
            &app,
            &editor,
            "createSwotItem",
            "swotItem",
            SWOT_FIELDS,
            json!({ "planId": plan, "quadrant": quadrant, "statement": statement, "impact": impact }),
        )
        .await;
        assert_eq!(item["quadrant"], quadrant);
        assert_eq!(item["impact"], impact);
        ids.push(id_of(&item));
    }
    let by_quadrant = |quadrant: &'static str| {
        let app = &app;
        let editor = &editor;
        let plan = &plan;
        async move {
            app.data(
                editor,
                "query($id: ID!, $q: SwotQuadrant) { plan(id: $id) { swotItems(quadrant: $q) { statement } } }",
                json!({ "id": plan, "q": quadrant }),
            )
            .await["plan"]["swotItems"]
                .clone()
        }
    };
    assert_eq!(
        by_quadrant("THREAT").await,
        json!([{ "statement": "New low-cost entrant" }, { "statement": "Rising ad costs" }]),
        "only threats, oldest first"
    );
    assert_eq!(
        by_quadrant("STRENGTH").await,
        json!([{ "statement": "Loyal customers" }])
    );
    let all = strategy_of(&app, &editor, &plan).await["swotItems"].clone();
    assert_eq!(all.as_array().unwrap().len(), 5);

    let updated = mutate_ok(
        &app,
        &editor,
        "updateSwotItem",
        &format!("swotItem {{ {SWOT_FIELDS} }} userErrors {{ code }}"),
        json!({ "id": ids[3], "expectedVersion": 1, "quadrant": "WEAKNESS", "impact": 3 }),
    )
    .await["swotItem"]
        .clone();
    assert_eq!(updated["quadrant"], "WEAKNESS");
    assert_eq!(updated["statement"], "Rising ad costs");
    assert_eq!(updated["version"], 2);
    assert_eq!(
        by_quadrant("THREAT").await,
        json!([{ "statement": "New low-cost entrant" }])
    );
    let stale = mutate(
        &app,
        &editor,
        "updateSwotItem",
        "swotItem { id }",
        json!({ "id": ids[3], "expectedVersion": 1, "impact": 1 }),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"));

    mutate_ok(
        &app,
        &admin,
        "deleteSwotItem",
        "deletedId",
        json!({ "id": ids[0] }),
    )
    .await;
    assert_eq!(by_quadrant("STRENGTH").await, json!([]));
    assert_eq!(node(&app, &editor, &ids[0], "id").await, Value::Null);
}

#[tokio::test]
async fn pest_factors_cover_pestel_filter_by_category_update_and_delete() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let mut ids = Vec::new();
    for (category, impact, likelihood) in [
        ("POLITICAL", 2, 3),
        ("ECONOMIC", 4, 4),
        ("SOCIAL", 3, 5),
        ("TECHNOLOGICAL", 5, 5),
        ("ENVIRONMENTAL", 3, 2),
        ("LEGAL", 5, 4),
    ] {
        let factor = create_ok(
            &app,
            &editor,
            "createPestFactor",
            "pestFactor",
            PEST_FIELDS,
            json!({ "planId": plan, "category": category, "statement": format!("{category} factor"),
                    "impact": impact, "likelihood": likelihood }),
        )
        .await;
        assert_eq!(factor["category"], category);
        assert_eq!(factor["impact"], impact);
        assert_eq!(factor["likelihood"], likelihood);
        ids.push(id_of(&factor));
    }
    let legal = app
        .data(
            &editor,
            "query($id: ID!) { plan(id: $id) { pestFactors(category: LEGAL) { id statement } } }",
            json!({ "id": plan }),
        )
        .await;
    assert_eq!(
        legal["plan"]["pestFactors"],
        json!([{ "id": ids[5], "statement": "LEGAL factor" }])
    );
    let updated = mutate_ok(
        &app,
        &editor,
        "updatePestFactor",
        &format!("pestFactor {{ {PEST_FIELDS} }} userErrors {{ code }}"),
        json!({ "id": ids[0], "expectedVersion": 1, "likelihood": 1, "category": "LEGAL" }),
    )
    .await["pestFactor"]
        .clone();
    assert_eq!(updated["likelihood"], 1);
    assert_eq!(updated["impact"], 2);
    assert_eq!(updated["category"], "LEGAL");
    assert_eq!(updated["version"], 2);
    let stale = mutate(
        &app,
        &editor,
        "updatePestFactor",
        "pestFactor { id }",
        json!({ "id": ids[0], "expectedVersion": 1, "impact": 1 }),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"));
    mutate_ok(
        &app,
        &admin,
        "deletePestFactor",
        "deletedId",
        json!({ "id": ids[1] }),
    )
    .await;
    let left = strategy_of(&app, &editor, &plan).await["pestFactors"].clone();
    let left: Vec<&str> = left
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(left, [&ids[0], &ids[2], &ids[3], &ids[4], &ids[5]]);
}

#[tokio::test]
async fn invalid_analysis_items_are_refused_field_by_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let before = strategy_of(&app, &editor, &plan).await;

    let errors = refused(
        &app,
        &editor,
        "createMarketTrend",
        "marketTrend",
        json!({ "planId": plan, "statement": "   ", "impact": 0 }),
    )
    .await;
    assert_eq!(
        errors,
        ["input.statement: REQUIRED", "input.impact: OUT_OF_RANGE"]
    );
    let errors = refused(
        &app,
        &editor,
        "createMarketTrend",
        "marketTrend",
        json!({ "planId": plan, "statement": "x".repeat(1001), "impact": 6,
                "description": "y".repeat(10_001) }),
    )
    .await;
    assert_eq!(
        errors,
        [
            "input.statement: TOO_LONG",
            "input.description: TOO_LONG",
            "input.impact: OUT_OF_RANGE"
        ]
    );
    let errors = refused(
        &app,
        &editor,
        "createSwotItem",
        "swotItem",
        json!({ "planId": plan, "quadrant": "STRENGTH", "statement": "", "impact": 9 }),
    )
    .await;
    assert_eq!(
        errors,
        ["input.statement: REQUIRED", "input.impact: OUT_OF_RANGE"]
    );
    let errors = refused(
        &app,
        &editor,
        "createPestFactor",
        "pestFactor",
        json!({ "planId": plan, "category": "LEGAL", "statement": "GDPR", "impact": -1,
                "likelihood": 6 }),
    )
    .await;
    assert_eq!(
        errors,
        [
            "input.impact: OUT_OF_RANGE",
            "input.likelihood: OUT_OF_RANGE"
        ]
    );
    let errors = refused(
        &app,
        &editor,
        "createCompetitor",
        "competitor",
        json!({ "planId": plan, "name": " ", "website": "rival.example",
                "strengths": ["ok", " "], "weaknesses": ["z".repeat(501)] }),
    )
    .await;
    assert_eq!(
        errors,
        [
            "input.name: REQUIRED",
            "input.website: INVALID",
            "input.strengths.1: REQUIRED",
            "input.weaknesses.0: TOO_LONG"
        ]
    );
    let errors = refused(
        &app,
        &editor,
        "createCompetitor",
        "competitor",
        json!({ "planId": plan, "name": "n".repeat(201), "strengths": vec!["s"; 51] }),
    )
    .await;
    assert_eq!(
        errors,
        ["input.name: TOO_LONG", "input.strengths: TOO_LONG"]
    );
    assert_eq!(
        strategy_of(&app, &editor, &plan).await,
        before,
        "nothing written"
    );

    // Updates: the same rules, and the row is left as it was.
    let swot = create_ok(
        &app,
        &editor,
        "createSwotItem",
        "swotItem",
        SWOT_FIELDS,
        json!({ "planId": plan, "quadrant": "THREAT", "statement": "Rival", "impact": 3 }),
    )
    .await;
    let errors = refused(
        &app,
        &editor,
        "updateSwotItem",
        "swotItem",
        json!({ "id": swot["id"], "expectedVersion": 1, "statement": "", "impact": 0 }),
    )
    .await;
    assert_eq!(
        errors,
        ["input.statement: REQUIRED", "input.impact: OUT_OF_RANGE"]
    );
    let pest = create_ok(
        &app,
        &editor,
        "createPestFactor",
        "pestFactor",
        PEST_FIELDS,
        json!({ "planId": plan, "category": "SOCIAL", "statement": "Remote work", "impact": 3,
                "likelihood": 3 }),
    )
    .await;
    let errors = refused(
        &app,
        &editor,
        "updatePestFactor",
        "pestFactor",
        json!({ "id": pest["id"], "expectedVersion": 1, "likelihood": 0 }),
    )
    .await;
    assert_eq!(errors, ["input.likelihood: OUT_OF_RANGE"]);
    let after = strategy_of(&app, &editor, &plan).await;
    assert_eq!(after["swotItems"], json!([swot]));
    assert_eq!(after["pestFactors"], json!([pest]));

    // A plan that does not exist is NOT_FOUND, not a user error.
    let missing = mutate(
        &app,
        &editor,
        "createSwotItem",
        "swotItem { id }",
        json!({ "planId": "UGxhbjowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw", "quadrant": "THREAT",
                "statement": "x", "impact": 1 }),
    )
    .await;
    assert_eq!(error_code(&missing), Some("NOT_FOUND"), "{missing}");
}
