//! Multi-currency spend (issue 15, item 5): exchange rates loaded by admins, measurements of
//! money sent in another currency converted into the tenant's reporting currency with the rate
//! of their date (kept on the row), a missing rate refusing the whole batch, spend reported in
//! the reporting currency with the rates used; and rates that never cross tenants. The README's
//! "Currencies" examples are run as written.

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_campaign, create_plan, error_code, min_statements, mutate, mutate_ok, node,
    record_measurements, sql_integer, user_errors,
};

const RATES_SELECTION: &str =
    "exchangeRates { date from to rate } userErrors { field code message }";

const COUNT_RATES: &str = "SELECT COUNT(*) FROM exchange_rates";
const COUNT_MEASUREMENTS: &str = "SELECT COUNT(*) FROM measurements";

async fn set_rates(app: &TestApp, token: &str, input: Value) -> Value {
    mutate(app, token, "setExchangeRates", RATES_SELECTION, input).await
}

fn rate(date: &str, from: &str, to: &str, rate: &str) -> Value {
    json!({ "date": date, "from": from, "to": to, "rate": rate })
}

fn spend(date: &str, value: &str, currency: Option<&str>) -> Value {
    let mut row = json!({ "kpiKey": "spend", "date": date, "value": value, "source": "ads" });
    if let Some(currency) = currency {
        row["currency"] = json!(currency);
    }
    row
}

/// The ```graphql and ```json blocks of the README's "Currencies" section, in order.
fn readme_blocks() -> Vec<(String, String)> {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("\n## Currencies\n")
        .expect("a Currencies section");
    let section = &readme[start + 1..];
    let section = &section[..section[3..]
        .find("\n## ")
        .map_or(section.len(), |end| end + 3)];
    let mut blocks = Vec::new();
    let mut rest = section;
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        let (language, body) = after.split_once('\n').expect("a fenced block");
        let close = body.find("```").expect("a closed block");
        blocks.push((language.trim().to_owned(), body[..close].to_owned()));
        rest = &body[close + 3..];
    }
    blocks
}

#[tokio::test]
async fn the_readme_examples_answer_as_written() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let campaign = create_campaign(&app, &admin, &plan, "Spring", &[]).await;
    let variables = json!({ "plan": plan, "campaign": campaign });

    let blocks = readme_blocks();
    assert_eq!(blocks.len(), 8, "four requests, each with its answer");
    for pair in blocks.chunks(2) {
        let [(query_language, query), (answer_language, answer)] = pair else {
            panic!("a request without its answer");
        };
        assert_eq!(
            (query_language.as_str(), answer_language.as_str()),
            ("graphql", "json")
        );
        let expected: Value = serde_json::from_str(answer)
            .unwrap_or_else(|error| panic!("the README's answer is not JSON: {error}\n{answer}"));
        let body = app.gql(&admin, query, variables.clone()).await;
        assert_eq!(body.get("errors"), None, "{query}");
        assert_eq!(body["data"], expected, "{query}");
    }
    // The refused batch wrote nothing: the four rows of the second request only.
    assert_eq!(sql_integer(&app, COUNT_MEASUREMENTS).await, 4);
    assert_eq!(sql_integer(&app, COUNT_RATES).await, 3);
}

/// A measurement's value with what it was converted from.
async fn read(app: &TestApp, token: &str, id: &str) -> Value {
    node(
        app,
        token,
        id,
        "... on Measurement { value originalValue originalCurrency exchangeRate rateDate }",
    )
    .await
}

