//! The strategy layer, access: roles (VIEWER reads, EDITOR writes, ADMIN deletes), tenancy
//! (another tenant's strategy rows are invisible and untouchable), deletion with the plan, and
//! the statement count of the nested strategy fields (no N+1).

use serde_json::{Value, json};

use crate::{
    strategy::strategy_of,
    support::{TestApp, create_persona, create_plan, error_code, mutate, mutate_ok, node},
};

/// The global IDs of one plan's strategy rows.
struct Strategy {
    plan: String,
    trend: String,
    competitor: String,
    swot: String,
    pest: String,
    brand: String,
    segment: String,
    personas: Vec<String>,
}

/// Fills a plan's strategy layer in one request: `rows` of each list, a brand, two mix
/// dimensions, and segments holding the given personas.
async fn fill(app: &TestApp, token: &str, plan: &str, rows: usize, personas: &[String]) -> Value {
    let mut fields = Vec::new();
    let personas = serde_json::to_string(personas).unwrap();
    for i in 0..rows {
        fields.push(format!(
            "t{i}: createMarketTrend(input: {{ planId: \"{plan}\", statement: \"Trend {i}\", impact: 3 }}) \
               {{ marketTrend {{ id }} userErrors {{ code }} }} \
             c{i}: createCompetitor(input: {{ planId: \"{plan}\", name: \"Rival {i}\", levers: [SEO] }}) \
               {{ competitor {{ id }} userErrors {{ code }} }} \
             s{i}: createSwotItem(input: {{ planId: \"{plan}\", quadrant: THREAT, statement: \"Threat {i}\", impact: 2 }}) \
               {{ swotItem {{ id }} userErrors {{ code }} }} \
             p{i}: createPestFactor(input: {{ planId: \"{plan}\", category: LEGAL, statement: \"Law {i}\", impact: 4, likelihood: 2 }}) \
               {{ pestFactor {{ id }} userErrors {{ code }} }} \
             g{i}: createSegment(input: {{ planId: \"{plan}\", name: \"Segment {i}\", personaIds: {personas} }}) \
               {{ segment {{ id }} userErrors {{ code }} }}"
        ));
    }
    fields.push(format!(
        "b: setBrand(input: {{ planId: \"{plan}\", expectedVersion: null, values: [\"Trust\"], mission: \"M\" }}) \
           {{ brand {{ id }} userErrors {{ code }} }} \
         m1: setMarketingMix(input: {{ planId: \"{plan}\", dimension: PRICE, text: \"Fair\" }}) \
           {{ entry {{ text }} userErrors {{ code }} }} \
         m2: setMarketingMix(input: {{ planId: \"{plan}\", dimension: PROOF, text: \"Reviews\" }}) \
           {{ entry {{ text }} userErrors {{ code }} }}"
    ));
    let data = app
        .data(
            token,
            &format!("mutation {{ {} }}", fields.join(" ")),
            json!({}),
        )
        .await;
    for (_, payload) in data.as_object().unwrap() {
        assert_eq!(payload["userErrors"], json!([]), "{payload}");
    }
    data
}

async fn build(app: &TestApp, token: &str, tenant: &str) -> Strategy {
    let personas = vec![
        create_persona(app, token, &format!("{tenant} Sophie")).await,
        create_persona(app, token, &format!("{tenant} Marc")).await,
    ];
    let plan = create_plan(app, token, &format!("{tenant} plan")).await;
    let data = fill(app, token, &plan, 1, &personas).await;
    let id = |alias: &str, object: &str| data[alias][object]["id"].as_str().unwrap().to_owned();
    Strategy {
        trend: id("t0", "marketTrend"),
        competitor: id("c0", "competitor"),
        swot: id("s0", "swotItem"),
        pest: id("p0", "pestFactor"),
        brand: id("b", "brand"),
        segment: id("g0", "segment"),
        plan,
        personas,
    }
}

