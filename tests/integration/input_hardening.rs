//! Data-level input hardening (issue 8): strings a database cannot store (NUL), texts longer
//! than their columns, sums beyond 64 bits, cursors of the wrong type, unbounded patterns,
//! plan periods and computed lists, and dates at the edges of the calendar. Each shape must
//! answer the same coded error (or the same exact value) on SQLite and PostgreSQL, never
//! INTERNAL_SERVER_ERROR.

use base64::Engine;
use serde_json::{Value, json};

use crate::support::{
    TestApp, create_action, create_campaign, create_persona, create_plan, dec, decimal_of,
    error_code, mutate, mutate_ok, on_postgres, user_errors,
};

/// A text with a NUL character in the middle.
const NUL: &str = "before\u{0}after";

/// Runs mutation `field` with `input` and returns its payload, asserting that the answer has
/// no GraphQL error (problems with the input belong in `userErrors`).
async fn payload(app: &TestApp, token: &str, field: &str, input: Value) -> Value {
    let body = mutate(
        app,
        token,
        field,
        "__typename userErrors { field message code }",
        input,
    )
    .await;
    assert!(
        body.get("errors").is_none(),
        "{field}: expected user errors, got {body}"
    );
    body["data"][field].clone()
}

/// Asserts that `field` answers the user error `expected` (`input.path: CODE`).
async fn assert_user_error(app: &TestApp, token: &str, field: &str, input: Value, expected: &str) {
    let payload = payload(app, token, field, input.clone()).await;
    let errors = user_errors(&payload);
    assert!(
        errors.iter().any(|error| error == expected),
        "{field} with {input}: expected `{expected}` among {errors:?}"
    );
}

/// What the test needs to exist: a plan of 2027, a persona, a campaign and an action.
struct Fixture {
    plan: String,
    persona: String,
    campaign: String,
    action: String,
}

async fn fixture(app: &TestApp, token: &str) -> Fixture {
    let plan = create_plan(app, token, "Hardening").await;
    let persona = create_persona(app, token, "Ada").await;
    let campaign = create_campaign(app, token, &plan, "Spring", &[&persona]).await;
    let action = create_action(app, token, &plan, json!({ "owner": "Ada" })).await;
    Fixture {
        plan,
        persona,
        campaign,
        action,
    }
}