#[tokio::test]
async fn usd_spend_shows_in_a_eur_budget_report_with_the_rates_used() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let campaign = create_campaign(&app, &admin, &plan, "Spring", &[]).await;
    let loaded = set_rates(
        &app,
        &admin,
        json!({ "rates": [
            rate("2027-03-01", "USD", "EUR", "0.9"),
            rate("2027-03-02", "USD", "EUR", "0.333333333333"),
            rate("2027-03-01", "EUR", "USD", "2"),
        ] }),
    )
    .await;
    assert_eq!(
        user_errors(&loaded["data"]["setExchangeRates"]),
        Vec::<String>::new()
    );

    let mut rows = vec![
        // 0.125 USD × 0.9 = 0.1125 → 0.11 EUR (rounded once, half away from zero).
        spend("2027-03-01", "0.125", Some("USD")),
        // 1000 USD × 0.333333333333 = 333.333333333 → 333.33 EUR, on the 3rd with the 2nd's
        // rate.
        spend("2027-03-03", "1000", Some("USD")),
        // −5 USD (a refund) × 0.9 = −4.5 EUR.
        spend("2027-03-01", "-5", Some("USD")),
        // In the reporting currency, named or not: stored as sent.
        spend("2027-03-01", "10", Some("EUR")),
        spend("2027-03-01", "7.5", None),
    ];
    for row in &mut rows {
        row["campaignId"] = json!(campaign);
    }
    let payload = record_measurements(&app, &editor, json!(rows)).await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    let ids: Vec<&str> = payload["measurements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        read(&app, &editor, ids[1]).await,
        json!({ "value": "333.33", "originalValue": "1000", "originalCurrency": "USD",
                "exchangeRate": "0.333333333333", "rateDate": "2027-03-02" })
    );
    assert_eq!(read(&app, &editor, ids[0]).await["value"], "0.11");
    assert_eq!(read(&app, &editor, ids[2]).await["value"], "-4.5");
    assert_eq!(
        read(&app, &editor, ids[3]).await,
        json!({ "value": "10", "originalValue": null, "originalCurrency": null,
                "exchangeRate": null, "rateDate": null })
    );
    // Straight from the database: the converted value, the original and the rate on the row.
    assert_eq!(
        sql_integer(
            &app,
            "SELECT value_micros FROM measurements WHERE original_value_micros = 1000000000"
        )
        .await,
        333_330_000
    );
    assert_eq!(
        sql_integer(
            &app,
            "SELECT COUNT(*) FROM measurements WHERE exchange_rate = '0.333333333333' \
             AND original_currency = 'USD'"
        )
        .await,
        1
    );

    // The series sums the converted values: 0.11 + 333.33 − 4.5 + 10 + 7.5 = 346.44.
    let series = app
        .data(
            &editor,
            "{ kpiSeries(input: {kpiKeys: [\"spend\"], from: \"2027-03-01\", to: \"2027-03-31\", grain: MONTH}) { value } }",
            json!({}),
        )
        .await;
    assert_eq!(series["kpiSeries"], json!([{ "value": "346.44" }]));

    let report = node(
        &app,
        &editor,
        &plan,
        "... on Plan { budgetReport { currency measuredSpend { currency total direct budget \
         variance varianceRatio conversions { fromCurrency rateDate rate original converted \
         measurements } } } }",
    )
    .await;
    assert_eq!(
        report["budgetReport"]["measuredSpend"],
        json!({
            "currency": "EUR", "total": "346.44", "direct": "17.50", "budget": "100000.00",
            "variance": "-99653.56", "varianceRatio": "-0.9965356",
            "conversions": [
                { "fromCurrency": "USD", "rateDate": "2027-03-01", "rate": "0.9",
                  "original": "-4.875", "converted": "-4.39", "measurements": 2 },
                { "fromCurrency": "USD", "rateDate": "2027-03-02", "rate": "0.333333333333",
                  "original": "1000.00", "converted": "333.33", "measurements": 1 },
            ]
        })
    );

    // Re-sent in the reporting currency (same source and external id), the row forgets the
    // conversion.
    let mut first = spend("2027-03-01", "1", Some("USD"));
    first["externalId"] = json!("x-1");
    record_measurements(&app, &editor, json!([first])).await;
    let mut again = spend("2027-03-01", "1", None);
    again["externalId"] = json!("x-1");
    let payload = record_measurements(&app, &editor, json!([again])).await;
    assert_eq!(payload["updated"], 1);
    assert_eq!(
        sql_integer(
            &app,
            "SELECT COUNT(*) FROM measurements WHERE external_id = 'x-1' \
             AND original_currency IS NULL AND exchange_rate IS NULL AND rate_date IS NULL \
             AND original_value_micros IS NULL AND value_micros = 1000000"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_plan_budgeted_in_another_currency_gets_no_comparison() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let payload = mutate_ok(
        &app,
        &admin,
        "createPlan",
        "plan { id } userErrors { field code }",
        json!({ "name": "US plan", "periodStart": "2027-01-01", "periodEnd": "2027-12-31",
                "budget": "5000", "currency": "USD" }),
    )
    .await;
    let plan = payload["plan"]["id"].as_str().unwrap().to_owned();
    let campaign = create_campaign(&app, &admin, &plan, "Spring", &[]).await;
    let mut row = spend("2027-03-01", "12.5", None);
    row["campaignId"] = json!(campaign);
    record_measurements(&app, &admin, json!([row])).await;
    let report = node(
        &app,
        &admin,
        &plan,
        "... on Plan { budgetReport { currency measuredSpend { currency total budget variance \
         varianceRatio conversions { rate } } } }",
    )
    .await;
    assert_eq!(
        report["budgetReport"],
        json!({ "currency": "USD", "measuredSpend": { "currency": "EUR", "total": "12.50",
                "budget": null, "variance": null, "varianceRatio": null, "conversions": [] } })
    );
}

#[tokio::test]
async fn a_missing_rate_refuses_the_batch_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let loaded = set_rates(
        &app,
        &admin,
        json!({ "rates": [
            rate("2027-03-01", "USD", "EUR", "0.9"),
            // The reverse direction is never inverted.
            rate("2027-03-10", "EUR", "USD", "1.1"),
        ] }),
    )
    .await;
    assert_eq!(
        user_errors(&loaded["data"]["setExchangeRates"]),
        Vec::<String>::new()
    );

    let clicks = json!({ "kpiKey": "clicks", "date": "2027-03-01", "value": "3",
                         "source": "ads", "currency": "USD" });
    let rows = json!([
        spend("2027-03-01", "10", None),
        // Eight days after the last USD → EUR rate: too old.
        spend("2027-03-09", "10", Some("USD")),
        // Before the first rate.
        spend("2027-02-28", "10", Some("USD")),
        spend("2027-03-10", "10", Some("JPY")),
        spend("2027-03-01", "10", Some("usd")),
        clicks,
    ]);
    let payload = record_measurements(&app, &admin, rows).await;
    assert_eq!(
        user_errors(&payload),
        vec![
            "input.measurements.4.currency: INVALID",
            "input.measurements.5.currency: INVALID",
            "input.measurements.1.currency: RATE_MISSING",
            "input.measurements.2.currency: RATE_MISSING",
            "input.measurements.3.currency: RATE_MISSING",
        ]
    );
    let messages: Vec<&str> = payload["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|error| error["message"].as_str())
        .collect();
    assert!(
        messages[2].contains("USD → EUR") && messages[2].contains("2027-03-09"),
        "{messages:?}"
    );
    assert!(
        messages[4].contains("JPY → EUR") && messages[4].contains("2027-03-10"),
        "{messages:?}"
    );
    assert_eq!(payload["inserted"], 0);
    assert_eq!(sql_integer(&app, COUNT_MEASUREMENTS).await, 0);

    // Seven days after the rate is still served.
    let payload = record_measurements(
        &app,
        &admin,
        json!([spend("2027-03-08", "10", Some("USD"))]),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    assert_eq!(payload["measurements"][0]["value"], "9");
}

#[tokio::test]
async fn rates_are_validated_replaced_and_set_by_admins_only() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    for role in ["viewer", "editor"] {
        let body = set_rates(
            &app,
            &app.token("acme", role),
            json!({ "rates": [rate("2027-03-01", "USD", "EUR", "0.9")] }),
        )
        .await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{role}: {body}");
    }
    assert_eq!(sql_integer(&app, COUNT_RATES).await, 0);

    let body = set_rates(
        &app,
        &admin,
        json!({
            "rates": [
                rate("2027-03-01", "usd", "EUR", "0.9"),
                rate("2027-03-01", "EUR", "EUR", "1"),
                rate("2027-03-01", "USD", "EUR", "0"),
                rate("2027-03-01", "USD", "EUR", "0.0000000000001"),
                rate("2027-03-01", "USD", "EUR", "1000000001"),
                rate("2027-03-02", "USD", "EUR", "0.9"),
            ],
            "csv": "date,from,to,rate\n2027-03-02,USD,EUR,0.91\n2027-03-03,USD,EUR\n2027-03-04,USD,EUR,-1\n",
        }),
    )
    .await;
    assert_eq!(
        user_errors(&body["data"]["setExchangeRates"]),
        vec![
            "input.csv.3: INVALID",
            "input.rates.0.from: INVALID",
            "input.rates.1.to: INVALID",
            "input.rates.2.rate: OUT_OF_RANGE",
            "input.rates.3.rate: TOO_PRECISE",
            "input.rates.4.rate: OUT_OF_RANGE",
            "input.csv.2: DUPLICATE",
            "input.csv.4: OUT_OF_RANGE",
        ]
    );
    let body = set_rates(&app, &admin, json!({ "csv": "from,to,date,rate\n" })).await;
    assert_eq!(
        user_errors(&body["data"]["setExchangeRates"]),
        vec!["input.csv.1: INVALID"]
    );
    let many: Vec<Value> = (0..1001)
        .map(|day| {
            let date =
                chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(day);
            rate(&date.to_string(), "USD", "EUR", "0.9")
        })
        .collect();
    let body = set_rates(&app, &admin, json!({ "rates": many })).await;
    assert_eq!(
        user_errors(&body["data"]["setExchangeRates"]),
        vec!["input.rates: OUT_OF_RANGE"]
    );
    assert_eq!(sql_integer(&app, COUNT_RATES).await, 0, "nothing written");

    // Loading a (date, from, to) again replaces its rate.
    for value in ["0.9", "0.95"] {
        let body = set_rates(
            &app,
            &admin,
            json!({ "rates": [rate("2027-03-01", "USD", "EUR", value)] }),
        )
        .await;
        assert_eq!(
            user_errors(&body["data"]["setExchangeRates"]),
            Vec::<String>::new()
        );
    }
    assert_eq!(sql_integer(&app, COUNT_RATES).await, 1);
    let listed = app
        .data(
            &app.token("acme", "viewer"),
            "{ exchangeRates(filter: {from: \"USD\", to: \"EUR\"}) { totalCount nodes { date from to rate } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["exchangeRates"],
        json!({ "totalCount": 1, "nodes": [rate("2027-03-01", "USD", "EUR", "0.95")] })
    );
}

#[tokio::test]
async fn another_tenants_rates_are_never_seen_nor_used() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "admin");
    let globex = app.token("globex", "admin");
    let body = set_rates(
        &app,
        &acme,
        json!({ "rates": [rate("2027-03-01", "USD", "EUR", "0.9")] }),
    )
    .await;
    assert_eq!(
        user_errors(&body["data"]["setExchangeRates"]),
        Vec::<String>::new()
    );
    let acme_plan = create_plan(&app, &acme, "Acme plan").await;
    let acme_campaign = create_campaign(&app, &acme, &acme_plan, "Acme spring", &[]).await;

    // Globex lists none of acme's rates, and cannot convert with them.
    let listed = app
        .data(
            &globex,
            "{ exchangeRates { totalCount nodes { rate } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["exchangeRates"],
        json!({ "totalCount": 0, "nodes": [] })
    );
    let payload = record_measurements(
        &app,
        &globex,
        json!([spend("2027-03-01", "10", Some("USD"))]),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec!["input.measurements.0.currency: RATE_MISSING"]
    );
    // Nor link a measurement to acme's campaign, nor read acme's budget report.
    let mut linked = spend("2027-03-01", "10", None);
    linked["campaignId"] = json!(acme_campaign);
    let payload = record_measurements(&app, &globex, json!([linked])).await;
    assert_eq!(
        user_errors(&payload),
        vec!["input.measurements.0.campaignId: NOT_FOUND"]
    );
    assert_eq!(
        node(
            &app,
            &globex,
            &acme_plan,
            "... on Plan { budgetReport { measuredSpend { total } } }"
        )
        .await,
        Value::Null
    );

    // Globex's own rate for the same day and pair is its own row: acme's keeps its value and
    // acme's conversions keep using it.
    let body = set_rates(
        &app,
        &globex,
        json!({ "rates": [rate("2027-03-01", "USD", "EUR", "0.5")] }),
    )
    .await;
    assert_eq!(
        user_errors(&body["data"]["setExchangeRates"]),
        Vec::<String>::new()
    );
    assert_eq!(sql_integer(&app, COUNT_RATES).await, 2);
    let mut row = spend("2027-03-01", "10", Some("USD"));
    row["campaignId"] = json!(acme_campaign);
    let payload = record_measurements(&app, &acme, json!([row])).await;
    assert_eq!(payload["measurements"][0]["value"], "9");
    let payload = record_measurements(
        &app,
        &globex,
        json!([spend("2027-03-01", "10", Some("USD"))]),
    )
    .await;
    assert_eq!(payload["measurements"][0]["value"], "5");
    let listed = app
        .data(
            &acme,
            "{ exchangeRates { totalCount nodes { rate } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["exchangeRates"],
        json!({ "totalCount": 1, "nodes": [{ "rate": "0.9" }] })
    );
    let report = node(
        &app,
        &acme,
        &acme_plan,
        "... on Plan { budgetReport { measuredSpend { total conversions { rate } } } }",
    )
    .await;
    assert_eq!(
        report["budgetReport"]["measuredSpend"],
        json!({ "total": "9.00", "conversions": [{ "rate": "0.9" }] })
    );
}