/// `(create mutation, payload object, input)` for each strategy creation, in `plan`.
fn creations(plan: &str, persona: &str) -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "createMarketTrend",
            "marketTrend",
            json!({ "planId": plan, "statement": "T", "impact": 1 }),
        ),
        (
            "createCompetitor",
            "competitor",
            json!({ "planId": plan, "name": "R" }),
        ),
        (
            "createSwotItem",
            "swotItem",
            json!({ "planId": plan, "quadrant": "STRENGTH", "statement": "S", "impact": 1 }),
        ),
        (
            "createPestFactor",
            "pestFactor",
            json!({ "planId": plan, "category": "SOCIAL", "statement": "P", "impact": 1, "likelihood": 1 }),
        ),
        (
            "createSegment",
            "segment",
            json!({ "planId": plan, "name": "G", "personaIds": [persona] }),
        ),
        (
            "setBrand",
            "brand",
            json!({ "planId": plan, "expectedVersion": null, "tone": "X" }),
        ),
        (
            "setMarketingMix",
            "entry",
            json!({ "planId": plan, "dimension": "PLACE", "text": "Online" }),
        ),
    ]
}

/// `(update mutation, input)` for each updatable strategy row.
fn updates(s: &Strategy) -> Vec<(&'static str, Value)> {
    vec![
        (
            "updateMarketTrend",
            json!({ "id": s.trend, "expectedVersion": 1, "impact": 5 }),
        ),
        (
            "updateCompetitor",
            json!({ "id": s.competitor, "expectedVersion": 1, "name": "Z" }),
        ),
        (
            "updateSwotItem",
            json!({ "id": s.swot, "expectedVersion": 1, "impact": 5 }),
        ),
        (
            "updatePestFactor",
            json!({ "id": s.pest, "expectedVersion": 1, "impact": 5 }),
        ),
        (
            "updateSegment",
            json!({ "id": s.segment, "expectedVersion": 1, "name": "Z" }),
        ),
        (
            "setBrand",
            json!({ "planId": s.plan, "expectedVersion": 1, "tone": "Z" }),
        ),
        (
            "setMarketingMix",
            json!({ "planId": s.plan, "dimension": "PRICE", "text": null }),
        ),
    ]
}

/// `(delete mutation, id)` for each deletable strategy row.
fn deletions(s: &Strategy) -> Vec<(&'static str, String)> {
    vec![
        ("deleteMarketTrend", s.trend.clone()),
        ("deleteCompetitor", s.competitor.clone()),
        ("deleteSwotItem", s.swot.clone()),
        ("deletePestFactor", s.pest.clone()),
        ("deleteSegment", s.segment.clone()),
    ]
}

fn node_ids(s: &Strategy) -> Vec<&str> {
    vec![
        &s.trend,
        &s.competitor,
        &s.swot,
        &s.pest,
        &s.brand,
        &s.segment,
    ]
}

#[tokio::test]
async fn viewers_read_editors_write_and_only_admins_delete() {
    let app = TestApp::spawn().await;
    let viewer = app.token("acme", "viewer");
    let editor = app.token("acme", "editor");
    let admin = app.token("acme", "admin");
    let s = build(&app, &editor, "acme").await;
    let before = strategy_of(&app, &viewer, &s.plan).await;
    assert_eq!(
        before["marketTrends"].as_array().unwrap().len(),
        1,
        "viewers read"
    );

    for (field, _, input) in creations(&s.plan, &s.personas[0]) {
        let body = mutate(&app, &viewer, field, "userErrors { code }", input).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{field}: {body}");
    }
    for (field, input) in updates(&s) {
        let body = mutate(&app, &viewer, field, "userErrors { code }", input).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{field}: {body}");
    }
    for (field, id) in deletions(&s) {
        for token in [&viewer, &editor] {
            let body = mutate(&app, token, field, "deletedId", json!({ "id": id })).await;
            assert_eq!(error_code(&body), Some("FORBIDDEN"), "{field}: {body}");
        }
    }
    assert_eq!(
        strategy_of(&app, &viewer, &s.plan).await,
        before,
        "nothing changed"
    );

    for (field, input) in updates(&s) {
        mutate_ok(&app, &editor, field, "userErrors { code }", input).await;
    }
    for (field, id) in deletions(&s) {
        let payload = mutate_ok(&app, &admin, field, "deletedId", json!({ "id": id })).await;
        assert_eq!(payload["deletedId"], id.as_str());
    }
    let after = strategy_of(&app, &viewer, &s.plan).await;
    for list in [
        "marketTrends",
        "competitors",
        "swotItems",
        "pestFactors",
        "segments",
    ] {
        assert_eq!(after[list], json!([]), "{list}");
    }
}