#[tokio::test]
async fn nul_characters_in_mutation_inputs_are_invalid_user_errors() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let f = fixture(&app, &token).await;
    let plan = f.plan.as_str();
    let when = "2027-03-01T10:00:00Z";
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "createPlan",
            json!({ "name": NUL, "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "budget": "1" }),
            "input.name",
        ),
        (
            "createPlan",
            json!({ "name": "P", "description": NUL, "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "budget": "1" }),
            "input.description",
        ),
        (
            "updatePlan",
            json!({ "id": plan, "expectedVersion": 1, "name": NUL }),
            "input.name",
        ),
        ("createPersona", json!({ "name": NUL }), "input.name"),
        (
            "createPersona",
            json!({ "name": "Bea", "gender": NUL }),
            "input.gender",
        ),
        (
            "createPersona",
            json!({ "name": "Bea", "incomeBand": NUL }),
            "input.incomeBand",
        ),
        (
            "createPersona",
            json!({ "name": "Bea", "motivations": ["fine", NUL] }),
            "input.motivations.1",
        ),
        (
            "updatePersona",
            json!({ "id": f.persona, "expectedVersion": 1, "lifestyle": NUL }),
            "input.lifestyle",
        ),
        (
            "createCampaign",
            json!({ "planId": plan, "name": NUL, "kind": "AWARENESS", "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": "1" }),
            "input.name",
        ),
        (
            "createCampaign",
            json!({ "planId": plan, "name": "C", "kind": "AWARENESS", "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": "1", "utmCode": NUL }),
            "input.utmCode",
        ),
        (
            "createAction",
            crate::support::action_input(plan, json!({ "owner": NUL })),
            "input.owner",
        ),
        (
            "createAction",
            crate::support::action_input(plan, json!({ "title": NUL })),
            "input.title",
        ),
        (
            "updateAction",
            json!({ "id": f.action, "expectedVersion": 1, "description": NUL }),
            "input.description",
        ),
        (
            "createContentItem",
            crate::support::content_input(plan, &f.persona, json!({ "format": NUL })),
            "input.format",
        ),
        (
            "createContentItem",
            crate::support::content_input(plan, &f.persona, json!({ "callToAction": NUL })),
            "input.callToAction",
        ),
        (
            "createContentItem",
            crate::support::content_input(plan, &f.persona, json!({ "message": NUL })),
            "input.message",
        ),
        (
            "createObjective",
            json!({ "planId": plan, "title": "Reach", "kind": "AWARENESS", "kpiKey": NUL, "target": "10", "deadline": "2027-06-30" }),
            "input.kpiKey",
        ),
        (
            "createObjective",
            json!({ "planId": plan, "title": NUL, "kind": "AWARENESS", "kpiKey": "clicks", "target": "10", "deadline": "2027-06-30" }),
            "input.title",
        ),
        (
            "createKpiDefinition",
            json!({ "key": "qualified_leads", "name": NUL, "unit": "COUNT", "direction": "HIGHER_IS_BETTER", "aggregation": "SUM" }),
            "input.name",
        ),
        (
            "createKpiDefinition",
            json!({ "key": NUL, "name": "Q", "unit": "COUNT", "direction": "HIGHER_IS_BETTER", "aggregation": "SUM" }),
            "input.key",
        ),
        (
            "createKpiDefinition",
            json!({ "key": "lead_rate", "name": "Lead rate", "unit": "RATIO", "direction": "HIGHER_IS_BETTER", "aggregation": "RATIO", "numeratorKey": NUL, "denominatorKey": "clicks" }),
            "input.numeratorKey",
        ),
        (
            "updateTenant",
            json!({ "expectedVersion": 1, "name": NUL }),
            "input.name",
        ),
        (
            "createApiKey",
            json!({ "name": NUL, "scopes": ["READ_KPIS"] }),
            "input.name",
        ),
        (
            "recordMeasurements",
            json!({ "measurements": [{ "kpiKey": "clicks", "date": "2027-03-01", "value": "1", "source": NUL }] }),
            "input.measurements.0.source",
        ),
        (
            "recordMeasurements",
            json!({ "measurements": [{ "kpiKey": "clicks", "date": "2027-03-01", "value": "1", "source": "ga4", "externalId": NUL }] }),
            "input.measurements.0.externalId",
        ),
        (
            "recordMeasurements",
            json!({ "measurements": [{ "kpiKey": NUL, "date": "2027-03-01", "value": "1", "source": "ga4" }] }),
            "input.measurements.0.kpiKey",
        ),
        (
            "recordTouchpoints",
            json!({ "touchpoints": [{ "journeyId": NUL, "lever": "SEO", "occurredAt": when, "externalId": "t1" }] }),
            "input.touchpoints.0.journeyId",
        ),
        (
            "recordTouchpoints",
            json!({ "touchpoints": [{ "journeyId": "j", "lever": "SEO", "occurredAt": when, "externalId": "t1", "source": NUL }] }),
            "input.touchpoints.0.source",
        ),
        (
            "recordConversions",
            json!({ "conversions": [{ "journeyId": "j", "occurredAt": when, "externalId": NUL, "value": "1" }] }),
            "input.conversions.0.externalId",
        ),
        (
            "createCompetitor",
            json!({ "planId": plan, "name": "Rival", "strengths": [NUL] }),
            "input.strengths.0",
        ),
        (
            "createCompetitor",
            json!({ "planId": plan, "name": "Rival", "website": format!("https://rival.example/{NUL}") }),
            "input.website",
        ),
        (
            "createSegment",
            json!({ "planId": plan, "name": "Urban", "criteria": [NUL] }),
            "input.criteria.0",
        ),
        (
            "setBrand",
            json!({ "planId": plan, "mission": NUL }),
            "input.mission",
        ),
        (
            "setMarketingMix",
            json!({ "planId": plan, "dimension": "PRODUCT", "text": NUL }),
            "input.text",
        ),
        (
            "createMarketTrend",
            json!({ "planId": plan, "statement": "Trend", "impact": 3, "source": NUL }),
            "input.source",
        ),
        (
            "createSwotItem",
            json!({ "planId": plan, "quadrant": "STRENGTH", "statement": NUL, "impact": 3 }),
            "input.statement",
        ),
        (
            "createPestFactor",
            json!({ "planId": plan, "category": "POLITICAL", "statement": NUL, "impact": 3, "likelihood": 3 }),
            "input.statement",
        ),
        (
            "createLeverAllocation",
            json!({ "planId": plan, "lever": "SEO", "budget": "10", "priority": 1, "rationale": NUL }),
            "input.rationale",
        ),
        (
            "createLeverInteraction",
            json!({ "planId": plan, "fromLever": "SEO", "toLever": "SEA", "kind": "SYNERGY", "note": NUL }),
            "input.note",
        ),
        (
            "copyPlan",
            json!({ "planId": plan, "name": NUL, "periodStart": "2028-01-01" }),
            "input.name",
        ),
        (
            "applyArbitrage",
            json!({ "planId": plan, "ceiling": "100", "fingerprint": NUL }),
            "input.fingerprint",
        ),
    ];
    for (field, input, path) in cases {
        assert_user_error(&app, &token, field, input, &format!("{path}: INVALID")).await;
    }
    // Nothing was written: the tenant kept its name, no plan or persona was added.
    let data = app
        .data(
            &token,
            "{ viewer { tenant { name } } plans { totalCount } personas { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(data["viewer"]["tenant"]["name"], "acme");
    assert_eq!(data["plans"]["totalCount"], 1);
    assert_eq!(data["personas"]["totalCount"], 1);
}

#[tokio::test]
async fn nul_characters_in_filters_and_export_parameters_are_bad_user_input() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let f = fixture(&app, &token).await;
    let queries: Vec<(&str, Value)> = vec![
        (
            "query($t: String) { plans(filter: { nameContains: $t }) { totalCount } }",
            json!({ "t": NUL }),
        ),
        (
            "query($t: String) { actions(filter: { owner: $t }) { totalCount } }",
            json!({ "t": NUL }),
        ),
        (
            "query($id: ID!, $t: String) { node(id: $id) { ... on Plan { actions(filter: { owner: $t }) { totalCount nodes { id } } } } }",
            json!({ "id": f.plan, "t": NUL }),
        ),
        (
            "query($id: ID!, $t: String) { node(id: $id) { ... on Campaign { actions(filter: { owner: $t }) { totalCount } } } }",
            json!({ "id": f.campaign, "t": NUL }),
        ),
        (
            "query($t: String) { measurements(filter: { source: $t }) { totalCount } }",
            json!({ "t": NUL }),
        ),
        (
            "query($t: String!) { measurements(filter: { kpiKeys: [$t] }) { totalCount } }",
            json!({ "t": NUL }),
        ),
        (
            "query($t: String!) { kpiSeries(input: { kpiKeys: [$t], from: \"2027-01-01\", to: \"2027-12-31\", grain: MONTH }) { value } }",
            json!({ "t": NUL }),
        ),
    ];
    for (query, variables) in queries {
        let body = app.gql(&token, query, variables).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{query}: {body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|message| message.contains("NUL")),
            "{query}: {body}"
        );
    }
    for path in [
        "/export/kpi-series.csv?kpis=clicks%00x&from=2027-01-01&to=2027-12-31&grain=MONTH",
        "/export/measurements.csv?source=ga4%00x",
        "/export/measurements.csv?kpis=clicks%00x",
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{path}: {body}");
    }
}

