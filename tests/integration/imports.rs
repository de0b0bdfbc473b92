//! Imports (README "Imports"): `POST /import/plan` with the plan template as CSV or XLSX —
//! every problem listed with its sheet, row and column and nothing written, or the whole plan
//! written; a dry run that writes nothing — and `POST /import/measurements` with the ad
//! platforms' CSV reports: mapped to the plan's campaigns by name, money converted from the
//! file's currency, idempotent, never matching another tenant's campaigns; size limits and
//! credentials.

use reqwest::StatusCode;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{TestApp, error_code, sql_integer};

const PLAN_CSV: &str = include_str!("../../docs/templates/plan.csv");
const GOOGLE_ADS: &str = include_str!("../../docs/templates/google-ads.csv");
const META_ADS: &str = include_str!("../../docs/templates/meta-ads.csv");
const LINKEDIN_ADS: &str = include_str!("../../docs/templates/linkedin-ads.csv");
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `POST <path>` with `body` typed `content_type`, as `token`: status and JSON body.
async fn upload(
    app: &TestApp,
    token: Option<&str>,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut request = app
        .client
        .post(format!("{}{path}", app.address))
        .header("Content-Type", content_type)
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the request is sent");
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Imports the template plan as `token` and returns the new plan's global id.
async fn import_template(app: &TestApp, token: &str) -> String {
    let (status, body) = upload(
        app,
        Some(token),
        "/import/plan",
        "text/csv",
        PLAN_CSV.into(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["planId"].as_str().expect("a plan id").to_owned()
}

/// A problem as `(sheet, row, column, code)`.
type Located = (Option<String>, Option<u64>, Option<String>, String);

/// The problems of an answer.
fn problems(body: &Value) -> Vec<Located> {
    body["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems list: {body}"))
        .iter()
        .map(|problem| {
            assert!(
                !problem["message"].as_str().unwrap_or_default().is_empty(),
                "{problem}"
            );
            (
                problem["sheet"].as_str().map(str::to_owned),
                problem["row"].as_u64(),
                problem["column"].as_str().map(str::to_owned),
                problem["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn at(row: u64, column: &str, code: &str) -> Located {
    (None, Some(row), Some(column.to_owned()), code.to_owned())
}

fn at_sheet(sheet: &str, row: u64, column: &str, code: &str) -> Located {
    (
        Some(sheet.to_owned()),
        Some(row),
        Some(column.to_owned()),
        code.to_owned(),
    )
}

/// Rows of the plan's tables, read behind the API.
async fn plan_rows(app: &TestApp) -> [i64; 6] {
    [
        sql_integer(app, "SELECT COUNT(*) FROM plans").await,
        sql_integer(app, "SELECT COUNT(*) FROM objectives").await,
        sql_integer(app, "SELECT COUNT(*) FROM lever_allocations").await,
        sql_integer(app, "SELECT COUNT(*) FROM campaigns").await,
        sql_integer(app, "SELECT COUNT(*) FROM campaign_levers").await,
        sql_integer(app, "SELECT COUNT(*) FROM actions").await,
    ]
}

const PLAN_QUERY: &str = "query($id: ID!) { node(id: $id) { ... on Plan {
  name description periodStart periodEnd currency budget status
  objectives { title kind kpi { key } baseline target deadline }
  campaigns(first: 10) { totalCount edges { node { name kind budget status startDate endDate levers } } }
} } }";

#[tokio::test]
async fn a_clean_csv_plan_is_imported_whole() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let (status, body) = upload(
        &app,
        Some(&editor),
        "/import/plan",
        "text/csv; charset=utf-8",
        PLAN_CSV.into(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["imported"], json!(true));
    assert_eq!(body["problems"], json!([]));
    assert_eq!(
        body["counts"],
        json!({"plans": 1, "objectives": 2, "leverBudgets": 3, "campaigns": 2, "actions": 3})
    );
    assert_eq!(plan_rows(&app).await, [1, 2, 3, 2, 3, 3]);
    let plan = app
        .data(&editor, PLAN_QUERY, json!({ "id": body["planId"] }))
        .await["node"]
        .clone();
    assert_eq!(plan["name"], "Plan 2027");
    assert_eq!(plan["description"], "Imported from the template");
    assert_eq!(plan["periodStart"], "2027-01-01");
    assert_eq!(plan["periodEnd"], "2027-12-31");
    assert_eq!(plan["currency"], "EUR");
    assert_eq!(plan["budget"], "120000.00");
    assert_eq!(plan["status"], "DRAFT");
    assert_eq!(
        plan["objectives"],
        // By deadline.
        json!([
            {"title": "Double the site's traffic", "kind": "TRAFFIC", "kpi": {"key": "sessions"},
             "baseline": "20000", "target": "40000", "deadline": "2027-06-30"},
            {"title": "Lower the cost per acquisition", "kind": "CONVERSION", "kpi": {"key": "cpa"},
             "baseline": "45", "target": "30", "deadline": "2027-12-31"}
        ])
    );
    let campaigns: Vec<Value> = plan["campaigns"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"].clone())
        .collect();
    assert_eq!(
        campaigns,
        vec![
            json!({"name": "Spring launch", "kind": "CONVERSION", "budget": "35000.00", "status": "PLANNED",
                   "startDate": "2027-03-01", "endDate": "2027-05-31", "levers": ["SEA", "SOCIAL_ADS"]}),
            json!({"name": "Always-on search", "kind": "TRAFFIC", "budget": "25000.00", "status": "ACTIVE",
                   "startDate": "2027-01-01", "endDate": "2027-12-31", "levers": ["SEA"]}),
        ]
    );
    // Lever budgets and actions, behind the API: 40000 + 30000 + 15000.50; 20000 + 3000 + 5000.
    assert_eq!(
        sql_integer(
            &app,
            "SELECT CAST(SUM(budget_micros) AS BIGINT) FROM lever_allocations"
        )
        .await,
        85_000_500_000
    );
    assert_eq!(
        sql_integer(
            &app,
            "SELECT CAST(SUM(budget_micros) AS BIGINT) FROM actions"
        )
        .await,
        28_000_000_000
    );
    assert_eq!(
        sql_integer(&app, "SELECT CAST(SUM(ice_score) AS BIGINT) FROM actions").await,
        8 * 7 * 6 + 6 * 5 * 8 + 7 * 8 * 5
    );
    // Two actions belong to "Spring launch"; the audit to no campaign.
    assert_eq!(
        sql_integer(
            &app,
            "SELECT COUNT(*) FROM actions a JOIN campaigns c ON c.id = a.campaign_id \
             WHERE c.name = 'Spring launch'"
        )
        .await,
        2
    );
    assert_eq!(
        sql_integer(
            &app,
            "SELECT COUNT(*) FROM actions WHERE campaign_id IS NULL"
        )
        .await,
        1
    );
}

/// The template with mistakes on several rows.
fn broken_csv() -> String {
    let mut csv = String::new();
    for (number, line) in PLAN_CSV.lines().enumerate() {
        // Line 1 is the header, line 2 the plan, 3-4 objectives, 5-7 lever budgets, 8-9
        // campaigns, 10-12 actions.
        let line = match number + 1 {
            2 => line.replace("2027-12-31", "2027-13-31"),
            3 => line.replace(",cpa,", ",cpx,"),
            6 => line.replace("SOCIAL_ADS", "SOCIAL_ADZ"),
            7 => line.replace("15000.50", "-1"),
            8 => line.replace("2027-05-31", "2026-12-01"),
            10 => line.replace(",8,7,6", ",11,7,6"),
            11 => line.replace("Spring launch", "Summer launch"),
            _ => line.to_owned(),
        };
        csv.push_str(&line);
        csv.push('\n');
    }
    // A row whose kind is unknown, and an objective with a campaign's column filled.
    csv.push_str(&format!("budget{}\n", ",".repeat(31)));
    let mut objective: Vec<&str> = vec![""; 32];
    objective[0] = "objective";
    objective[2] = "Grow";
    objective[8] = "AWARENESS";
    objective[9] = "impressions";
    objective[11] = "1000";
    objective[12] = "2027-06-30";
    objective[21] = "grow";
    csv.push_str(&objective.join(","));
    csv.push('\n');
    csv
}

#[tokio::test]
async fn a_csv_plan_with_errors_is_refused_with_every_error_listed() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    for dry_run in [false, true] {
        let path = if dry_run {
            "/import/plan?dryRun=true"
        } else {
            "/import/plan"
        };
        let (status, body) = upload(
            &app,
            Some(&editor),
            path,
            "text/csv",
            broken_csv().into_bytes(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["imported"], json!(false));
        assert_eq!(body["planId"], Value::Null);
        assert_eq!(
            problems(&body),
            vec![
                at(2, "periodEnd", "INVALID"),
                at(3, "kpiKey", "NOT_FOUND"),
                at(6, "lever", "INVALID"),
                at(7, "budget", "OUT_OF_RANGE"),
                at(8, "endDate", "DATE_ORDER"),
                at(10, "impact", "OUT_OF_RANGE"),
                at(11, "campaign", "NOT_FOUND"),
                at(13, "record", "INVALID"),
                at(14, "utmCode", "INVALID"),
            ],
            "{body}"
        );
    }
    assert_eq!(plan_rows(&app).await, [0; 6]);
}

#[tokio::test]
async fn a_dry_run_reports_what_it_would_create_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let (status, body) = upload(
        &app,
        Some(&editor),
        "/import/plan?dryRun=true",
        "text/csv",
        PLAN_CSV.into(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["dryRun"], json!(true));
    assert_eq!(body["imported"], json!(false));
    assert_eq!(body["planId"], Value::Null);
    assert_eq!(
        body["counts"],
        json!({"plans": 1, "objectives": 2, "leverBudgets": 3, "campaigns": 2, "actions": 3})
    );
    assert_eq!(plan_rows(&app).await, [0; 6]);
}

/// The template as a workbook: one sheet per kind, numbers as numbers and dates as dates;
/// `broken` puts mistakes in it.
fn workbook(broken: bool) -> Vec<u8> {
    let mut reader = csv::Reader::from_reader(PLAN_CSV.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|record| record.expect("a row").iter().map(str::to_owned).collect())
        .collect();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let mut book = Workbook::new();
    for (sheet, kind) in [
        ("plan", "plan"),
        ("objectives", "objective"),
        ("leverBudgets", "leverBudget"),
        ("campaigns", "campaign"),
        ("actions", "action"),
    ] {
        let rows: Vec<&Vec<String>> = records.iter().filter(|row| row[0] == kind).collect();
        // The columns this kind fills somewhere.
        let columns: Vec<usize> = (1..header.len())
            .filter(|&index| rows.iter().any(|row| !row[index].is_empty()))
            .collect();
        let worksheet = book.add_worksheet();
        worksheet.set_name(sheet).expect("a sheet name");
        for (x, &index) in columns.iter().enumerate() {
            worksheet
                .write_string(0, x as u16, header[index].as_str())
                .expect("a header cell");
        }
        for (y, row) in rows.iter().enumerate() {
            for (x, &index) in columns.iter().enumerate() {
                let mut value = row[index].clone();
                if broken && sheet == "campaigns" && y == 1 && header[index] == "budget" {
                    value = "lots".to_owned();
                }
                if broken && sheet == "actions" && y == 2 && header[index] == "dueDate" {
                    value = "2028-02-28".to_owned();
                }
                let (row_number, column) = (y as u32 + 1, x as u16);
                if value.is_empty() {
                    continue;
                } else if let Ok(date) = chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
                    use chrono::Datelike;
                    let date = ExcelDateTime::from_ymd(
                        date.year() as u16,
                        date.month() as u8,
                        date.day() as u8,
                    )
                    .expect("a date");
                    worksheet
                        .write_datetime_with_format(row_number, column, &date, &date_format)
                        .expect("a date cell");
                } else if let Ok(number) = value.parse::<f64>() {
                    worksheet
                        .write_number(row_number, column, number)
                        .expect("a number cell");
                } else {
                    worksheet
                        .write_string(row_number, column, value.as_str())
                        .expect("a text cell");
                }
            }
        }
    }
    if broken {
        let notes = book.add_worksheet();
        notes.set_name("Budget notes").expect("a sheet name");
        notes.write_string(0, 0, "free text").expect("a cell");
    }
    book.save_to_buffer().expect("a workbook")
}

#[tokio::test]
async fn an_xlsx_plan_with_errors_is_refused_and_a_clean_one_is_imported() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let (status, body) = upload(
        &app,
        Some(&editor),
        "/import/plan",
        XLSX_TYPE,
        workbook(true),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        problems(&body),
        vec![
            (
                Some("Budget notes".to_owned()),
                None,
                None,
                "INVALID".to_owned()
            ),
            at_sheet("actions", 4, "dueDate", "OUTSIDE_PLAN_PERIOD"),
            at_sheet("campaigns", 3, "budget", "INVALID"),
        ],
        "{body}"
    );
    assert_eq!(plan_rows(&app).await, [0; 6]);

    let (status, body) = upload(
        &app,
        Some(&editor),
        "/import/plan",
        XLSX_TYPE,
        workbook(false),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["counts"],
        json!({"plans": 1, "objectives": 2, "leverBudgets": 3, "campaigns": 2, "actions": 3})
    );
    assert_eq!(plan_rows(&app).await, [1, 2, 3, 2, 3, 3]);
    let plan = app
        .data(&editor, PLAN_QUERY, json!({ "id": body["planId"] }))
        .await["node"]
        .clone();
    assert_eq!(plan["budget"], "120000.00");
    assert_eq!(plan["periodEnd"], "2027-12-31");
    assert_eq!(plan["objectives"][0]["deadline"], "2027-06-30");
    assert_eq!(plan["objectives"][1]["target"], "30");
    assert_eq!(
        sql_integer(
            &app,
            "SELECT CAST(SUM(budget_micros) AS BIGINT) FROM lever_allocations"
        )
        .await,
        85_000_500_000
    );
}

/// The workbook shipped in `docs/templates/` is the template's: it imports whole (rewritten
/// from the CSV template with `UPDATE_TEMPLATES=1`).
#[tokio::test]
async fn the_shipped_workbook_template_imports() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/templates/plan.xlsx");
    if std::env::var("UPDATE_TEMPLATES").is_ok() {
        std::fs::write(path, workbook(false)).expect("the template is written");
    }
    let bytes = std::fs::read(path).expect("docs/templates/plan.xlsx");
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let (status, body) = upload(&app, Some(&editor), "/import/plan", XLSX_TYPE, bytes).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(plan_rows(&app).await, [1, 2, 3, 2, 3, 3]);
}

/// The template with external references `(line, source, id)` on campaign lines.
fn with_references(references: &[(usize, &str, &str)]) -> String {
    PLAN_CSV
        .lines()
        .enumerate()
        .map(
            |(index, text)| match references.iter().find(|(line, _, _)| *line == index + 1) {
                Some((_, source, id)) => {
                    let text = text.strip_suffix(",,").expect("two empty last columns");
                    format!("{text},{source},{id}\n")
                }
                None => format!("{text}\n"),
            },
        )
        .collect()
}

#[tokio::test]
async fn campaigns_are_mapped_by_external_reference_first() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    // Half a reference, and one used twice in the file.
    let half = with_references(&[(8, "google_ads", "")]);
    let (status, body) = upload(
        &app,
        Some(&editor),
        "/import/plan",
        "text/csv",
        half.into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(problems(&body), vec![at(8, "externalId", "REQUIRED")]);
    let twice = with_references(&[
        (8, "google_ads", "20451234567"),
        (9, "google_ads", "20451234567"),
    ]);
    let (status, body) = upload(
        &app,
        Some(&editor),
        "/import/plan",
        "text/csv",
        twice.into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(problems(&body), vec![at(9, "externalId", "DUPLICATE")]);
    assert_eq!(plan_rows(&app).await, [0; 6]);

    let referenced = with_references(&[(8, "google_ads", "20451234567")]);
    let (status, body) = upload(
        &app,
        Some(&editor),
        "/import/plan",
        "text/csv",
        referenced.clone().into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let plan = body["planId"].as_str().expect("a plan").to_owned();
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM campaigns WHERE external_source = 'google_ads' AND external_id = '20451234567'").await,
        1
    );
    // The tenant's campaigns already carry that reference: a second import is refused.
    let (status, body) = upload(
        &app,
        Some(&editor),
        "/import/plan",
        "text/csv",
        referenced.into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(problems(&body), vec![at(8, "externalId", "DUPLICATE")]);

    // Renamed on the platform: still mapped by its id.
    let report = GOOGLE_ADS.replace("Spring launch,2045", "Spring launch - Search,2045");
    assert_ne!(report, GOOGLE_ADS);
    let (status, body) = import_report(
        &app,
        &editor,
        &format!("source=GOOGLE_ADS&planId={plan}"),
        &report,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["measurements"], json!(15));
    assert_eq!(
        sql_integer(
            &app,
            "SELECT COUNT(*) FROM measurements m JOIN campaigns c ON c.id = m.campaign_id \
             WHERE c.name = 'Spring launch'"
        )
        .await,
        8
    );
}

/// `POST /import/measurements?<query>` with `report`.
async fn import_report(
    app: &TestApp,
    token: &str,
    query: &str,
    report: &str,
) -> (StatusCode, Value) {
    upload(
        app,
        Some(token),
        &format!("/import/measurements?{query}"),
        "text/csv",
        report.as_bytes().to_vec(),
    )
    .await
}

/// The sum of the micros of `kpi` from `source`.
async fn total(app: &TestApp, source: &str, kpi: &str) -> i64 {
    sql_integer(
        app,
        &format!(
            "SELECT CAST(SUM(value_micros) AS BIGINT) FROM measurements WHERE source = '{source}' AND kpi_key = '{kpi}'"
        ),
    )
    .await
}

#[tokio::test]
async fn each_ad_platform_report_is_imported_once_and_again_adds_nothing() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let admin = app.token("acme", "admin");
    let plan = import_template(&app, &editor).await;
    let rates = app
        .data(
            &admin,
            "mutation { setExchangeRates(input: { rates: [{date: \"2027-03-01\", from: \"USD\", to: \"EUR\", rate: \"0.9\"}] }) { userErrors { code } } }",
            json!({}),
        )
        .await;
    assert_eq!(rates["setExchangeRates"]["userErrors"], json!([]));

    // Google Ads: 4 rows (one KPI left out as "--"), the total line skipped.
    let query = format!("source=GOOGLE_ADS&planId={plan}&currency=EUR");
    let (status, body) = import_report(&app, &editor, &query, GOOGLE_ADS).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (
            &body["rows"],
            &body["measurements"],
            &body["inserted"],
            &body["updated"]
        ),
        (&json!(4), &json!(15), &json!(15), &json!(0)),
        "{body}"
    );
    assert_eq!(
        total(&app, "google_ads", "impressions").await,
        4_110_000_000
    );
    assert_eq!(total(&app, "google_ads", "clicks").await, 119_000_000);
    assert_eq!(total(&app, "google_ads", "spend").await, 99_850_000);
    assert_eq!(total(&app, "google_ads", "conversions").await, 6_500_000);
    let (status, again) = import_report(&app, &editor, &query, GOOGLE_ADS).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(
        (&again["inserted"], &again["updated"]),
        (&json!(0), &json!(15))
    );
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM measurements").await,
        15
    );
    assert_eq!(total(&app, "google_ads", "spend").await, 99_850_000);

    // Meta: spend in USD (from the header), converted at 0.9: 80.00 → 72.00, 86.50 → 77.85.
    let query = format!("source=META_ADS&planId={plan}");
    let (status, body) = import_report(&app, &editor, &query, META_ADS).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (&body["measurements"], &body["inserted"], &body["currency"]),
        (&json!(8), &json!(8), &json!("USD"))
    );
    assert_eq!(total(&app, "meta_ads", "spend").await, 149_850_000);
    assert_eq!(total(&app, "meta_ads", "clicks").await, 251_000_000);
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM measurements WHERE source = 'meta_ads' AND original_currency = 'USD'").await,
        2
    );
    let (_, again) = import_report(&app, &editor, &query, META_ADS).await;
    assert_eq!(
        (&again["inserted"], &again["updated"]),
        (&json!(0), &json!(8)),
        "{again}"
    );

    // LinkedIn: US dates, title lines above the header.
    let query = format!("source=LINKEDIN_ADS&planId={plan}");
    let (status, body) = import_report(&app, &editor, &query, LINKEDIN_ADS).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (&body["measurements"], &body["inserted"]),
        (&json!(8), &json!(8))
    );
    assert_eq!(total(&app, "linkedin_ads", "spend").await, 123_000_000);
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM measurements WHERE source = 'linkedin_ads' AND date = '2027-03-01'").await,
        4
    );
    let (_, again) = import_report(&app, &editor, &query, LINKEDIN_ADS).await;
    assert_eq!(
        (&again["inserted"], &again["updated"]),
        (&json!(0), &json!(8)),
        "{again}"
    );
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM measurements").await,
        31
    );

    // Every measurement is tied to a campaign of the plan, under the platform's lever.
    assert_eq!(
        sql_integer(
            &app,
            "SELECT COUNT(*) FROM measurements m JOIN campaigns c ON c.id = m.campaign_id"
        )
        .await,
        31
    );
    assert_eq!(
        sql_integer(
            &app,
            "SELECT COUNT(*) FROM measurements WHERE lever = 'SOCIAL_ADS'"
        )
        .await,
        16
    );

    // A dry run maps and counts, and records nothing.
    let (status, dry) = import_report(
        &app,
        &editor,
        &format!("source=GOOGLE_ADS&planId={plan}&dryRun=true"),
        GOOGLE_ADS,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{dry}");
    assert_eq!(
        (&dry["measurements"], &dry["inserted"], &dry["imported"]),
        (&json!(15), &json!(0), &json!(false))
    );
}

