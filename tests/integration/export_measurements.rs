//! `GET /export/measurements.csv`: the raw measurements as CSV for BI tools, with the filters of
//! `kpiSeries`, a JWT or an API key with the READ_KPIS scope, never another tenant's rows, and
//! streamed whatever its size.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{
    TestApp, create_action, create_campaign, create_persona, create_plan, error_code, mutate_ok,
    record_measurements, user_errors,
};

const HEADER: &str = "date,kpi_key,value,grain,source,external_id,plan_id,campaign_id,action_id,lever,persona_id,recorded_at";

/// `GET /export/measurements.csv?<query>` as `token`: status, content type and body.
async fn export(app: &TestApp, token: Option<&str>, query: &str) -> (StatusCode, String, String) {
    let mut request = app
        .client
        .get(format!("{}/export/measurements.csv?{query}", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the request is sent");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, content_type, response.text().await.expect("a body"))
}

/// The lines of a successful export, after checking its header; each line without its last
/// column (the recording instant), which is checked to be an RFC 3339 instant.
async fn rows(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let (status, content_type, body) = export(app, Some(token), query).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(content_type, "text/csv; charset=utf-8");
    let mut lines = body.lines();
    assert_eq!(lines.next(), Some(HEADER));
    lines
        .map(|line| {
            let (row, recorded_at) = line.rsplit_once(',').expect("12 columns");
            chrono::DateTime::parse_from_rfc3339(recorded_at)
                .unwrap_or_else(|e| panic!("`{recorded_at}` is not an instant: {e}"));
            row.to_owned()
        })
        .collect()
}

fn row(kpi: &str, date: &str, value: &str, external_id: &str) -> Value {
    json!({ "kpiKey": kpi, "date": date, "value": value, "source": "meta_ads", "externalId": external_id })
}

/// acme's plan with two campaigns, an action and a persona, and its recorded measurements.
struct Recorded {
    plan: String,
    other_plan: String,
    spring: String,
    autumn: String,
    action: String,
    persona: String,
}

async fn record_fixture(app: &TestApp, token: &str) -> Recorded {
    let plan = create_plan(app, token, "Plan 2027").await;
    let other_plan = create_plan(app, token, "Other 2027").await;
    let persona = create_persona(app, token, "Sophie").await;
    let spring = create_campaign(app, token, &plan, "Spring", &[&persona]).await;
    let autumn = create_campaign(app, token, &other_plan, "Autumn", &[]).await;
    let action = create_action(app, token, &plan, json!({})).await;

    let mut clicks = row("clicks", "2027-03-02", "120", "c-1");
    clicks["campaignId"] = json!(spring);
    clicks["lever"] = json!("SEA");
    clicks["personaId"] = json!(persona);
    let mut spend = row("spend", "2027-03-01", "-45.50", "s,\"1\"");
    spend["actionId"] = json!(action);
    spend["grain"] = json!("MONTH");
    let mut autumn_clicks = row("clicks", "2027-03-05", "0.000001", "c-2");
    autumn_clicks["campaignId"] = json!(autumn);
    autumn_clicks["lever"] = json!("SEO");
    let mut impressions = row("impressions", "2027-03-02", "1000", "i-1");
    impressions["campaignId"] = json!(spring);
    let mut leads = row("leads", "2027-02-28", "3", "l-1");
    leads["source"] = json!("manual");
    leads.as_object_mut().unwrap().remove("externalId");
    let payload = record_measurements(
        app,
        token,
        json!([clicks, spend, autumn_clicks, impressions, leads]),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    assert_eq!(payload["inserted"], 5);
    // A second clicks row on 2027-03-02, recorded later: it sorts after the first ones.
    let mut late = row("clicks", "2027-03-02", "2", "c-3");
    late["source"] = json!("ga4");
    let payload = record_measurements(app, token, json!([late])).await;
    assert_eq!(payload["inserted"], 1);
    Recorded {
        plan,
        other_plan,
        spring,
        autumn,
        action,
        persona,
    }
}

#[tokio::test]
async fn the_export_lists_the_recorded_rows_by_date() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let r = record_fixture(&app, &token).await;
    let Recorded {
        plan,
        other_plan,
        spring,
        autumn,
        action,
        persona,
    } = &r;

    let everything = rows(&app, &token, "").await;
    assert_eq!(
        everything,
        vec![
            "2027-02-28,leads,3,DAY,manual,,,,,,".to_owned(),
            format!("2027-03-01,spend,-45.5,MONTH,meta_ads,\"s,\"\"1\"\"\",{plan},,{action},,"),
            format!("2027-03-02,clicks,120,DAY,meta_ads,c-1,{plan},{spring},,SEA,{persona}"),
            format!("2027-03-02,impressions,1000,DAY,meta_ads,i-1,{plan},{spring},,,"),
            "2027-03-02,clicks,2,DAY,ga4,c-3,,,,,".to_owned(),
            format!("2027-03-05,clicks,0.000001,DAY,meta_ads,c-2,{other_plan},{autumn},,SEO,"),
        ]
    );

    // An update keeps the row's place and shows its new value.
    let mut clicks = row("clicks", "2027-03-02", "121.5", "c-1");
    clicks["campaignId"] = json!(spring);
    let payload = record_measurements(&app, &token, json!([clicks])).await;
    assert_eq!(payload["updated"], 1);
    let clicks_only = rows(&app, &token, "kpis=clicks").await;
    assert_eq!(
        clicks_only,
        vec![
            format!("2027-03-02,clicks,121.5,DAY,meta_ads,c-1,{plan},{spring},,,"),
            "2027-03-02,clicks,2,DAY,ga4,c-3,,,,,".to_owned(),
            format!("2027-03-05,clicks,0.000001,DAY,meta_ads,c-2,{other_plan},{autumn},,SEO,"),
        ]
    );
}

#[tokio::test]
async fn the_filters_of_kpi_series_apply() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    let editor = app.token("acme", "editor");
    let Recorded {
        plan,
        other_plan,
        spring,
        autumn,
        action: _,
        persona,
    } = &record_fixture(&app, &editor).await;
    let dates_and_ids = |lines: Vec<String>| -> Vec<String> {
        lines
            .iter()
            .map(|line| {
                let columns: Vec<&str> = line.split(',').collect();
                format!("{} {} {}", columns[0], columns[1], columns[5])
            })
            .collect()
    };

    assert_eq!(
        dates_and_ids(rows(&app, &token, "kpis=clicks,spend").await),
        vec![
            "2027-03-01 spend \"s",
            "2027-03-02 clicks c-1",
            "2027-03-02 clicks c-3",
            "2027-03-05 clicks c-2"
        ]
    );
    // Bounds are inclusive and compared with the first day of the period.
    assert_eq!(
        dates_and_ids(rows(&app, &token, "from=2027-03-01&to=2027-03-02").await),
        vec![
            "2027-03-01 spend \"s",
            "2027-03-02 clicks c-1",
            "2027-03-02 impressions i-1",
            "2027-03-02 clicks c-3"
        ]
    );
    assert_eq!(
        dates_and_ids(rows(&app, &token, &format!("planId={plan}")).await),
        vec![
            "2027-03-01 spend \"s",
            "2027-03-02 clicks c-1",
            "2027-03-02 impressions i-1"
        ]
    );
    assert_eq!(
        dates_and_ids(rows(&app, &token, &format!("planId={other_plan}")).await),
        vec!["2027-03-05 clicks c-2"]
    );
    assert_eq!(
        dates_and_ids(
            rows(
                &app,
                &token,
                &format!("campaignIds={spring},{autumn}&kpis=clicks")
            )
            .await
        ),
        vec!["2027-03-02 clicks c-1", "2027-03-05 clicks c-2"]
    );
    assert_eq!(
        dates_and_ids(rows(&app, &token, "levers=SEA,SEO").await),
        vec!["2027-03-02 clicks c-1", "2027-03-05 clicks c-2"]
    );
    assert_eq!(
        dates_and_ids(rows(&app, &token, &format!("personaIds={persona}")).await),
        vec!["2027-03-02 clicks c-1"]
    );
    // grain and groupBy are accepted and change nothing.
    assert_eq!(
        rows(&app, &token, "kpis=clicks&grain=MONTH&groupBy=LEVER").await,
        rows(&app, &token, "kpis=clicks").await
    );
    // An ID of another type matches nothing.
    assert_eq!(
        rows(&app, &token, &format!("campaignIds={plan}")).await,
        Vec::<String>::new()
    );
    // A list may be repeated as well as comma-separated, as in the series export.
    assert_eq!(
        rows(&app, &token, "levers=SEA&levers=seo").await,
        rows(&app, &token, "levers=SEA,SEO").await
    );
}

#[tokio::test]
async fn an_unknown_or_repeated_parameter_is_refused_as_by_the_series_export() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    for (query, named) in [
        ("lever=SEO", "`lever`"),
        ("kpis=clicks&planid=x", "`planid`"),
        ("kpis=clicks&from=2027-03-01&from=2027-03-02", "`from`"),
        ("source=a&source=b", "`source`"),
    ] {
        let (status, content_type, body) = export(&app, Some(&token), query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert!(content_type.starts_with("application/json"), "{query}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{query}");
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(named), "{query}: {message}");
    }
}