#[tokio::test]
async fn texts_longer_than_their_columns_are_too_long_on_both_databases() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let f = fixture(&app, &token).await;
    let plan = f.plan.as_str();
    let long = |chars: usize| "é".repeat(chars);
    // Every varchar(n) column a client writes, at n + 1 characters (multi-byte, so that a
    // byte count would disagree with PostgreSQL's character count).
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "createPersona",
            json!({ "name": "Bea", "gender": long(101) }),
            "input.gender",
        ),
        (
            "createPersona",
            json!({ "name": "Bea", "incomeBand": long(101) }),
            "input.incomeBand",
        ),
        (
            "createPersona",
            json!({ "name": "Bea", "location": long(201) }),
            "input.location",
        ),
        (
            "createPersona",
            json!({ "name": "Bea", "occupation": long(201) }),
            "input.occupation",
        ),
        (
            "createPersona",
            json!({ "name": "Bea", "education": long(201) }),
            "input.education",
        ),
        (
            "updatePersona",
            json!({ "id": f.persona, "expectedVersion": 1, "gender": long(101) }),
            "input.gender",
        ),
        (
            "updatePersona",
            json!({ "id": f.persona, "expectedVersion": 1, "education": long(201) }),
            "input.education",
        ),
        ("createPersona", json!({ "name": long(201) }), "input.name"),
        (
            "createPlan",
            json!({ "name": long(201), "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "budget": "1" }),
            "input.name",
        ),
        (
            "createCampaign",
            json!({ "planId": plan, "name": long(201), "kind": "AWARENESS", "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": "1" }),
            "input.name",
        ),
        (
            "createAction",
            crate::support::action_input(plan, json!({ "owner": long(201) })),
            "input.owner",
        ),
        (
            "createContentItem",
            crate::support::content_input(plan, &f.persona, json!({ "format": long(201) })),
            "input.format",
        ),
        (
            "createContentItem",
            crate::support::content_input(plan, &f.persona, json!({ "callToAction": long(201) })),
            "input.callToAction",
        ),
        (
            "createApiKey",
            json!({ "name": long(201), "scopes": ["READ_KPIS"] }),
            "input.name",
        ),
        (
            "updateTenant",
            json!({ "expectedVersion": 1, "name": long(201) }),
            "input.name",
        ),
        (
            "createCompetitor",
            json!({ "planId": plan, "name": long(201) }),
            "input.name",
        ),
        (
            "createSegment",
            json!({ "planId": plan, "name": long(201) }),
            "input.name",
        ),
        (
            "createKpiDefinition",
            json!({ "key": "qualified_leads", "name": long(201), "unit": "COUNT", "direction": "HIGHER_IS_BETTER", "aggregation": "SUM" }),
            "input.name",
        ),
        (
            "recordMeasurements",
            json!({ "measurements": [{ "kpiKey": "clicks", "date": "2027-03-01", "value": "1", "source": long(65) }] }),
            "input.measurements.0.source",
        ),
        (
            "recordMeasurements",
            json!({ "measurements": [{ "kpiKey": "clicks", "date": "2027-03-01", "value": "1", "source": "ga4", "externalId": long(256) }] }),
            "input.measurements.0.externalId",
        ),
        (
            "recordTouchpoints",
            json!({ "touchpoints": [{ "journeyId": long(256), "lever": "SEO", "occurredAt": "2027-03-01T10:00:00Z", "externalId": "t1" }] }),
            "input.touchpoints.0.journeyId",
        ),
        (
            "recordConversions",
            json!({ "conversions": [{ "journeyId": "j", "occurredAt": "2027-03-01T10:00:00Z", "externalId": "c1", "value": "1", "source": long(65) }] }),
            "input.conversions.0.source",
        ),
    ];
    for (field, input, path) in cases {
        assert_user_error(&app, &token, field, input, &format!("{path}: TOO_LONG")).await;
    }
    // At the limit, the same texts are stored whole.
    let persona = mutate_ok(
        &app,
        &token,
        "createPersona",
        "persona { gender incomeBand education } userErrors { field code }",
        json!({ "name": "Cleo", "gender": long(100), "incomeBand": long(100), "education": long(200) }),
    )
    .await;
    assert_eq!(persona["userErrors"], json!([]), "{persona}");
    assert_eq!(persona["persona"]["gender"], long(100));
    assert_eq!(persona["persona"]["education"], long(200));
}

