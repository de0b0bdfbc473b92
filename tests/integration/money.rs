//! Money that round-trips (docs/scalars.md): an amount comes back with at least its currency's
//! minor units (ISO 4217) and every significant digit it was sent with, in GraphQL and the
//! plan document alike; measured values keep no trailing zeros and ratios keep 12 decimal
//! places, in GraphQL and the CSV exports alike; the scalars name their specifications.

use serde_json::{Value, json};

use crate::{
    document::get_document,
    kpi_series::{m, record},
    support::{TestApp, action_input, mutate_ok, user_errors},
};

/// Runs a mutation that must succeed without user errors; returns its payload.
async fn ok(app: &TestApp, token: &str, field: &str, selection: &str, input: Value) -> Value {
    let payload = mutate_ok(app, token, field, selection, input).await;
    assert_eq!(user_errors(&payload), Vec::<String>::new(), "{payload}");
    payload
}

/// The ID at `pointer` of `payload`.
fn id_at(payload: &Value, pointer: &str) -> String {
    payload
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no {pointer} in {payload}"))
        .to_owned()
}

/// `GET /export/{name}.csv?{query}` as `token`: the body, after checking the status.
async fn csv(app: &TestApp, token: &str, name: &str, query: &str) -> String {
    let response = app
        .client
        .get(format!("{}/export/{name}.csv?{query}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .expect("the request is sent");
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    response.text().await.unwrap_or_default()
}

/// The amounts a plan's budget, campaign, action and lever allocation are sent with, and what
/// each comes back as in `currency`.
struct Case {
    currency: &'static str,
    plan: (&'static str, &'static str),
    campaign: (&'static str, &'static str),
    updated_campaign: (&'static str, &'static str),
    action_budget: (&'static str, &'static str),
    action_cost: (&'static str, &'static str),
    allocation: (&'static str, &'static str),
    /// The plan's budget minus the allocation.
    unallocated: &'static str,
    /// The action's cost minus its budget (the month's variance).
    variance: &'static str,
}

const EUR: Case = Case {
    currency: "EUR",
    plan: ("1250.50", "1250.50"),
    campaign: ("100", "100.00"),
    updated_campaign: ("300", "300.00"),
    action_budget: ("1250.505", "1250.505"),
    action_cost: ("300", "300.00"),
    allocation: ("2000.5", "2000.50"),
    unallocated: "-750.00",
    variance: "-950.505",
};

const JPY: Case = Case {
    currency: "JPY",
    plan: ("1500", "1500"),
    campaign: ("100", "100"),
    updated_campaign: ("300", "300"),
    action_budget: ("1250.50", "1250.5"),
    action_cost: ("300", "300"),
    allocation: ("2000", "2000"),
    unallocated: "-500",
    variance: "-950.5",
};

/// Creates a plan in `case.currency` with a campaign (then updated), an action of the campaign
/// and a lever allocation, and checks every amount as GraphQL and the document write it.
async fn amounts_round_trip(case: &Case) {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let created = ok(
        &app,
        &editor,
        "createPlan",
        "plan { id budget currency } userErrors { field code }",
        json!({ "name": "Money plan", "periodStart": "2027-01-01", "periodEnd": "2027-12-31",
                "currency": case.currency, "budget": case.plan.0 }),
    )
    .await;
    assert_eq!(created["plan"]["budget"], case.plan.1);
    let plan = id_at(&created, "/plan/id");

    let campaign = ok(
        &app,
        &editor,
        "createCampaign",
        "campaign { id budget version } userErrors { field code }",
        json!({ "planId": plan, "name": "Spring", "kind": "AWARENESS", "levers": ["SEO"],
                "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": case.campaign.0 }),
    )
    .await;
    assert_eq!(campaign["campaign"]["budget"], case.campaign.1);
    let updated = ok(
        &app,
        &editor,
        "updateCampaign",
        "campaign { id budget } userErrors { field code }",
        json!({ "id": id_at(&campaign, "/campaign/id"), "expectedVersion": 1,
                "budget": case.updated_campaign.0 }),
    )
    .await;
    assert_eq!(updated["campaign"]["budget"], case.updated_campaign.1);

    let action = ok(
        &app,
        &editor,
        "createAction",
        "action { budget actualCost } userErrors { field code }",
        action_input(
            &plan,
            json!({ "campaignId": id_at(&campaign, "/campaign/id"),
                    "budget": case.action_budget.0, "actualCost": case.action_cost.0 }),
        ),
    )
    .await;
    assert_eq!(action["action"]["budget"], case.action_budget.1);
    assert_eq!(action["action"]["actualCost"], case.action_cost.1);

    let allocation = ok(
        &app,
        &editor,
        "createLeverAllocation",
        "leverAllocation { budget } userErrors { field code }",
        json!({ "planId": plan, "lever": "SEO", "budget": case.allocation.0, "priority": 1 }),
    )
    .await;
    assert_eq!(allocation["leverAllocation"]["budget"], case.allocation.1);

    // Read back, nested (each amount in its plan's currency) and summed.
    let data = app
        .data(
            &editor,
            "query($id: ID!) { node(id: $id) { ... on Plan {
                budget
                campaigns { edges { node { budget actions { edges { node { budget actualCost } } } } } }
                leverAllocations { budget }
                budgetCheck { budget allocated unallocated campaignBudgets }
                calendar(groupBy: MONTH) { month planned actual }
                budgetReport { currency total { planned actual variance }
                               byMonth { month planned actual variance varianceRatio } } } } }",
            json!({ "id": plan }),
        )
        .await;
    let plan_node = &data["node"];
    assert_eq!(plan_node["budget"], case.plan.1);
    let campaign_node = &plan_node["campaigns"]["edges"][0]["node"];
    assert_eq!(campaign_node["budget"], case.updated_campaign.1);
    let action_node = &campaign_node["actions"]["edges"][0]["node"];
    assert_eq!(action_node["budget"], case.action_budget.1);
    assert_eq!(action_node["actualCost"], case.action_cost.1);
    assert_eq!(
        plan_node["leverAllocations"][0]["budget"],
        case.allocation.1
    );
    assert_eq!(
        plan_node["budgetCheck"],
        json!({ "budget": case.plan.1, "allocated": case.allocation.1,
                "unallocated": case.unallocated, "campaignBudgets": case.updated_campaign.1 })
    );
    let march = plan_node["calendar"]
        .as_array()
        .and_then(|months| months.iter().find(|m| m["month"] == "2027-03-01"))
        .unwrap_or_else(|| panic!("no March in {plan_node}"));
    assert_eq!(march["planned"], case.action_budget.1);
    assert_eq!(march["actual"], case.action_cost.1);
    let january = &plan_node["calendar"][0];
    let zero = if case.currency == "JPY" { "0" } else { "0.00" };
    assert_eq!(
        january["planned"], zero,
        "an empty month has the currency's digits"
    );
    let report = &plan_node["budgetReport"];
    assert_eq!(report["currency"], case.currency);
    assert_eq!(report["total"]["planned"], case.plan.1);
    assert_eq!(report["total"]["actual"], case.action_cost.1);
    let report_march = &report["byMonth"][2];
    assert_eq!(report_march["month"], "2027-03-01");
    assert_eq!(report_march["variance"], case.variance);

    // The document writes the same amounts, followed by the currency's code.
    let (status, _, document) = get_document(&app, Some(&editor), &[], &plan).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    for amount in [
        case.plan.1,
        case.updated_campaign.1,
        case.action_budget.1,
        case.allocation.1,
    ] {
        let written = format!(" {amount} {}", case.currency);
        assert!(document.contains(&written), "`{written}` in:\n{document}");
    }
}