#[tokio::test]
async fn bad_filters_are_refused_with_400() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    for query in [
        "kpis=ctr",
        "kpis=clicks,no_such_kpi",
        "from=2027-13-01",
        "from=2027-03-02&to=2027-03-01",
        "levers=NOPE",
    ] {
        let (status, content_type, body) = export(&app, Some(&token), query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert!(content_type.starts_with("application/json"), "{query}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{query}");
    }
    let (_, _, body) = export(&app, Some(&token), "kpis=clicks,ctr").await;
    assert!(body.contains("kpis.1"), "{body}");
    assert!(body.contains("derived"), "{body}");
}

#[tokio::test]
async fn only_a_caller_who_may_read_kpis_exports() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    record_measurements(
        &app,
        &admin,
        json!([row("clicks", "2027-03-02", "5", "c-1")]),
    )
    .await;

    let (status, _, body) = export(&app, None, "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        error_code(&serde_json::from_str(&body).unwrap()),
        Some("UNAUTHENTICATED")
    );
    let (status, _, _) = export(&app, Some("not-a-token"), "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let key = |scopes: Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let payload = mutate_ok(
                app,
                &admin,
                "createApiKey",
                "secret userErrors { field code }",
                json!({ "name": "BI", "scopes": scopes }),
            )
            .await;
            payload["secret"].as_str().unwrap().to_owned()
        }
    };
    let writer = key(json!(["WRITE_MEASUREMENTS", "READ_PLANS"])).await;
    let (status, _, body) = export(&app, Some(&writer), "").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(
        error_code(&serde_json::from_str(&body).unwrap()),
        Some("FORBIDDEN")
    );

    let reader = key(json!(["READ_KPIS"])).await;
    assert_eq!(
        rows(&app, &reader, "").await,
        vec!["2027-03-02,clicks,5,DAY,meta_ads,c-1,,,,,"]
    );
    let viewer = app.token("acme", "viewer");
    assert_eq!(rows(&app, &viewer, "").await.len(), 1);
}