/// A cursor of the action list in `ordering` (`action:DUE_DATE:ASC`) carrying `value`
/// (`i=1`, `d=2027-03-01`, `t=…`), as the API writes them.
fn keyset_cursor(ordering: &str, value: &str) -> String {
    let id = uuid::Uuid::now_v7().simple().to_string();
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("keyset:{ordering}:{value}:{id}"))
}

#[tokio::test]
async fn cursors_carrying_a_value_of_the_wrong_type_are_bad_user_input() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let f = fixture(&app, &token).await;
    // The action of the fixture has no campaign: give the campaign one of its own.
    create_action(&app, &token, &f.plan, json!({ "campaignId": f.campaign })).await;
    let bad = [
        ("action:DUE_DATE:ASC", "i=1"),
        ("action:DUE_DATE:ASC", "t=2027-03-01T00:00:00Z"),
        ("action:PRIORITY:ASC", "d=2027-03-01"),
        ("action:BUDGET:DESC", "t=2027-03-01T00:00:00Z"),
        ("action:CREATED_AT:ASC", "d=2027-03-01"),
        ("action:CREATED_AT:ASC", "i=5"),
        // Dates outside the ISO calendar's four-digit years.
        ("action:DUE_DATE:ASC", "d=-200000-01-01"),
        ("action:DUE_DATE:ASC", "d=+200000-01-01"),
    ];
    let field = |ordering: &str| -> &'static str {
        match ordering.split(':').nth(1) {
            Some("PRIORITY") => "PRIORITY",
            Some("BUDGET") => "BUDGET",
            Some("CREATED_AT") => "CREATED_AT",
            _ => "DUE_DATE",
        }
    };
    for (ordering, value) in bad {
        let cursor = keyset_cursor(ordering, value);
        let direction = if ordering.ends_with("DESC") {
            "DESC"
        } else {
            "ASC"
        };
        let order = json!({ "field": field(ordering), "direction": direction });
        let top = app
            .gql(
                &token,
                "query($c: String, $o: ActionOrder) { actions(after: $c, orderBy: $o) { totalCount nodes { id } } }",
                json!({ "c": cursor, "o": order }),
            )
            .await;
        assert_eq!(
            error_code(&top),
            Some("BAD_USER_INPUT"),
            "{ordering} {value}: {top}"
        );
        let nested = app
            .gql(
                &token,
                "query($id: ID!, $c: String, $o: ActionOrder) { node(id: $id) { ... on Campaign { name actions(after: $c, orderBy: $o) { nodes { id title } } } } }",
                json!({ "id": f.campaign, "c": cursor, "o": order }),
            )
            .await;
        assert_eq!(
            error_code(&nested),
            Some("BAD_USER_INPUT"),
            "{ordering} {value}: {nested}"
        );
    }
    // The cursors the API writes still work, in every order.
    for field in ["DUE_DATE", "PRIORITY", "BUDGET", "CREATED_AT"] {
        let order = json!({ "field": field, "direction": "ASC" });
        let first = app
            .data(
                &token,
                "query($o: ActionOrder) { actions(first: 1, orderBy: $o) { pageInfo { endCursor } } }",
                json!({ "o": order }),
            )
            .await;
        let cursor = first["actions"]["pageInfo"]["endCursor"].clone();
        let next = app
            .data(
                &token,
                "query($c: String, $o: ActionOrder) { actions(first: 1, after: $c, orderBy: $o) { nodes { id } } }",
                json!({ "c": cursor, "o": order }),
            )
            .await;
        assert_eq!(
            next["actions"]["nodes"].as_array().map(Vec::len),
            Some(1),
            "{field}: {next}"
        );
    }
}