#[tokio::test]
async fn another_tenant_neither_sees_nor_touches_the_strategy_layer() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "admin");
    let globex = app.token("globex", "admin");
    let a = build(&app, &acme, "acme").await;
    let own_plan = create_plan(&app, &globex, "globex plan").await;
    let own_persona = create_persona(&app, &globex, "globex persona").await;
    let before = strategy_of(&app, &acme, &a.plan).await;

    for id in node_ids(&a) {
        assert_eq!(node(&app, &globex, id, "id").await, Value::Null, "{id}");
    }
    assert_eq!(node(&app, &globex, &a.personas[0], "id").await, Value::Null);
    let plan_of_a = app
        .data(
            &globex,
            "query($id: ID!) { plan(id: $id) { id } }",
            json!({ "id": a.plan }),
        )
        .await;
    assert_eq!(plan_of_a["plan"], Value::Null);
    let own = strategy_of(&app, &globex, &own_plan).await;
    for list in [
        "marketTrends",
        "competitors",
        "swotItems",
        "pestFactors",
        "segments",
    ] {
        assert_eq!(own[list], json!([]), "{list}");
    }
    assert_eq!(own["brand"], Value::Null);
    assert!(
        own["marketingMix"]
            .as_array()
            .unwrap()
            .iter()
            .all(|entry| entry["text"].is_null())
    );

    // Writing into acme's plan, or to acme's rows, is NOT_FOUND.
    for (field, _, input) in creations(&a.plan, &own_persona) {
        let body = mutate(&app, &globex, field, "userErrors { code }", input).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{field}: {body}");
    }
    for (field, input) in updates(&a) {
        let body = mutate(&app, &globex, field, "userErrors { code }", input).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{field}: {body}");
    }
    for (field, id) in deletions(&a) {
        let body = mutate(&app, &globex, field, "deletedId", json!({ "id": id })).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{field}: {body}");
    }

    // Linking acme's personas to a globex segment is a NOT_FOUND user error, nothing written.
    let payload = mutate_ok(
        &app,
        &globex,
        "createSegment",
        "segment { id } userErrors { field code }",
        json!({ "planId": own_plan, "name": "Stolen", "personaIds": [own_persona, a.personas[1]] }),
    )
    .await;
    assert_eq!(payload["segment"], Value::Null);
    assert_eq!(
        payload["userErrors"],
        json!([{ "field": ["input", "personaIds", "1"], "code": "NOT_FOUND" }])
    );
    assert_eq!(
        strategy_of(&app, &globex, &own_plan).await["segments"],
        json!([])
    );
    assert_eq!(
        strategy_of(&app, &acme, &a.plan).await,
        before,
        "acme's rows unchanged"
    );
}

#[tokio::test]
async fn deleting_a_plan_deletes_its_strategy_layer_but_not_the_personas() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let s = build(&app, &admin, "acme").await;
    let kept = build(&app, &admin, "acme other").await;
    mutate_ok(
        &app,
        &admin,
        "deletePlan",
        "deletedId",
        json!({ "id": s.plan }),
    )
    .await;
    for id in node_ids(&s) {
        assert_eq!(node(&app, &admin, id, "id").await, Value::Null, "{id}");
    }
    for persona in &s.personas {
        let read = node(
            &app,
            &admin,
            persona,
            "... on Persona { id segments { id } }",
        )
        .await;
        assert_eq!(read, json!({ "id": persona, "segments": [] }));
    }
    for id in node_ids(&kept) {
        assert_eq!(
            node(&app, &admin, id, "id").await["id"],
            id,
            "another plan keeps its rows"
        );
    }
}

