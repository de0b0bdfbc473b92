//! `GET /export/kpi-series.csv`: the kpiSeries points as typed CSV columns, with the API's
//! credentials, parameter errors as JSON, and tenancy.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    kpi_series::{Links, lead_rows, links, m, march_rows, record},
    support::{TestApp, dec, mutate_ok, user_errors},
};

struct Response {
    status: StatusCode,
    content_type: String,
    disposition: String,
    body: String,
}

async fn get(app: &TestApp, token: Option<&str>, query: &str) -> Response {
    let mut request = app
        .client
        .get(format!("{}/export/kpi-series.csv?{query}", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the request is sent");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    Response {
        status: response.status(),
        content_type,
        disposition,
        body: response.text().await.unwrap_or_default(),
    }
}

/// The CSV's header and records, parsed by a CSV reader.
fn parse(body: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
    let header = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_owned)
        .collect();
    let records = reader
        .records()
        .map(|record| {
            record
                .expect("a well-formed record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    (header, records)
}

/// Records with the value column (last) normalised, so `0.20` and `0.2` compare equal; an
/// empty value stays empty.
fn normalised(records: Vec<Vec<String>>) -> Vec<Vec<String>> {
    records
        .into_iter()
        .map(|mut record| {
            if let Some(value) = record.last_mut()
                && !value.is_empty()
            {
                *value = dec(value).normalize().to_string();
            }
            record
        })
        .collect()
}

fn rows(expected: &[&[&str]]) -> Vec<Vec<String>> {
    expected
        .iter()
        .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
        .collect()
}

/// The error code of a JSON error body.
fn code(body: &str) -> String {
    let body: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn setup(app: &TestApp) -> Links {
    let editor = app.token("acme", "editor");
    let links = links(app, &editor).await;
    let mut all = march_rows();
    all.extend(lead_rows(&links));
    all.push(m(
        "spend",
        "2026-06-01",
        "0.000001",
        json!({ "lever": "EMAILING" }),
    ));
    all.push(m(
        "spend",
        "2026-06-02",
        "1234567.5",
        json!({ "lever": "EVENTS" }),
    ));
    record(app, &editor, all).await;
    links
}

#[tokio::test]
async fn the_series_comes_as_typed_csv_columns() {
    let app = TestApp::spawn().await;
    let links = setup(&app).await;
    let viewer = app.token("acme", "viewer");

    let response = get(
        &app,
        Some(&viewer),
        "kpis=ctr,clicks&from=2026-03-01&to=2026-04-30&grain=MONTH&groupBy=LEVER",
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.content_type, "text/csv; charset=utf-8");
    assert!(
        response.disposition.starts_with("attachment"),
        "{}",
        response.disposition
    );
    let (header, records) = parse(&response.body);
    assert_eq!(header, ["kpi_key", "period_start", "lever", "value"]);
    // CTR of sums: SEO 10/50, SEA 5/200, DISPLAY no impressions (empty cell).
    assert_eq!(
        normalised(records),
        rows(&[
            &["ctr", "2026-03-01", "SEO", "0.2"],
            &["ctr", "2026-03-01", "SEA", "0.025"],
            &["ctr", "2026-04-01", "DISPLAY", ""],
            &["clicks", "2026-03-01", "SEO", "10"],
            &["clicks", "2026-03-01", "SEA", "5"],
            &["clicks", "2026-04-01", "DISPLAY", "0"],
        ])
    );

    // Dimension columns in their fixed order whatever the order asked; global IDs as in the
    // GraphQL API; an empty cell for rows without the link; repeated parameters add up.
    let response = get(
        &app,
        Some(&viewer),
        "kpis=leads&from=2026-05-01&to=2026-05-31&grain=MONTH&groupBy=LEVER&groupBy=CAMPAIGN",
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let (header, records) = parse(&response.body);
    assert_eq!(
        header,
        ["kpi_key", "period_start", "campaign_id", "lever", "value"]
    );
    let c1 = links.c1.as_str();
    let c2 = links.c2.as_str();
    assert_eq!(
        normalised(records),
        rows(&[
            &["leads", "2026-05-01", "", "", "16"],
            &["leads", "2026-05-01", "", "SEO", "8"],
            &["leads", "2026-05-01", c1, "SEO", "1"],
            &["leads", "2026-05-01", c1, "SEA", "2"],
            &["leads", "2026-05-01", c2, "SEO", "4"],
        ])
    );

    // Filters: the plan, campaigns, levers, personas.
    let filtered = get(
        &app,
        Some(&viewer),
        &format!(
            "kpis=leads&from=2026-05-01&to=2026-05-31&grain=YEAR&planId={}&campaignIds={},{}&levers=SEO&personaIds={}",
            links.plan, links.c1, links.c2, links.alice
        ),
    )
    .await;
    assert_eq!(filtered.status, StatusCode::OK, "{}", filtered.body);
    assert_eq!(
        normalised(parse(&filtered.body).1),
        rows(&[&["leads", "2026-01-01", "5"]])
    );

    // Plain decimals: neither an exponent nor a thousands separator, exactly as recorded.
    let response = get(
        &app,
        Some(&viewer),
        "kpis=spend&from=2026-06-01&to=2026-06-30&grain=DAY",
    )
    .await;
    assert_eq!(
        response.body,
        "kpi_key,period_start,value\nspend,2026-06-01,0.000001\nspend,2026-06-02,1234567.5\n"
    );
    // No data: the header alone.
    let response = get(
        &app,
        Some(&viewer),
        "kpis=spend&from=2030-01-01&to=2030-12-31&grain=DAY&groupBy=PERSONA,ACTION",
    )
    .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.body,
        "kpi_key,period_start,persona_id,action_id,value\n"
    );
}

async fn api_key(app: &TestApp, scopes: &[&str]) -> String {
    let admin = app.token("acme", "admin");
    let payload = mutate_ok(
        app,
        &admin,
        "createApiKey",
        "secret userErrors { field code }",
        json!({ "name": format!("key {}", scopes.join(" ")), "scopes": scopes }),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    payload["secret"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn credentials_parameters_and_tenants_are_checked() {
    let app = TestApp::spawn().await;
    let links = setup(&app).await;
    let viewer = app.token("acme", "viewer");
    let query = "kpis=leads&from=2026-05-01&to=2026-05-31&grain=MONTH";
    let expected = "kpi_key,period_start,value\nleads,2026-05-01,31\n";

    let response = get(&app, None, query).await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&response.body), "UNAUTHENTICATED");
    let response = get(&app, Some("not-a-token"), query).await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);

    let reader = api_key(&app, &["READ_KPIS"]).await;
    let response = get(&app, Some(&reader), query).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.body, expected);
    for scopes in [&["WRITE_MEASUREMENTS"][..], &["READ_PLANS"][..]] {
        let key = api_key(&app, scopes).await;
        let response = get(&app, Some(&key), query).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{scopes:?}");
        assert_eq!(code(&response.body), "FORBIDDEN");
    }

    for bad in [
        "from=2026-05-01&to=2026-05-31&grain=MONTH",
        "kpis=leads&from=2026-05-01&to=2026-05-31",
        "kpis=leads&from=2026-13-01&to=2026-05-31&grain=MONTH",
        "kpis=leads&from=2026-05-01&to=2026-04-30&grain=MONTH",
        "kpis=leads&from=2026-05-01&to=2026-05-31&grain=HOUR",
        "kpis=nope&from=2026-05-01&to=2026-05-31&grain=MONTH",
        "kpis=leads&from=2026-05-01&to=2026-05-31&grain=MONTH&groupBy=COUNTRY",
        "kpis=leads&from=2026-05-01&to=2026-05-31&grain=MONTH&levers=TV",
        "kpis=leads&from=2026-05-01&to=2026-05-31&grain=MONTH&lever=SEO",
        "kpis=leads&from=2026-05-01&from=2026-05-02&to=2026-05-31&grain=MONTH",
    ] {
        let response = get(&app, Some(&viewer), bad).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(code(&response.body), "BAD_USER_INPUT", "{bad}");
    }
    // An ID of the wrong type is refused; a campaign of another tenant matches nothing.
    let response = get(
        &app,
        Some(&viewer),
        &format!("{query}&campaignIds={}", links.plan),
    )
    .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&response.body), "BAD_USER_INPUT");
    let globex = app.token("globex", "viewer");
    let header_only = "kpi_key,period_start,value\n";
    assert_eq!(get(&app, Some(&globex), query).await.body, header_only);
    let response = get(
        &app,
        Some(&globex),
        &format!("{query}&campaignIds={}", links.c1),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body, header_only);
    // Lower-case enum values are accepted.
    let response = get(
        &app,
        Some(&viewer),
        "kpis=leads&from=2026-05-01&to=2026-05-31&grain=month&levers=sea",
    )
    .await;
    assert_eq!(
        response.body,
        "kpi_key,period_start,value\nleads,2026-05-01,2\n"
    );
}