/// Walks `value` and returns the paths of the nulls found directly inside a list.
fn nulls_in_lists(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                if item.is_null() {
                    found.push(format!("{path}.{index}"));
                }
                nulls_in_lists(item, &format!("{path}.{index}"), found);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                nulls_in_lists(item, &format!("{path}.{key}"), found);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn a_failing_field_never_leaves_a_null_in_a_non_null_list() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let f = fixture(&app, &token).await;
    create_action(&app, &token, &f.plan, json!({ "campaignId": f.campaign })).await;
    let child = mutate_ok(
        &app,
        &token,
        "createCampaign",
        "campaign { id } userErrors { field code }",
        json!({ "planId": f.plan, "name": "Spring child", "kind": "AWARENESS", "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": "1", "parentCampaignId": f.campaign }),
    )
    .await;
    assert_eq!(child["userErrors"], json!([]), "{child}");
    let bad = keyset_cursor("action:DUE_DATE:ASC", "i=1");
    // The only selected field of each child fails: a child cannot be null in
    // `[Campaign!]!`, nor `children` null, so the null goes up to the nearest nullable field,
    // `node`.
    let body = app
        .gql(
            &token,
            "query($id: ID!, $c: String) { node(id: $id) { ... on Campaign { name children { actions(after: $c) { totalCount } } } } }",
            json!({ "id": f.campaign, "c": bad }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    let mut found = Vec::new();
    nulls_in_lists(&body["data"], "data", &mut found);
    assert_eq!(found, Vec::<String>::new(), "{body}");
    assert_eq!(body["data"]["node"], Value::Null, "{body}");
    // A failing non-null field makes its object null, up to the nearest nullable field: the
    // campaign (whose `actions` is `ActionConnection!`) is null, not an object without it.
    let campaign = app
        .gql(
            &token,
            "query($id: ID!, $c: String) { node(id: $id) { ... on Campaign { name actions(after: $c) { totalCount } } } }",
            json!({ "id": f.campaign, "c": bad }),
        )
        .await;
    assert_eq!(error_code(&campaign), Some("BAD_USER_INPUT"), "{campaign}");
    assert_eq!(campaign["data"]["node"], Value::Null, "{campaign}");
    // `Action.campaign` is nullable: the failure stops there, and each action keeps its title.
    let nested = app
        .gql(
            &token,
            "query($id: ID!, $c: String) { node(id: $id) { ... on Plan { actions { nodes { title campaign { name actions(after: $c) { totalCount } } } } } } }",
            json!({ "id": f.plan, "c": bad }),
        )
        .await;
    assert_eq!(error_code(&nested), Some("BAD_USER_INPUT"), "{nested}");
    let nodes = nested["data"]["node"]["actions"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(nodes.len(), 2, "{nested}");
    for node in &nodes {
        assert!(node["title"].is_string(), "{nested}");
        assert_eq!(node["campaign"], Value::Null, "{nested}");
    }
    // Errors below a nullable field keep their siblings: the plan's name is still there.
    let sibling = app
        .gql(
            &token,
            "query($id: ID!, $c: String) { plan: node(id: $id) { id } campaign: node(id: $id) { ... on Plan { actions(after: $c) { totalCount } } } }",
            json!({ "id": f.plan, "c": bad }),
        )
        .await;
    assert!(sibling["data"]["plan"]["id"].is_string(), "{sibling}");
    assert_eq!(sibling["data"]["campaign"], Value::Null, "{sibling}");
}

#[tokio::test]
async fn patterns_and_filter_texts_are_bounded() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    create_plan(&app, &token, "Spring 100% organic").await;
    let long = "a".repeat(50_000);
    for (query, variables) in [
        (
            "query($t: String) { plans(filter: { nameContains: $t }) { totalCount } }",
            json!({ "t": long }),
        ),
        (
            "query($t: String) { plans(filter: { nameContains: $t }) { totalCount } }",
            json!({ "t": "%_".repeat(101) }),
        ),
        (
            "query($t: String) { actions(filter: { owner: $t }) { totalCount } }",
            json!({ "t": long }),
        ),
        (
            "query($t: String) { measurements(filter: { source: $t }) { totalCount } }",
            json!({ "t": long }),
        ),
    ] {
        let body = app.gql(&token, query, variables).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{query}: {body}");
    }
    // 200 characters of LIKE wildcards are accepted, escaped, and match literally.
    let at_limit = app
        .data(
            &token,
            "query($t: String) { plans(filter: { nameContains: $t }) { totalCount } }",
            json!({ "t": "%_".repeat(100) }),
        )
        .await;
    assert_eq!(at_limit["plans"]["totalCount"], 0);
    let literal = app
        .data(
            &token,
            "query($t: String) { plans(filter: { nameContains: $t }) { totalCount } }",
            json!({ "t": "100%" }),
        )
        .await;
    assert_eq!(literal["plans"]["totalCount"], 1);
}

#[tokio::test]
async fn plan_periods_are_bounded_to_ten_years() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let plan = create_plan(&app, &token, "Decade").await;
    let create = |start: &str, end: &str| json!({ "name": "Long", "periodStart": start, "periodEnd": end, "budget": "1" });
    assert_user_error(
        &app,
        &token,
        "createPlan",
        create("0001-01-01", "9999-12-31"),
        "input.periodEnd: OUT_OF_RANGE",
    )
    .await;
    assert_user_error(
        &app,
        &token,
        "createPlan",
        create("2027-01-01", "2037-01-01"),
        "input.periodEnd: OUT_OF_RANGE",
    )
    .await;
    // Exactly ten years is accepted.
    let decade = mutate_ok(
        &app,
        &token,
        "createPlan",
        "plan { id } userErrors { field code }",
        create("2027-01-01", "2036-12-31"),
    )
    .await;
    assert_eq!(decade["userErrors"], json!([]), "{decade}");
    assert_user_error(
        &app,
        &token,
        "updatePlan",
        json!({ "id": plan, "expectedVersion": 1, "periodEnd": "2040-01-01" }),
        "input.periodEnd: OUT_OF_RANGE",
    )
    .await;
    assert_user_error(
        &app,
        &token,
        "updatePlan",
        json!({ "id": plan, "expectedVersion": 1, "periodStart": "2001-01-01" }),
        "input.periodStart: OUT_OF_RANGE",
    )
    .await;
    // A copy cannot be moved past the last date of the calendar.
    assert_user_error(
        &app,
        &token,
        "copyPlan",
        json!({ "planId": plan, "name": "Far", "periodStart": "9999-06-01" }),
        "input.periodStart: OUT_OF_RANGE",
    )
    .await;
    // Dates outside four-digit years are not dates of the API.
    for date in ["-200000-01-01", "+12345-01-01", "10000-01-01", "0000-12-31"] {
        let body = mutate(
            &app,
            &token,
            "createPlan",
            "plan { id } userErrors { field code }",
            create(date, "2027-12-31"),
        )
        .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{date}: {body}");
    }
}

#[tokio::test]
async fn computed_lists_stay_bounded_for_plans_stored_before_the_bound() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let plan = create_plan(&app, &token, "Ancient").await;
    // A plan stored before periods were bounded: 0001-01-01 to 9999-12-31.
    let database = app.app.database();
    use sea_orm::ConnectionTrait;
    let hex = crate::support::uuid_hex_of(&plan);
    let literal = if on_postgres() {
        format!("'{hex}'::uuid")
    } else {
        // SQLite stores UUIDs as 16-byte blobs.
        format!("x'{hex}'")
    };
    let (start, end) = if on_postgres() {
        ("DATE '0001-01-01'", "DATE '9999-12-31'")
    } else {
        ("'0001-01-01'", "'9999-12-31'")
    };
    database
        .execute_unprepared(&format!(
            "UPDATE plans SET period_start = {start}, period_end = {end} WHERE id = {literal}"
        ))
        .await
        .unwrap();
    let started = std::time::Instant::now();
    for selection in [
        "calendar(groupBy: MONTH) { month }",
        "budgetReport { byMonth { month } }",
    ] {
        let body = app
            .gql(
                &token,
                &format!("query($id: ID!) {{ node(id: $id) {{ ... on Plan {{ {selection} }} }} }}"),
                json!({ "id": plan }),
            )
            .await;
        assert_eq!(
            error_code(&body),
            Some("BAD_USER_INPUT"),
            "{selection}: {body}"
        );
        let text = body.to_string();
        assert!(text.len() < 10_000, "{selection}: {} bytes", text.len());
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    // Groupings whose size is the data's, not the period's, still answer.
    let data = app
        .data(
            &token,
            "query($id: ID!) { node(id: $id) { ... on Plan { calendar(groupBy: CAMPAIGN) { planned } } } }",
            json!({ "id": plan }),
        )
        .await;
    assert_eq!(data["node"]["calendar"].as_array().map(Vec::len), Some(1));
}

/// 9 000 000 000 000: three of them leave the signed 64-bit range once in micros
/// (2^63 − 1 micros is 9 223 372 036 854.775807).
const HUGE: &str = "9000000000000";

#[tokio::test]
async fn sums_beyond_sixty_four_bits_are_exact() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let plan = create_plan(&app, &token, "Huge").await;
    let persona = create_persona(&app, &token, "Ada").await;
    let campaign = create_campaign(&app, &token, &plan, "Spring", &[&persona]).await;
    let rows: Vec<Value> = ["2027-03-01", "2027-03-02", "2027-03-03"]
        .iter()
        .flat_map(|date| {
            [
                json!({ "kpiKey": "clicks", "date": date, "value": HUGE, "source": "ga4", "campaignId": campaign }),
                json!({ "kpiKey": "impressions", "date": date, "value": "1", "source": "ga4", "campaignId": campaign }),
            ]
        })
        .collect();
    let recorded = mutate_ok(
        &app,
        &token,
        "recordMeasurements",
        "inserted userErrors { field code }",
        json!({ "measurements": rows }),
    )
    .await;
    assert_eq!(recorded["inserted"], 6, "{recorded}");
    let series = app
        .data(
            &token,
            "{ kpiSeries(input: { kpiKeys: [\"clicks\", \"ctr\"], from: \"2027-01-01\", to: \"2027-12-31\", grain: MONTH }) { kpiKey value } }",
            json!({}),
        )
        .await;
    let points = series["kpiSeries"].as_array().cloned().unwrap_or_default();
    assert_eq!(points.len(), 2, "{series}");
    assert_eq!(decimal_of(&points[0]["value"]), dec("27000000000000"));
    // ctr = clicks / impressions = 27e12 / 3.
    assert_eq!(decimal_of(&points[1]["value"]), dec("9000000000000"));
    // The same through the CSV export.
    let csv = app
        .client
        .get(format!(
            "{}/export/kpi-series.csv?kpis=clicks&from=2027-01-01&to=2027-12-31&grain=YEAR",
            app.address
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status().as_u16(), 200);
    let text = csv.text().await.unwrap();
    assert!(text.contains("clicks,2027-01-01,27000000000000"), "{text}");

    // An objective counting those clicks.
    let objective = mutate_ok(
        &app,
        &token,
        "createObjective",
        "objective { currentValue progress } userErrors { field code }",
        json!({ "planId": plan, "title": "Clicks", "kind": "TRAFFIC", "kpiKey": "clicks", "target": "0.000001", "deadline": "2027-12-31" }),
    )
    .await;
    assert_eq!(objective["userErrors"], json!([]), "{objective}");
    assert_eq!(
        decimal_of(&objective["objective"]["currentValue"]),
        dec("27000000000000")
    );
    // 27e12 / 1e-6 = 2.7e19: a plain float.
    let progress = objective["objective"]["progress"].as_f64().unwrap_or(0.0);
    assert!((progress / 2.7e19 - 1.0).abs() < 1e-9, "{objective}");

    // Budgets: three campaigns and three lever allocations of 9e12, and actions of 9e12.
    for name in ["A", "B"] {
        mutate_ok(
            &app,
            &token,
            "createCampaign",
            "campaign { id } userErrors { field code }",
            json!({ "planId": plan, "name": name, "kind": "AWARENESS", "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": HUGE }),
        )
        .await;
    }
    for lever in ["SEO", "SEA", "EMAILING"] {
        mutate_ok(
            &app,
            &token,
            "createLeverAllocation",
            "leverAllocation { id } userErrors { field code }",
            json!({ "planId": plan, "lever": lever, "budget": HUGE, "priority": 1 }),
        )
        .await;
    }
    for title in ["One", "Two", "Three"] {
        create_action(
            &app,
            &token,
            &plan,
            json!({ "title": title, "budget": HUGE, "actualCost": HUGE }),
        )
        .await;
    }
    let data = app
        .data(
            &token,
            "query($id: ID!) { node(id: $id) { ... on Plan {
                budgetCheck { allocated campaignBudgets unallocated warnings { code } }
                budgetReport { total { planned actual variance } byMonth { month planned actual } byLever { lever planned actual } }
                calendar(groupBy: MONTH) { month planned actual }
                byType: calendar(groupBy: ACTION_TYPE) { planned actual }
            } } }",
            json!({ "id": plan }),
        )
        .await;
    let plan_data = &data["node"];
    let check = &plan_data["budgetCheck"];
    assert_eq!(decimal_of(&check["allocated"]), dec("27000000000000"));
    // The fixture's campaign has a budget of 1000.
    assert_eq!(decimal_of(&check["campaignBudgets"]), dec("18000000001000"));
    assert_eq!(
        decimal_of(&check["unallocated"]),
        dec("100000") - dec("27000000000000")
    );
    let report = &plan_data["budgetReport"];
    assert_eq!(
        decimal_of(&report["total"]["actual"]),
        dec("27000000000000")
    );
    assert_eq!(
        decimal_of(&report["total"]["variance"]),
        dec("27000000000000") - dec("100000")
    );
    let march = report["byMonth"]
        .as_array()
        .and_then(|months| months.iter().find(|m| m["month"] == "2027-03-01"))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(
        decimal_of(&march["planned"]),
        dec("27000000000000"),
        "{report}"
    );
    assert_eq!(decimal_of(&march["actual"]), dec("27000000000000"));
    let calendar_march = plan_data["calendar"]
        .as_array()
        .and_then(|months| months.iter().find(|m| m["month"] == "2027-03-01"))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(
        decimal_of(&calendar_march["planned"]),
        dec("27000000000000")
    );
    assert_eq!(
        decimal_of(&plan_data["byType"][0]["actual"]),
        dec("27000000000000")
    );
    // The plan document sums the same amounts.
    let document = app
        .client
        .get(format!(
            "{}/plans/{}/document.md",
            app.address,
            plan.as_str()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(document.status().as_u16(), 200);
    let text = document.text().await.unwrap();
    assert!(
        text.contains("| Allocated to levers | 27000000000000.00 EUR |"),
        "{text}"
    );
    assert!(
        text.contains("| Actual cost of actions | 27000000000000.00 EUR |"),
        "{text}"
    );
}

#[tokio::test]
async fn a_single_value_is_bounded_by_its_micros() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let at = |value: &str| json!({ "measurements": [{ "kpiKey": "spend", "date": "2027-03-01", "value": value, "source": "ga4" }] });
    let ok = mutate_ok(
        &app,
        &token,
        "recordMeasurements",
        "inserted userErrors { field code }",
        at("9223372036854.775807"),
    )
    .await;
    assert_eq!(ok["inserted"], 1, "{ok}");
    for value in [
        "9223372036854.775808",
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
    ] {
        assert_user_error(
            &app,
            &token,
            "recordMeasurements",
            at(value),
            "input.measurements.0.value: OUT_OF_RANGE",
        )
        .await;
    }
    // Decimals at the edges of their own range: a user error or a refused scalar, never a
    // fault.
    for value in [
        "0.0000000000000000000000000001",
        "1e-30",
        "1e28",
        "-7.9228162514264337593543950335E+28",
        "79228162514264337593543950335.5",
    ] {
        let body = mutate(
            &app,
            &token,
            "recordMeasurements",
            "inserted userErrors { field code }",
            at(value),
        )
        .await;
        let errors = user_errors(&body["data"]["recordMeasurements"]);
        assert!(
            error_code(&body) == Some("BAD_USER_INPUT")
                || errors.iter().any(|error| {
                    error == "input.measurements.0.value: OUT_OF_RANGE"
                        || error == "input.measurements.0.value: TOO_PRECISE"
                }),
            "{value}: {body}"
        );
    }
    // Beyond a decimal's range, the scalar itself refuses it.
    let body = mutate(&app, &token, "recordMeasurements", "inserted", at("1e40")).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
}