#[tokio::test]
async fn amounts_keep_the_minor_units_of_eur_and_every_digit_sent() {
    amounts_round_trip(&EUR).await;
}

#[tokio::test]
async fn amounts_in_jpy_get_no_decimals_but_keep_the_ones_sent() {
    amounts_round_trip(&JPY).await;
}

#[tokio::test]
async fn a_budget_ratio_keeps_twelve_decimals() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = id_at(
        &ok(
            &app,
            &editor,
            "createPlan",
            "plan { id } userErrors { field code }",
            json!({ "name": "Ratio plan", "periodStart": "2027-01-01",
                    "periodEnd": "2027-12-31", "budget": "300" }),
        )
        .await,
        "/plan/id",
    );
    ok(
        &app,
        &editor,
        "createAction",
        "action { id } userErrors { field code }",
        action_input(&plan, json!({ "budget": "300", "actualCost": "500" })),
    )
    .await;
    let data = app
        .data(
            &editor,
            "query($id: ID!) { node(id: $id) { ... on Plan { budgetReport { byMonth { varianceRatio } } } } }",
            json!({ "id": plan }),
        )
        .await;
    // (500 − 300) / 300 = 2/3: the twelfth place rounded up.
    assert_eq!(
        data["node"]["budgetReport"]["byMonth"][2]["varianceRatio"],
        "0.666666666667"
    );
}

