//! `GET /plans/{id}/document.md`: the whole plan as Markdown, with the API's authentication and
//! tenancy, and a statement count that does not grow with the plan.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, create_persona, mutate_ok, user_errors};

/// Runs a mutation that must succeed without user errors; returns its payload.
pub async fn ok(app: &TestApp, token: &str, field: &str, selection: &str, input: Value) -> Value {
    let payload = mutate_ok(
        app,
        token,
        field,
        &format!("{selection} userErrors {{ field code }}"),
        input,
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new(), "{field}");
    payload
}

/// `GET /plans/{id}/document.md` with an optional token and extra headers: status, content
/// type and body.
pub async fn get_document(
    app: &TestApp,
    token: Option<&str>,
    headers: &[(&str, &str)],
    plan: &str,
) -> (StatusCode, String, String) {
    let mut request = app
        .client
        .get(format!("{}/plans/{plan}/document.md", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the request is sent");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (
        status,
        content_type,
        response.text().await.unwrap_or_default(),
    )
}

/// The global IDs of the fixture plan.
pub struct FullPlan {
    pub plan: String,
    pub alice: String,
    pub bob: String,
    pub objective: String,
    pub spring: String,
    pub retargeting: String,
    pub guide: String,
    pub newsletter: String,
    pub ads: String,
    pub content: String,
}

/// A plan over `year` with every kind of row: two personas (Alice targeted by the plan, Bob
/// only through a segment), a trend, a competitor, SWOT, PEST, brand, mix, a segment, an
/// objective, two lever allocations and an interaction, a campaign and its sub-campaign, three
/// actions (March, March, April) and a content item. Statuses are not the starting ones, so a
/// copy can show they were reset.
pub async fn full_plan(app: &TestApp, token: &str, year: i32) -> FullPlan {
    let day = |month_day: &str| format!("{year}-{month_day}");
    let alice = ok(
        app,
        token,
        "createPersona",
        "persona { id }",
        json!({ "name": "Alice Martin", "summary": "Busy parent", "ageMin": 25, "ageMax": 34,
                "location": "Lyon", "motivations": ["Save time"], "preferredLevers": ["SEO", "EMAILING"] }),
    )
    .await["persona"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let bob = create_persona(app, token, "Bob").await;
    let plan = ok(
        app,
        token,
        "createPlan",
        "plan { id }",
        json!({ "name": format!("Plan {year}"), "description": "Our roadmap",
                "periodStart": day("01-01"), "periodEnd": day("12-31"), "currency": "EUR",
                "budget": "100000", "status": "ACTIVE", "personaIds": [alice] }),
    )
    .await["plan"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        app,
        token,
        "createMarketTrend",
        "marketTrend { id }",
        json!({ "planId": plan, "statement": "Mobile first", "impact": 4,
                "description": "More than half of traffic", "source": "Insee" }),
    )
    .await;
    ok(
        app,
        token,
        "createCompetitor",
        "competitor { id }",
        json!({ "planId": plan, "name": "Acme | Co", "website": "https://acme.example",
                "positioning": "Cheap\nand fast", "levers": ["SEO", "SEA"],
                "strengths": ["Price", "Reach"], "weaknesses": ["Support"] }),
    )
    .await;
    ok(app, token, "createSwotItem", "swotItem { id }",
        json!({ "planId": plan, "quadrant": "STRENGTH", "statement": "Loyal customers", "impact": 5 })).await;
    ok(
        app,
        token,
        "createSwotItem",
        "swotItem { id }",
        json!({ "planId": plan, "quadrant": "THREAT", "statement": "New entrant", "impact": 3 }),
    )
    .await;
    ok(app, token, "createPestFactor", "pestFactor { id }",
        json!({ "planId": plan, "category": "ECONOMIC", "statement": "Inflation", "impact": 4, "likelihood": 3 })).await;
    ok(app, token, "createPestFactor", "pestFactor { id }",
        json!({ "planId": plan, "category": "POLITICAL", "statement": "New law", "impact": 2, "likelihood": 5 })).await;
    ok(
        app,
        token,
        "setBrand",
        "brand { id }",
        json!({ "planId": plan, "expectedVersion": null, "values": ["Trust", "Care"],
                "mission": "Help", "tone": "Warm" }),
    )
    .await;
    ok(
        app,
        token,
        "setMarketingMix",
        "entry { text }",
        json!({ "planId": plan, "dimension": "PROOF", "text": "Reviews" }),
    )
    .await;
    ok(
        app,
        token,
        "setMarketingMix",
        "entry { text }",
        json!({ "planId": plan, "dimension": "PRODUCT", "text": "Quality goods" }),
    )
    .await;
    ok(
        app,
        token,
        "createSegment",
        "segment { id }",
        json!({ "planId": plan, "name": "Young urban", "criteria": ["18-34", "city"],
                "estimatedSize": 12000, "targeted": true, "positioning": "Convenience",
                "personaIds": [bob, alice] }),
    )
    .await;
    let objective = ok(
        app,
        token,
        "createObjective",
        "objective { id }",
        json!({ "planId": plan, "title": "Lower CPA", "kind": "CONVERSION", "kpiKey": "cpa",
                "baseline": "40", "target": "20", "deadline": day("02-28"),
                "statement": "Cut acquisition cost", "rationale": "Benchmarks show 20" }),
    )
    .await["objective"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(app, token, "createLeverAllocation", "leverAllocation { id }",
        json!({ "planId": plan, "lever": "SEO", "budget": "30000", "priority": 1, "rationale": "Core" })).await;
    ok(
        app,
        token,
        "createLeverAllocation",
        "leverAllocation { id }",
        json!({ "planId": plan, "lever": "SEA", "budget": "20000.5", "priority": 2 }),
    )
    .await;
    ok(app, token, "createLeverInteraction", "leverInteraction { id }",
        json!({ "planId": plan, "fromLever": "SEO", "toLever": "SEA", "kind": "SYNERGY", "note": "Shared keywords" })).await;
    let spring = ok(app, token, "createCampaign", "campaign { id }",
        json!({ "planId": plan, "name": "Spring | Launch", "kind": "AWARENESS", "levers": ["SEO", "SEA"],
                "personaIds": [alice], "objectiveIds": [objective], "startDate": day("03-01"),
                "endDate": day("03-31"), "budget": "1000", "status": "ACTIVE", "utmCode": "spring-launch" }))
        .await["campaign"]["id"].as_str().unwrap().to_owned();
    let retargeting = ok(app, token, "createCampaign", "campaign { id }",
        json!({ "planId": plan, "name": "Spring retargeting", "kind": "AWARENESS", "levers": ["SOCIAL_ADS"],
                "parentCampaignId": spring, "startDate": day("03-15"), "endDate": day("12-31"),
                "budget": "250.5" }))
        .await["campaign"]["id"].as_str().unwrap().to_owned();
    let action = |title: &str, lever: &str, kind: &str, start: &str, due: &str, budget: &str| {
        json!({ "planId": plan, "title": title, "actionType": kind, "lever": lever,
                "journeyStep": "CREATE_MESSAGES", "funnelStage": "ATTRACT", "startDate": day(start),
                "dueDate": day(due), "budget": budget, "impact": 5, "confidence": 5, "ease": 5 })
    };
    let mut guide_input = action(
        "Write guide",
        "CONTENT",
        "CONTENT_PIECE",
        "03-01",
        "03-31",
        "1000",
    );
    guide_input["campaignId"] = json!(spring);
    guide_input["status"] = json!("IN_PROGRESS");
    guide_input["actualCost"] = json!("120.25");
    let guide = ok(app, token, "createAction", "action { id }", guide_input).await["action"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let newsletter = ok(
        app,
        token,
        "createAction",
        "action { id }",
        action(
            "Newsletter",
            "EMAILING",
            "EMAIL_CAMPAIGN",
            "03-10",
            "03-20",
            "200",
        ),
    )
    .await["action"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut ads_input = action(
        "Retarget ads",
        "SOCIAL_ADS",
        "AD_CAMPAIGN",
        "04-02",
        "12-31",
        "300",
    );
    ads_input["campaignId"] = json!(retargeting);
    let ads = ok(app, token, "createAction", "action { id }", ads_input).await["action"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let content = ok(
        app,
        token,
        "createContentItem",
        "contentItem { id }",
        json!({ "planId": plan, "personaId": alice, "lever": "CONTENT", "funnelStage": "ATTRACT",
                "message": "Spring guide is out", "format": "article", "publishDate": day("12-31"),
                "status": "SCHEDULED", "actionId": guide }),
    )
    .await["contentItem"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    FullPlan {
        plan,
        alice,
        bob,
        objective,
        spring,
        retargeting,
        guide,
        newsletter,
        ads,
        content,
    }
}

/// Where `line` is among the document's lines; fails with the document when it is not there.
fn line_index(document: &str, line: &str) -> usize {
    document
        .lines()
        .position(|candidate| candidate == line)
        .unwrap_or_else(|| panic!("missing line {line:?} in:\n{document}"))
}

#[tokio::test]
async fn the_document_holds_every_section_with_its_values() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let fixture = full_plan(&app, &token, 2027).await;
    let cpa_name = app
        .data(&token, "{ kpiDefinitions { key name } }", json!({}))
        .await["kpiDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|definition| definition["key"] == "cpa")
        .map(|definition| definition["name"].as_str().unwrap().to_owned())
        .unwrap();

    let viewer = app.token("acme", "viewer");
    let (status, content_type, document) =
        get_document(&app, Some(&viewer), &[], &fixture.plan).await;
    assert_eq!(status, StatusCode::OK, "{document}");
    assert_eq!(content_type, "text/markdown; charset=utf-8");

    let expected_in_order = [
        "# Plan 2027",
        "- **Period:** 2027-01-01 → 2027-12-31",
        "- **Budget:** 100000.00 EUR",
        "- **Currency:** EUR",
        "- **Status:** Active",
        "Our roadmap",
        "## Strategy",
        "### Market trends",
        "- **Mobile first** (impact 4/5): More than half of traffic _(source: Insee)_",
        "### Competitors",
        "| Competitor | Website | Positioning | Levers | Strengths | Weaknesses | Strategy notes |",
        "| Acme \\| Co | https://acme.example | Cheap<br>and fast | SEO, SEA | Price; Reach | Support | — |",
        "### SWOT",
        "#### Strengths",
        "- Loyal customers (impact 5/5)",
        "#### Weaknesses",
        "_None recorded._",
        "#### Opportunities",
        "#### Threats",
        "- New entrant (impact 3/5)",
        "### PEST(EL)",
        "| Category | Factor | Impact | Likelihood |",
        "| Political | New law | 2/5 | 5/5 |",
        "| Economic | Inflation | 4/5 | 3/5 |",
        "### Brand",
        "- **Values:** Trust; Care",
        "- **Mission:** Help",
        "- **Tone:** Warm",
        "### Marketing mix",
        "#### Product",
        "Quality goods",
        "#### Proof",
        "Reviews",
        "### Segments",
        "#### Young urban (targeted)",
        "- **Criteria:** 18-34; city",
        "- **Estimated size:** 12000",
        "- **Positioning:** Convenience",
        "- **Personas:** Alice Martin, Bob",
        "## Personas",
        "### Alice Martin",
        "Busy parent",
        "- **Age:** 25–34",
        "- **Location:** Lyon",
        "- **Motivations:** Save time",
        "- **Preferred levers:** SEO, Emailing",
        "## Objectives",
        "| Objective | Kind | KPI | Baseline → target | Deadline | Current | Progress | On track |",
        &format!(
            "| Lower CPA | Conversion | {cpa_name} (`cpa`) | 40 → 20 | 2027-02-28 | — | — | — |"
        ),
        "- **Lower CPA**: Cut acquisition cost",
        "  - Rationale: Benchmarks show 20",
        "## Levers",
        "### Allocations",
        "| Priority | Lever | Budget | Rationale |",
        "| 1 | SEO | 30000.00 EUR | Core |",
        "| 2 | SEA | 20000.50 EUR | — |",
        "|  | **Total** | **50000.50 EUR** |  |",
        "### Interactions",
        "| SEO | SEA | Synergy | Shared keywords |",
        "## Campaigns",
        "| Campaign | Kind | Dates | Levers | Personas | Budget | Status | UTM | Parent |",
        "| Spring \\| Launch | Awareness | 2027-03-01 → 2027-03-31 | SEO, SEA | Alice Martin | 1000.00 EUR | Active | `spring-launch` | — |",
        "| Spring retargeting | Awareness | 2027-03-15 → 2027-12-31 | Social ads | — | 250.50 EUR | Planned | — | Spring \\| Launch |",
        "## Calendar",
        "### March 2027",
        "| Start | Due | Action | Type | Lever | Campaign | Status | Budget |",
        "| 2027-03-01 | 2027-03-31 | Write guide | Content piece | Content | Spring \\| Launch | In progress | 1000.00 EUR |",
        "| 2027-03-10 | 2027-03-20 | Newsletter | Email campaign | Emailing | — | To do | 200.00 EUR |",
        "**Planned in March 2027:** 1200.00 EUR",
        "### April 2027",
        "| 2027-04-02 | 2027-12-31 | Retarget ads | Ad campaign | Social ads | Spring retargeting | To do | 300.00 EUR |",
        "**Planned in April 2027:** 300.00 EUR",
        "## Budget",
        "| Plan budget | 100000.00 EUR |",
        "| Allocated to levers | 50000.50 EUR |",
        "| Campaign budgets | 1250.50 EUR |",
        "| Planned in actions | 1500.00 EUR |",
        "| Actual cost of actions | 120.25 EUR |",
        "| Unallocated | 49999.50 EUR |",
        "### Planned by lever",
        "| Lever | Allocated | Planned in actions | Actual cost |",
        "| SEO | 30000.00 EUR | 0.00 EUR | 0.00 EUR |",
        "| SEA | 20000.50 EUR | 0.00 EUR | 0.00 EUR |",
        "| Social ads | 0.00 EUR | 300.00 EUR | 0.00 EUR |",
        "| Emailing | 0.00 EUR | 200.00 EUR | 0.00 EUR |",
        "| Content | 0.00 EUR | 1000.00 EUR | 120.25 EUR |",
        "| **Total** | **50000.50 EUR** | **1500.00 EUR** | **120.25 EUR** |",
        "### Planned by campaign",
        "| Campaign | Budget | Planned in actions | Actual cost |",
        "| Spring \\| Launch | 1000.00 EUR | 1000.00 EUR | 120.25 EUR |",
        "| Spring retargeting | 250.50 EUR | 300.00 EUR | 0.00 EUR |",
        "| _No campaign_ | — | 200.00 EUR | 0.00 EUR |",
        "| **Total** | **1250.50 EUR** | **1500.00 EUR** | **120.25 EUR** |",
    ];
    let mut previous = 0;
    for line in expected_in_order {
        let index = line_index(&document, line);
        assert!(
            index >= previous,
            "{line:?} is out of order in:\n{document}"
        );
        previous = index;
    }
    // Bob is in a segment, not targeted by the plan: no profile of his.
    assert!(
        !document.lines().any(|line| line == "### Bob"),
        "{document}"
    );
    // Every table row has as many cells as its header: escaped pipes do not split cells.
    for line in document.lines().filter(|line| line.starts_with('|')) {
        let unescaped = line.replace("\\|", "");
        assert!(unescaped.ends_with('|'), "{line}");
    }
    let competitor_row = line_index(
        &document,
        "| Acme \\| Co | https://acme.example | Cheap<br>and fast | SEO, SEA | Price; Reach | Support | — |",
    );
    let cells = document
        .lines()
        .nth(competitor_row)
        .unwrap()
        .replace("\\|", "")
        .matches('|')
        .count();
    assert_eq!(cells, 8, "seven cells, eight separators");
}

#[tokio::test]
async fn the_document_follows_authentication_and_tenancy() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = crate::support::create_plan(&app, &token, "Acme plan").await;

    // No token, a malformed header or a forged token: 401 UNAUTHENTICATED.
    for (token, headers) in [(None, vec![]), (Some("not-a-jwt"), vec![])] {
        let (status, _, body) = get_document(&app, token, &headers, &plan).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }
    let response = app
        .client
        .get(format!("{}/plans/{plan}/document.md", app.address))
        .header("Authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // The body of a 404 is the same as any other not-found of the server.
    let unknown_route = app
        .client
        .get(format!("{}/no/such/route", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown_route.status(), StatusCode::NOT_FOUND);
    let not_found: Value = unknown_route.json().await.unwrap();
    assert_eq!(not_found["errors"][0]["extensions"]["code"], "NOT_FOUND");

    let globex = app.token("globex", "admin");
    let persona = create_persona(&app, &token, "Someone").await;
    let wrong_ids = [
        "garbage".to_owned(),
        persona.clone(), // another type's ID
        crate::support::create_plan(&app, &globex, "Globex plan").await, // another tenant's
    ];
    for id in &wrong_ids {
        let (status, _, body) = get_document(&app, Some(&token), &[], id).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{id}: {body}");
        assert_eq!(
            serde_json::from_str::<Value>(&body).unwrap(),
            not_found,
            "{id}"
        );
    }
    // Acme's plan, asked for by globex: 404 with the same body.
    let (status, _, body) = get_document(&app, Some(&globex), &[], &plan).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), not_found);

    // An agency token reads the plan of the tenant its header picks, and only that one.
    let agency = app.agency_token(&[("acme", "viewer"), ("globex", "editor")]);
    let (status, _, document) =
        get_document(&app, Some(&agency), &[("X-Levier-Tenant", "acme")], &plan).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(document.lines().next(), Some("# Acme plan"));
    let (status, _, _) =
        get_document(&app, Some(&agency), &[("X-Levier-Tenant", "globex")], &plan).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A tenant the agency token does not grant is refused as the GraphQL endpoint refuses it.
    let (status, _, body) = get_document(
        &app,
        Some(&agency),
        &[("X-Levier-Tenant", "initech")],
        &plan,
    )
    .await;
    let graphql = app
        .post(
            Some(&agency),
            &[("X-Levier-Tenant", "initech")],
            &json!({ "query": "{ viewer { subject } }" }),
        )
        .await;
    assert_eq!(status, graphql.0, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["errors"][0]["extensions"]["code"],
        graphql.1["errors"][0]["extensions"]["code"]
    );
}

/// A plan with `count` campaigns, each with one action, and as many objectives and allocations.
async fn plan_of_size(app: &TestApp, token: &str, count: usize) -> String {
    let persona = create_persona(app, token, &format!("Persona of {count}")).await;
    let plan = ok(
        app,
        token,
        "createPlan",
        "plan { id }",
        json!({ "name": format!("Plan of {count}"), "periodStart": "2027-01-01",
                "periodEnd": "2027-12-31", "budget": "100000", "personaIds": [persona] }),
    )
    .await["plan"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        app,
        token,
        "createSegment",
        "segment { id }",
        json!({ "planId": plan, "name": "Segment", "personaIds": [persona] }),
    )
    .await;
    for i in 0..count {
        let objective = ok(
            app,
            token,
            "createObjective",
            "objective { id }",
            json!({ "planId": plan, "title": format!("Objective {i}"), "kind": "TRAFFIC",
                    "kpiKey": "clicks", "target": "100", "deadline": "2027-12-31" }),
        )
        .await["objective"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let campaign = ok(
            app,
            token,
            "createCampaign",
            "campaign { id }",
            json!({ "planId": plan, "name": format!("Campaign {i}"), "kind": "TRAFFIC",
                    "levers": ["SEO", "SEA"], "personaIds": [persona], "objectiveIds": [objective],
                    "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": "10" }),
        )
        .await["campaign"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        ok(
            app,
            token,
            "createAction",
            "action { id }",
            crate::support::action_input(
                &plan,
                json!({ "campaignId": campaign,
                "startDate": format!("2027-{:02}-01", i % 12 + 1), "dueDate": "2027-12-31" }),
            ),
        )
        .await;
        ok(
            app,
            token,
            "createContentItem",
            "contentItem { id }",
            crate::support::content_input(&plan, &persona, json!({})),
        )
        .await;
    }
    plan
}

#[tokio::test]
async fn the_document_costs_the_same_statements_for_2_or_20_campaigns() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    let editor = app.token("acme", "editor");
    let small = plan_of_size(&app, &editor, 2).await;
    let large = plan_of_size(&app, &editor, 20).await;
    let mut costs = Vec::new();
    for plan in [&small, &large] {
        let (status, _, warm_up) = get_document(&app, Some(&token), &[], plan).await;
        assert_eq!(status, StatusCode::OK);
        let mut fewest = u64::MAX;
        for _ in 0..3 {
            let before = app.statements();
            let (_, _, document) = get_document(&app, Some(&token), &[], plan).await;
            fewest = fewest.min(app.statements() - before);
            assert_eq!(document, warm_up);
        }
        costs.push(fewest);
    }
    let (_, _, document) = get_document(&app, Some(&token), &[], &large).await;
    assert_eq!(
        document
            .lines()
            .filter(|line| line.starts_with("| Campaign ") && line.contains("| Traffic |"))
            .count(),
        20,
        "twenty rows in the campaign table"
    );
    assert_eq!(
        costs[0], costs[1],
        "2 campaigns: {}, 20 campaigns: {}",
        costs[0], costs[1]
    );
    // 25 for the plan's rows, sums and names, and one for its review's history.
    assert!(costs[0] <= 26, "{} statements", costs[0]);
}

/// The demo plan of 2027 (as `levier seed-demo --year 2027` writes it, with measurements up to
/// March 31), seeded into the tenant `demo`: its global ID and a viewer's token. The year and
/// the last measured day are fixed so that the plan, and its document, are the same on any day.
async fn demo_plan(app: &TestApp) -> (String, String) {
    levier::demo::seed(
        app.app.database(),
        "demo",
        levier::demo::SeedOptions {
            year: Some(2027),
            replace: false,
            measured_until: chrono::NaiveDate::from_ymd_opt(2027, 3, 31),
        },
    )
    .await
    .expect("the demo is seeded");
    let token = app.token("demo", "viewer");
    let plan = app
        .data(&token, "{ plans(first: 1) { nodes { id } } }", json!({}))
        .await["plans"]["nodes"][0]["id"]
        .as_str()
        .expect("the demo plan")
        .to_owned();
    (plan, token)
}

/// The whole document of the demo plan, compared with the one committed under
/// `integration/snapshots/`: any change to the document's text fails here until the snapshot is
/// reviewed (`cargo insta review`, or by hand) and committed again. The document holds no ID,
/// timestamp or date of the day, so nothing needs redacting; the same text is expected from
/// SQLite and PostgreSQL.
#[tokio::test]
async fn the_demo_plan_document_matches_its_snapshot() {
    let app = TestApp::spawn().await;
    let (plan, token) = demo_plan(&app).await;
    let (status, _, document) = get_document(&app, Some(&token), &[], &plan).await;
    assert_eq!(status, StatusCode::OK, "{document}");
    insta::assert_snapshot!("demo_plan_document", document);
}

/// The amount of a document line `prefix X EUR suffix`, e.g. `| Planned in actions | 1.00 EUR |`.
fn amount_after(document: &str, prefix: &str) -> rust_decimal::Decimal {
    let line = document
        .lines()
        .find(|line| line.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{document}"));
    let amount = line[prefix.len()..]
        .trim_start_matches([' ', '*'])
        .split(" EUR")
        .next()
        .unwrap_or_default();
    crate::support::dec(amount)
}

/// The sum of the Decimal `field` of every element of `list`.
fn sum_of(list: &Value, field: &str) -> rust_decimal::Decimal {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|item| crate::support::decimal_of(&item[field]))
        .sum()
}

/// The document's totals are the API's: on the demo plan, whose cancelled action the document
/// once counted in "Planned in actions" (54,000 against the API's 53,200), the planned and actual
/// totals of every budget table and every month of the calendar are those of `Plan.calendar` and
/// `Plan.budgetReport`.
#[tokio::test]
async fn the_demo_plan_document_totals_are_the_apis() {
    let app = TestApp::spawn().await;
    let (plan, token) = demo_plan(&app).await;
    let api = app
        .data(
            &token,
            "query($id: ID!) { plan(id: $id) {
                byMonth: calendar(groupBy: MONTH) { month planned actual actions { status } }
                byCampaign: calendar(groupBy: CAMPAIGN) { planned actual }
                budgetReport { total { planned actual } byMonth { planned actual } }
            } }",
            json!({ "id": plan }),
        )
        .await["plan"]
        .clone();
    let (status, _, document) = get_document(&app, Some(&token), &[], &plan).await;
    assert_eq!(status, StatusCode::OK, "{document}");

    // The demo has a cancelled action, so that leaving it out of the sums is tested.
    assert!(
        api["byMonth"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|group| group["actions"].as_array().unwrap())
            .any(|action| action["status"] == "CANCELLED"),
        "{api}"
    );
    let planned = sum_of(&api["byMonth"], "planned");
    let actual = sum_of(&api["byMonth"], "actual");
    assert_eq!(planned, sum_of(&api["byCampaign"], "planned"));
    assert_eq!(planned, sum_of(&api["budgetReport"]["byMonth"], "planned"));
    assert_eq!(
        actual,
        crate::support::decimal_of(&api["budgetReport"]["total"]["actual"])
    );
    assert_eq!(planned, crate::support::dec("53200"));

    assert_eq!(amount_after(&document, "| Planned in actions |"), planned);
    assert_eq!(
        amount_after(&document, "| Actual cost of actions |"),
        actual
    );
    assert_eq!(
        amount_after(&document, "| Plan budget |"),
        crate::support::decimal_of(&api["budgetReport"]["total"]["planned"])
    );
    // The total rows of the tables by lever and by campaign: | **Total** | allocated or
    // budgeted | planned | actual |.
    let totals: Vec<Vec<rust_decimal::Decimal>> = document
        .lines()
        .filter(|line| line.starts_with("| **Total** |"))
        .map(|line| {
            line.split('|')
                .skip(3)
                .filter(|cell| cell.contains("EUR"))
                .map(|cell| {
                    crate::support::dec(cell.trim().trim_matches('*').trim_end_matches(" EUR"))
                })
                .collect()
        })
        .collect();
    assert_eq!(totals.len(), 2, "{document}");
    for total in totals {
        assert_eq!(total, vec![planned, actual], "{document}");
    }
    // Each month with actions: its planned amount is the calendar's.
    for group in api["byMonth"].as_array().unwrap() {
        if group["actions"].as_array().unwrap().is_empty() {
            continue;
        }
        let month = chrono::NaiveDate::parse_from_str(group["month"].as_str().unwrap(), "%Y-%m-%d")
            .unwrap();
        assert_eq!(
            amount_after(
                &document,
                &format!("**Planned in {}:**", month.format("%B %Y"))
            ),
            crate::support::decimal_of(&group["planned"]),
            "{month}"
        );
    }
}