#[tokio::test]
async fn a_batch_reads_its_rates_in_one_statement_whatever_its_size() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let csv: String = std::iter::once("date,from,to,rate".to_owned())
        .chain((1..=28).flat_map(|day| {
            ["USD", "GBP", "CHF"]
                .into_iter()
                .map(move |from| format!("2027-02-{day:02},{from},EUR,0.{day:02}"))
        }))
        .collect::<Vec<_>>()
        .join("\n");
    let body = set_rates(&app, &admin, json!({ "csv": csv })).await;
    assert_eq!(
        user_errors(&body["data"]["setExchangeRates"]),
        Vec::<String>::new()
    );
    assert_eq!(sql_integer(&app, COUNT_RATES).await, 84);

    let statements_of = |rows: Vec<Value>| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let before = app.statements();
            let payload = record_measurements(app, &admin, json!(rows)).await;
            assert_eq!(user_errors(&payload), Vec::<String>::new());
            app.statements() - before
        }
    };
    let one = statements_of(vec![spend("2027-02-01", "1", Some("USD"))]).await;
    let many = statements_of(
        (0..300)
            .map(|index| {
                let from = ["USD", "GBP", "CHF"][index % 3];
                spend(&format!("2027-02-{:02}", index % 28 + 1), "1.5", Some(from))
            })
            .collect(),
    )
    .await;
    let none = statements_of(vec![spend("2027-02-01", "1", None)]).await;
    // The tenant's currency and the rates: two statements more than a batch without currency,
    // for 1 row as for 300.
    assert_eq!(one, many, "one row: {one}, 300 rows: {many}");
    assert_eq!(one, none + 2, "with currency: {one}, without: {none}");
    assert_eq!(
        sql_integer(
            &app,
            "SELECT COUNT(*) FROM measurements WHERE original_currency IS NOT NULL"
        )
        .await,
        301
    );
}