const STRATEGY_QUERY: &str = "{ plans(first: 20) { edges { node { name \
    marketTrends { statement } competitors { name levers } \
    swotItems { statement } threats: swotItems(quadrant: THREAT) { id } \
    pestFactors { statement } legal: pestFactors(category: LEGAL) { id } \
    brand { mission values } marketingMix { dimension text } \
    segments { name personas { name segments { name } } } } } } }";

/// How many times a measured request is repeated; the fewest statements count, because a
/// DataLoader batch split by a descheduled task only ever adds statements.
const SAMPLES: usize = 5;

async fn cost(plans: usize) -> (u64, Value) {
    // The query may cost 171,040 (README, "Query cost": 20 plans, each with segments, their
    // personas and theirs, 20 × 20 × 20): this test counts statements, not cost, and its six
    // runs are past the rate limits' default burst.
    let app = TestApp::spawn_with(|config| {
        config.query_limits.max_cost = 200_000;
        config.rate_limits.credential.burst = std::num::NonZeroU32::MAX;
        config.rate_limits.tenant.burst = std::num::NonZeroU32::MAX;
    })
    .await;
    // A neighbour tenant's rows alongside, so that a missing tenant filter would show.
    let globex = app.token("globex", "editor");
    build(&app, &globex, "globex").await;
    let acme = app.token("acme", "editor");
    let personas = vec![
        create_persona(&app, &acme, "Sophie").await,
        create_persona(&app, &acme, "Marc").await,
    ];
    for p in 0..plans {
        let plan = create_plan(&app, &acme, &format!("acme plan {p}")).await;
        fill(&app, &acme, &plan, 3, &personas).await;
    }
    let expected = app.data(&acme, STRATEGY_QUERY, json!({})).await;
    let mut fewest = u64::MAX;
    for _ in 0..SAMPLES {
        let before = app.statements();
        let data = app.data(&acme, STRATEGY_QUERY, json!({})).await;
        fewest = fewest.min(app.statements() - before);
        assert_eq!(data, expected);
    }
    (fewest, expected)
}

fn check(data: &Value, plans: usize) {
    let edges = data["plans"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), plans);
    for edge in edges {
        let plan = &edge["node"];
        for list in [
            "marketTrends",
            "competitors",
            "swotItems",
            "threats",
            "pestFactors",
            "legal",
            "segments",
        ] {
            assert_eq!(plan[list].as_array().unwrap().len(), 3, "{list}");
        }
        assert_eq!(
            plan["brand"],
            json!({ "mission": "M", "values": ["Trust"] })
        );
        let mix = plan["marketingMix"].as_array().unwrap();
        assert_eq!(mix.len(), 10);
        assert_eq!(mix[1], json!({ "dimension": "PRICE", "text": "Fair" }));
        for segment in plan["segments"].as_array().unwrap() {
            let personas = segment["personas"].as_array().unwrap();
            assert_eq!(personas.len(), 2);
            // Each persona is in the 3 segments of every plan.
            assert_eq!(personas[0]["segments"].as_array().unwrap().len(), 3 * plans);
        }
    }
}

#[tokio::test]
async fn the_strategy_fields_cost_the_same_statements_for_one_plan_or_ten() {
    let (one, one_data) = cost(1).await;
    let (ten, ten_data) = cost(10).await;
    check(&one_data, 1);
    check(&ten_data, 10);
    println!("strategy query statements: 1 plan → {one}, 10 plans → {ten}");
    assert_eq!(one, ten, "the statement count must not grow with the plans");
    assert!(one <= 16, "{one} statements");
}