#[tokio::test]
async fn page_sizes_at_the_edges_of_an_int_are_coded() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    create_plan(&app, &token, "One").await;
    let big = app
        .data(
            &token,
            "{ plans(first: 2147483647) { totalCount nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(big["plans"]["nodes"].as_array().map(Vec::len), Some(1));
    for query in [
        "{ plans(first: -1) { totalCount } }",
        "{ plans(last: -2147483648) { totalCount } }",
        "{ actions(first: -1) { totalCount } }",
    ] {
        let body = app.gql(&token, query, json!({})).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{query}: {body}");
    }
    for input in [
        json!({ "model": "LINEAR", "from": "2027-01-01T00:00:00Z", "to": "2027-02-01T00:00:00Z", "groupBy": "LEVER", "lookbackDays": 2147483647 }),
        json!({ "model": "LINEAR", "from": "2027-01-01T00:00:00Z", "to": "2027-02-01T00:00:00Z", "groupBy": "LEVER", "lookbackDays": -2147483648 }),
        json!({ "model": "TIME_DECAY", "from": "2027-01-01T00:00:00Z", "to": "2027-02-01T00:00:00Z", "groupBy": "LEVER", "halfLifeDays": 1e300 }),
        json!({ "model": "TIME_DECAY", "from": "2027-01-01T00:00:00Z", "to": "2027-02-01T00:00:00Z", "groupBy": "LEVER", "halfLifeDays": 1e-300 }),
        json!({ "model": "LINEAR", "from": "0001-01-01T00:00:00Z", "to": "9999-12-31T23:59:59Z", "groupBy": "LEVER", "lookbackDays": 365 }),
    ] {
        let body = app
            .gql(
                &token,
                "query($input: AttributionInput!) { attribution(input: $input) { totalValue } }",
                json!({ "input": input }),
            )
            .await;
        let code = error_code(&body);
        assert!(
            code.is_none() || code == Some("BAD_USER_INPUT"),
            "{input}: {body}"
        );
    }
    // The widest series range answers (no measurements: no points).
    let series = app
        .data(
            &token,
            "{ kpiSeries(input: { kpiKeys: [\"clicks\"], from: \"0001-01-01\", to: \"9999-12-31\", grain: DAY }) { value } }",
            json!({}),
        )
        .await;
    assert_eq!(series["kpiSeries"], json!([]));
}