#[tokio::test]
async fn an_unmapped_campaign_is_reported_with_its_row_and_nothing_is_recorded() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = import_template(&app, &editor).await;
    let report = GOOGLE_ADS
        .replace("2027-03-02,Spring launch", "2027-03-02,Winter sale")
        .replace("760,--", "760,many");
    let (status, body) = import_report(
        &app,
        &editor,
        &format!("source=GOOGLE_ADS&planId={plan}"),
        &report,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        problems(&body),
        vec![at(6, "Campaign", "NOT_FOUND"), at(7, "Clicks", "INVALID")],
        "{body}"
    );
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM measurements").await,
        0
    );

    // A file that is not a report of the platform named.
    let (status, body) = import_report(
        &app,
        &editor,
        &format!("source=LINKEDIN_ADS&planId={plan}"),
        META_ADS,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        problems(&body),
        vec![(None, None, None, "INVALID".to_owned())]
    );
    // Parameters: an unknown platform, a missing plan.
    let (status, body) = import_report(
        &app,
        &editor,
        &format!("source=TIKTOK&planId={plan}"),
        GOOGLE_ADS,
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, Some("BAD_USER_INPUT"))
    );
    let (status, _) = import_report(&app, &editor, "source=GOOGLE_ADS", GOOGLE_ADS).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn files_past_the_size_limit_are_refused_with_413() {
    let app = TestApp::spawn_with(|config| config.max_import_bytes = 1000).await;
    let editor = app.token("acme", "editor");
    let large = PLAN_CSV.repeat(3);
    assert!(large.len() > 1000 && PLAN_CSV.len() < 2000);
    let (status, body) = upload(
        &app,
        Some(&editor),
        "/import/plan",
        "text/csv",
        large.into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    // Chunked, without a declared length: cut off as soon as it passes the limit.
    let mut stream = tokio::net::TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .expect("a connection");
    let head = format!(
        "POST /import/plan HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {editor}\r\n\
         Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    stream
        .write_all(head.as_bytes())
        .await
        .expect("the head is sent");
    for _ in 0..20 {
        let chunk = format!("64\r\n{}\r\n", "a".repeat(100));
        // The server may answer and close before the last chunks.
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(plan_rows(&app).await, [0; 6]);
    // Not a file: a form is refused.
    let (status, _) = upload(
        &app,
        Some(&editor),
        "/import/plan",
        "multipart/form-data; boundary=x",
        b"--x--".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn imports_need_credentials_and_never_reach_another_tenant() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let (status, body) = upload(&app, None, "/import/plan", "text/csv", PLAN_CSV.into()).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::UNAUTHORIZED, Some("UNAUTHENTICATED"))
    );
    let (status, body) = upload(
        &app,
        Some(&viewer),
        "/import/plan",
        "text/csv",
        PLAN_CSV.into(),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, Some("FORBIDDEN"))
    );
    assert_eq!(plan_rows(&app).await, [0; 6]);

    let acme_plan = import_template(&app, &editor).await;
    // globex has a plan with campaigns of the same names.
    let globex = app.token("globex", "editor");
    let globex_plan = import_template(&app, &globex).await;
    let query = format!("source=GOOGLE_ADS&planId={acme_plan}");
    let (status, body) = upload(
        &app,
        None,
        &format!("/import/measurements?{query}"),
        "text/csv",
        GOOGLE_ADS.into(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, body) = import_report(&app, &viewer, &query, GOOGLE_ADS).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, Some("FORBIDDEN"))
    );
    // globex cannot import into acme's plan: it does not exist for globex.
    let (status, body) = import_report(&app, &globex, &query, GOOGLE_ADS).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::NOT_FOUND, Some("NOT_FOUND"))
    );
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM measurements").await,
        0
    );
    // acme's import matches acme's campaigns only, globex's its own.
    let (status, _) = import_report(&app, &editor, &query, GOOGLE_ADS).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = import_report(
        &app,
        &globex,
        &format!("source=GOOGLE_ADS&planId={globex_plan}"),
        GOOGLE_ADS,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        sql_integer(
            &app,
            "SELECT COUNT(*) FROM measurements m JOIN campaigns c ON c.id = m.campaign_id \
             WHERE c.tenant_id = m.tenant_id AND c.plan_id = m.plan_id"
        )
        .await,
        30
    );
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM measurements").await,
        30
    );
}