#[tokio::test]
async fn api_keys_convert_and_read_by_their_scopes_and_never_set_rates() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let body = set_rates(
        &app,
        &admin,
        json!({ "rates": [rate("2027-03-01", "USD", "EUR", "0.9")] }),
    )
    .await;
    assert_eq!(
        user_errors(&body["data"]["setExchangeRates"]),
        Vec::<String>::new()
    );
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let campaign = create_campaign(&app, &admin, &plan, "Spring", &[]).await;
    let key = |scopes: Vec<&'static str>| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let payload = mutate_ok(
                app,
                &admin,
                "createApiKey",
                "secret userErrors { field code }",
                json!({ "name": format!("{scopes:?}"), "scopes": scopes }),
            )
            .await;
            payload["secret"].as_str().unwrap().to_owned()
        }
    };
    let ingest = key(vec!["WRITE_MEASUREMENTS"]).await;
    let plans = key(vec!["READ_PLANS"]).await;
    let kpis = key(vec!["READ_KPIS"]).await;

    let mut row = spend("2027-03-01", "10", Some("USD"));
    row["campaignId"] = json!(campaign);
    let payload = mutate_ok(
        &app,
        &ingest,
        "recordMeasurements",
        "inserted userErrors { field code }",
        json!({ "measurements": [row] }),
    )
    .await;
    assert_eq!(payload["inserted"], 1, "{payload}");
    for secret in [&ingest, &plans, &kpis] {
        let body = set_rates(
            &app,
            secret,
            json!({ "rates": [rate("2027-03-02", "USD", "EUR", "0.9")] }),
        )
        .await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    }
    let listed = app
        .data(&kpis, "{ exchangeRates { totalCount } }", json!({}))
        .await;
    assert_eq!(listed["exchangeRates"]["totalCount"], 1);

    // A key that reads plans but not KPIs sees the budget report without the measured spend.
    let body = app
        .gql(
            &plans,
            "query($id: ID!) { node(id: $id) { ... on Plan { budgetReport { currency measuredSpend { total } } } } }",
            json!({ "id": plan }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert_eq!(
        body["data"]["node"]["budgetReport"],
        json!({ "currency": "EUR", "measuredSpend": null })
    );
    let report = node(
        &app,
        &admin,
        &plan,
        "... on Plan { budgetReport { measuredSpend { total } } }",
    )
    .await;
    assert_eq!(report["budgetReport"]["measuredSpend"]["total"], "9.00");
}

#[tokio::test]
async fn the_measured_spend_of_many_plans_reads_in_a_fixed_number_of_statements() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let query = "{ plans(first: 20) { nodes { budgetReport { measuredSpend { total \
                 conversions { rate converted } } } } } }";
    let mut counts = Vec::new();
    for plans in [1, 4] {
        while app
            .data(&admin, "{ plans { totalCount } }", json!({}))
            .await["plans"]["totalCount"]
            .as_i64()
            .unwrap()
            < plans
        {
            let plan = create_plan(&app, &admin, "Plan").await;
            let campaign = create_campaign(&app, &admin, &plan, "Spring", &[]).await;
            let mut row = spend("2027-03-01", "10", None);
            row["campaignId"] = json!(campaign);
            record_measurements(&app, &admin, json!([row])).await;
        }
        let (statements, data) = min_statements(&app, &admin, query, json!({})).await;
        assert_eq!(
            data["plans"]["nodes"].as_array().unwrap().len() as i64,
            plans
        );
        counts.push(statements);
    }
    assert_eq!(counts[0], counts[1], "1 plan, then 4: {counts:?}");
}