#[tokio::test]
async fn another_tenants_rows_never_appear() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "editor");
    let globex = app.token("globex", "editor");
    let globex_plan = create_plan(&app, &globex, "Globex 2027").await;
    let globex_campaign = create_campaign(&app, &globex, &globex_plan, "G", &[]).await;
    let mut theirs = row("clicks", "2027-03-02", "999", "g-1");
    theirs["campaignId"] = json!(globex_campaign);
    record_measurements(
        &app,
        &globex,
        json!([theirs, row("spend", "2027-03-03", "1", "g-2")]),
    )
    .await;
    record_measurements(
        &app,
        &acme,
        json!([row("clicks", "2027-03-02", "1", "a-1")]),
    )
    .await;

    assert_eq!(
        rows(&app, &acme, "").await,
        vec!["2027-03-02,clicks,1,DAY,meta_ads,a-1,,,,,"]
    );
    // Naming globex's plan or campaign finds nothing from acme.
    assert_eq!(
        rows(&app, &acme, &format!("planId={globex_plan}")).await,
        Vec::<String>::new()
    );
    assert_eq!(
        rows(&app, &acme, &format!("campaignIds={globex_campaign}")).await,
        Vec::<String>::new()
    );
    assert_eq!(rows(&app, &globex, "").await.len(), 2);
}

#[tokio::test]
async fn a_large_export_arrives_complete_and_streamed() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    const ROWS: usize = 20_000;
    const BATCH: usize = 1000;
    let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    for batch in 0..ROWS / BATCH {
        let rows: Vec<Value> = (batch * BATCH..(batch + 1) * BATCH)
            .map(|index| {
                // 100 rows a day, 200 days; values 0..20000.
                let date = start + chrono::Days::new((index / 100) as u64);
                row(
                    "clicks",
                    &date.format("%Y-%m-%d").to_string(),
                    &index.to_string(),
                    &format!("x-{index}"),
                )
            })
            .collect();
        let payload = mutate_ok(
            &app,
            &token,
            "recordMeasurements",
            "inserted userErrors { field code }",
            json!({ "measurements": rows }),
        )
        .await;
        assert_eq!(payload["inserted"], BATCH, "{payload}");
    }

    let response = app
        .client
        .get(format!(
            "{}/export/measurements.csv?kpis=clicks",
            app.address
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // Streamed: sent in chunks, its length unknown when the response started.
    assert_eq!(response.content_length(), None);
    assert_eq!(
        response
            .headers()
            .get("transfer-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("chunked")
    );
    let body = response.text().await.unwrap();
    let mut lines = body.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let mut count = 0usize;
    let mut sum = 0i64;
    let mut seen = vec![false; ROWS];
    let mut previous_date = String::new();
    for line in lines {
        let columns: Vec<&str> = line.split(',').collect();
        assert_eq!(columns.len(), 12, "{line}");
        assert!(columns[0] >= previous_date.as_str(), "ordered by date");
        previous_date = columns[0].to_owned();
        let value: i64 = columns[2].parse().unwrap();
        let index: usize = columns[5].trim_start_matches("x-").parse().unwrap();
        assert_eq!(value as usize, index);
        assert_eq!(
            columns[0],
            (start + chrono::Days::new((index / 100) as u64))
                .format("%Y-%m-%d")
                .to_string()
        );
        assert!(!seen[index], "x-{index} twice");
        seen[index] = true;
        count += 1;
        sum += value;
    }
    assert_eq!(count, ROWS);
    // 0 + 1 + … + 19 999.
    assert_eq!(sum, 199_990_000);
    assert_eq!(previous_date, "2027-07-19", "day 199 after 2027-01-01");
}