#[tokio::test]
async fn ratios_and_measured_values_agree_between_kpi_series_and_the_csv_export() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    record(
        &app,
        &editor,
        vec![
            m("clicks", "2027-03-01", "20", json!({})),
            m("impressions", "2027-03-01", "30", json!({})),
            m("spend", "2027-03-01", "1250.50", json!({})),
            m("conversions", "2027-03-01", "7", json!({})),
        ],
    )
    .await;
    let data = app
        .data(
            &editor,
            "query($input: KpiSeriesInput!) { kpiSeries(input: $input) { kpiKey value } }",
            json!({ "input": { "kpiKeys": ["ctr", "cpa", "spend"], "from": "2027-03-01",
                               "to": "2027-03-31", "grain": "MONTH" } }),
        )
        .await;
    let api: Vec<(String, String)> = data["kpiSeries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|point| {
            (
                point["kpiKey"].as_str().unwrap().to_owned(),
                point["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        // 20 / 30 and 1250.5 / 7, rounded to 12 places; spend is a measured value, without
        // trailing zeros although its unit is CURRENCY.
        ("ctr", "0.666666666667"),
        ("cpa", "178.642857142857"),
        ("spend", "1250.5"),
    ];
    for (kpi, value) in expected {
        assert!(
            api.contains(&(kpi.to_owned(), value.to_owned())),
            "{kpi} = {value} in {api:?}"
        );
    }
    let body = csv(
        &app,
        &editor,
        "kpi-series",
        "kpis=ctr,cpa,spend&from=2027-03-01&to=2027-03-31&grain=MONTH",
    )
    .await;
    for (kpi, value) in &api {
        let line = format!("{kpi},2027-03-01,{value}");
        assert!(
            body.lines().any(|l| l == line),
            "`{line}` to the digit in:\n{body}"
        );
    }
    let measurements = csv(
        &app,
        &editor,
        "measurements",
        "kpis=spend&from=2027-03-01&to=2027-03-31",
    )
    .await;
    assert!(
        measurements.lines().any(|l| l.contains(",1250.5,")),
        "{measurements}"
    );
}

#[tokio::test]
async fn attribution_values_are_amounts_of_the_tenant_s_currency() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let mutation = "mutation($input: RecordConversionsInput!) { recordConversions(input: $input) { \
        inserted userErrors { field code } } }";
    let recorded = app
        .data(
            &admin,
            mutation,
            json!({ "input": { "conversions": [
                { "journeyId": "j", "occurredAt": "2027-03-10T12:00:00Z", "value": "300",
                  "source": "shop", "externalId": "c-1" },
                { "journeyId": "k", "occurredAt": "2027-03-10T12:00:00Z", "value": "0.5",
                  "source": "shop", "externalId": "c-2" } ] } }),
        )
        .await;
    assert_eq!(recorded["recordConversions"]["inserted"], 2, "{recorded}");
    let query = "query($input: AttributionInput!) { attribution(input: $input) { \
        currency totalValue unattributedValue rows { value } } }";
    let input = json!({ "input": { "model": "LAST_TOUCH", "groupBy": "LEVER",
        "from": "2027-03-01T00:00:00Z", "to": "2027-04-01T00:00:00Z" } });
    let report = app.data(&admin, query, input.clone()).await["attribution"].clone();
    assert_eq!(
        report,
        json!({ "currency": "EUR", "totalValue": "300.50", "unattributedValue": "300.50",
                "rows": [{ "value": "300.50" }] })
    );

    let version = app
        .data(&admin, "{ viewer { tenant { version } } }", json!({}))
        .await["viewer"]["tenant"]["version"]
        .clone();
    ok(
        &app,
        &admin,
        "updateTenant",
        "tenant { currency } userErrors { field code }",
        json!({ "expectedVersion": version, "currency": "JPY" }),
    )
    .await;
    let report = app.data(&admin, query, input).await["attribution"].clone();
    assert_eq!(report["currency"], "JPY");
    assert_eq!(
        report["totalValue"], "300.5",
        "no decimals added, none lost"
    );
}

#[tokio::test]
async fn the_scalars_name_their_specifications_and_date_times_have_milliseconds() {
    let app = TestApp::spawn().await;
    let viewer = app.token("acme", "viewer");
    let url = |name: &str| format!("{{ __type(name: \"{name}\") {{ specifiedByURL }} }}");
    for (name, expected) in [
        ("Date", "https://scalars.graphql.org/andimarek/local-date"),
        (
            "DateTime",
            "https://scalars.graphql.org/andimarek/date-time",
        ),
        ("Decimal", "https://www.w3.org/TR/xmlschema11-2/#decimal"),
    ] {
        let data = app.data(&viewer, &url(name), json!({})).await;
        assert_eq!(data["__type"]["specifiedByURL"], expected, "{name}");
    }

    let editor = app.token("acme", "editor");
    let created = ok(
        &app,
        &editor,
        "createPersona",
        "persona { createdAt } userErrors { field code }",
        json!({ "name": "Clara" }),
    )
    .await;
    let created_at = created["persona"]["createdAt"].as_str().unwrap_or_default();
    // YYYY-MM-DDTHH:MM:SS.mmmZ: exactly three decimals of a second, in UTC.
    assert_eq!(created_at.len(), 24, "{created_at}");
    assert_eq!(created_at.as_bytes()[19], b'.', "{created_at}");
    assert!(created_at.ends_with('Z'), "{created_at}");
    assert!(
        chrono::DateTime::parse_from_rfc3339(created_at).is_ok(),
        "{created_at}"
    );
}