/// The `curl` commands of the README's "Imports" section: (path and query, file), in order.
fn readme_commands() -> Vec<(String, String)> {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("\n## Imports")
        .expect("README has an \"Imports\" section");
    let section = &readme[start + 1..];
    let section = &section[..section[1..]
        .find("\n## ")
        .map_or(section.len(), |end| end + 1)];
    let mut commands = Vec::new();
    let mut url = None;
    for line in section.lines() {
        if let Some(rest) = line.trim().strip_prefix("curl ") {
            let quoted = rest.split('"').nth(1).expect("a quoted URL");
            url = Some(
                quoted
                    .trim_start_matches("http://127.0.0.1:8080")
                    .to_owned(),
            );
        }
        if let Some((_, file)) = line.split_once("--data-binary @") {
            let file = file
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            commands.push((url.take().expect("a curl command before its file"), file));
        }
    }
    commands
}

#[tokio::test]
async fn the_readme_examples_run_as_written() {
    let commands = readme_commands();
    assert_eq!(commands.len(), 5, "{commands:?}");
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let mut plan_id = String::new();
    for (path, file) in commands {
        let path = path.replace("$PLAN_ID", &plan_id);
        let bytes = std::fs::read(format!("{}/../{file}", env!("CARGO_MANIFEST_DIR")))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let content_type = if file.ends_with(".xlsx") {
            XLSX_TYPE
        } else {
            "text/csv"
        };
        let (status, body) = upload(&app, Some(&editor), &path, content_type, bytes).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        if let Some(id) = body["planId"].as_str() {
            plan_id = id.to_owned();
        }
    }
    assert_eq!(plan_rows(&app).await, [1, 2, 3, 2, 3, 3]);
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM measurements").await,
        15
    );
}