#[tokio::test]
async fn a_nul_character_in_a_subscription_filter_is_bad_user_input() {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    let url = format!("{}/graphql", app.address.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let messages = [
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }),
        json!({ "id": "1", "type": "subscribe", "payload": {
            "query": "subscription($k: [String!]) { measurementRecorded(kpiKeys: $k) { change } }",
            "variables": { "k": ["clicks", NUL] },
        } }),
    ];
    for message in messages {
        socket
            .send(Message::Text(message.to_string().into()))
            .await
            .unwrap();
    }
    let mut answers = Vec::new();
    while answers.len() < 2 {
        let message = tokio::time::timeout(std::time::Duration::from_secs(15), socket.next())
            .await
            .expect("a message in time");
        match message {
            Some(Ok(Message::Text(text))) => {
                answers.push(serde_json::from_str::<Value>(&text).unwrap());
            }
            Some(Ok(_)) => {}
            other => panic!("closed: {other:?}"),
        }
    }
    assert_eq!(answers[0]["type"], "connection_ack", "{answers:?}");
    // Refused before it starts: the protocol's `error` message, its payload the errors.
    assert_eq!(answers[1]["type"], "error", "{answers:?}");
    let error = &answers[1]["payload"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{answers:?}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|message| message.contains("kpiKeys.1") && message.contains("NUL")),
        "{answers:?}"
    );
}