/// A report longer than one `recordMeasurements` batch (1 000 rows) is still recorded whole, in
/// one transaction: 2 campaigns × 200 days × 4 KPIs = 1 600 measurements.
#[tokio::test]
async fn a_report_longer_than_one_batch_is_recorded_whole() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = import_template(&app, &editor).await;
    let first = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).expect("a date");
    let mut report = String::from("Day,Campaign,Impr.,Clicks,Cost,Conversions\n");
    for day in 0..200 {
        let date = first + chrono::Days::new(day);
        for campaign in ["Spring launch", "Always-on search"] {
            report.push_str(&format!("{date},{campaign},100,4,2.50,1\n"));
        }
    }
    let query = format!("source=GOOGLE_ADS&planId={plan}&currency=EUR");
    let (status, body) = import_report(&app, &editor, &query, &report).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (&body["rows"], &body["measurements"], &body["inserted"]),
        (&json!(400), &json!(1600), &json!(1600)),
        "{body}"
    );
    assert_eq!(
        total(&app, "google_ads", "impressions").await,
        40_000_000_000
    );
    assert_eq!(total(&app, "google_ads", "spend").await, 1_000_000_000);
    let (status, again) = import_report(&app, &editor, &query, &report).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(
        (&again["inserted"], &again["updated"]),
        (&json!(0), &json!(1600))
    );
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM measurements").await,
        1600
    );
}
