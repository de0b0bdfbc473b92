//! `kpiSeries`: sums, ratios of sums (never averages of ratios), snapshots, non-additive
//! values, every grain (weeks across a year boundary, quarters), groupings, filters, limits,
//! roles, API keys and tenancy, with every expected value worked out by hand.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_action, create_campaign, create_persona, create_plan, dec, error_code,
    mutate_ok, record_measurements, user_errors,
};

pub const SERIES_QUERY: &str = "query($input: KpiSeriesInput!) { kpiSeries(input: $input) { \
    kpiKey periodStart value campaignId lever personaId actionId } }";

/// A measurement row: `kpi` on `date` worth `value`, with `links` merged in (campaignId,
/// lever, personaId, actionId, grain, externalId, source).
pub fn m(kpi: &str, date: &str, value: &str, links: Value) -> Value {
    let mut row = json!({ "kpiKey": kpi, "date": date, "value": value, "source": "manual" });
    if let (Some(fields), Some(extra)) = (row.as_object_mut(), links.as_object()) {
        for (key, value) in extra {
            fields.insert(key.clone(), value.clone());
        }
    }
    row
}

/// Records rows that must all be accepted.
pub async fn record(app: &TestApp, token: &str, rows: Vec<Value>) {
    for batch in rows.chunks(1000) {
        let payload = record_measurements(app, token, json!(batch)).await;
        assert_eq!(user_errors(&payload), Vec::<String>::new(), "{payload}");
    }
}

/// The raw response of `kpiSeries(input)`.
pub async fn series_body(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(token, SERIES_QUERY, json!({ "input": input }))
        .await
}

/// The points of `kpiSeries(input)` as `kpi period [campaign] [lever] [persona] [action] =
/// value` lines, IDs replaced by their labels and values normalised (so `0.060` and `0.06`
/// compare equal), `null` for no value.
pub async fn series(
    app: &TestApp,
    token: &str,
    labels: &HashMap<String, &str>,
    input: Value,
) -> Vec<String> {
    let body = series_body(app, token, input).await;
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
    lines(&body["data"]["kpiSeries"], labels)
}

/// Points as lines (see [`series`]).
pub fn lines(points: &Value, labels: &HashMap<String, &str>) -> Vec<String> {
    points
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {points}"))
        .iter()
        .map(|point| {
            let mut line = format!(
                "{} {}",
                point["kpiKey"].as_str().unwrap(),
                point["periodStart"].as_str().unwrap()
            );
            for field in ["campaignId", "lever", "personaId", "actionId"] {
                if let Some(text) = point[field].as_str() {
                    line.push(' ');
                    line.push_str(labels.get(text).copied().unwrap_or(text));
                }
            }
            let value = match point["value"].as_str() {
                Some(text) => dec(text).normalize().to_string(),
                None => "null".to_owned(),
            };
            line.push_str(" = ");
            line.push_str(&value);
            line
        })
        .collect()
}

fn strings(expected: &[&str]) -> Vec<String> {
    expected.iter().map(|line| (*line).to_owned()).collect()
}

/// March 2026: clicks and impressions on two days and two levers, chosen so that the ratio of
/// the sums differs from any average of ratios; spend and revenue for CPM and ROI. April: a
/// DISPLAY day with spend and zero clicks (no impressions, no revenue).
pub fn march_rows() -> Vec<Value> {
    let seo = json!({ "lever": "SEO" });
    let sea = json!({ "lever": "SEA" });
    let display = json!({ "lever": "DISPLAY" });
    vec![
        m("clicks", "2026-03-02", "1", seo.clone()),
        m("impressions", "2026-03-02", "10", seo.clone()),
        m("clicks", "2026-03-03", "9", seo.clone()),
        m("impressions", "2026-03-03", "40", seo.clone()),
        m("clicks", "2026-03-02", "2", sea.clone()),
        m("impressions", "2026-03-02", "90", sea.clone()),
        m("clicks", "2026-03-03", "3", sea.clone()),
        m("impressions", "2026-03-03", "110", sea.clone()),
        m("spend", "2026-03-02", "2.5", seo.clone()),
        m("spend", "2026-03-03", "5", sea),
        m("revenue", "2026-03-02", "15", seo),
        m("spend", "2026-04-01", "4", display.clone()),
        m("clicks", "2026-04-01", "0", display),
    ]
}

#[tokio::test]
async fn ratios_are_recomputed_from_summed_components() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    record(&app, &editor, march_rows()).await;
    let none = HashMap::new();
    let march = |grain: &str, group_by: Value, keys: Value| json!({ "kpiKeys": keys, "from": "2026-03-01", "to": "2026-03-31", "grain": grain, "groupBy": group_by });

    // Month: (1 + 9 + 2 + 3) / (10 + 40 + 90 + 110) = 15 / 250 = 0.06, whereas the mean of the
    // daily CTRs is (0.03 + 0.08) / 2 = 0.055 and of the four rows' CTRs about 0.087.
    assert_eq!(
        series(
            &app,
            &viewer,
            &none,
            march("MONTH", json!(null), json!(["ctr"]))
        )
        .await,
        strings(&["ctr 2026-03-01 = 0.06"])
    );
    // Days: 3 / 100 and 12 / 150.
    assert_eq!(
        series(
            &app,
            &viewer,
            &none,
            march("DAY", json!([]), json!(["ctr"]))
        )
        .await,
        strings(&["ctr 2026-03-02 = 0.03", "ctr 2026-03-03 = 0.08"])
    );
    // Day × lever, rounded to 12 decimal places: SEA on the 2nd is 2 / 90 = 1/45, on the 3rd
    // 3 / 110 = 0.0272727…, its twelfth place rounded up.
    assert_eq!(
        series(
            &app,
            &viewer,
            &none,
            march("DAY", json!(["LEVER"]), json!(["ctr"]))
        )
        .await,
        strings(&[
            "ctr 2026-03-02 SEO = 0.1",
            "ctr 2026-03-02 SEA = 0.022222222222",
            "ctr 2026-03-03 SEO = 0.225",
            "ctr 2026-03-03 SEA = 0.027272727273",
        ])
    );

    // Several KPIs by lever over March and April, in the order asked. CTR: SEO 10/50, SEA
    // 5/200; DISPLAY has clicks but no impressions: null. CPM = spend / impressions × 1000:
    // SEO 2.5/50 × 1000 = 50, SEA 5/200 × 1000 = 25; DISPLAY no impressions: null. ROI =
    // revenue / spend − 1: SEO 15/2.5 − 1 = 5; SEA and DISPLAY have spend but no revenue:
    // 0 − 1 = −1. CPC = spend / clicks: DISPLAY's clicks sum to 0: null.
    let input = json!({ "kpiKeys": ["ctr", "cpm", "roi", "cpc"], "from": "2026-03-01", "to": "2026-04-30",
                        "grain": "MONTH", "groupBy": ["LEVER"] });
    assert_eq!(
        series(&app, &viewer, &none, input).await,
        strings(&[
            "ctr 2026-03-01 SEO = 0.2",
            "ctr 2026-03-01 SEA = 0.025",
            "ctr 2026-04-01 DISPLAY = null",
            "cpm 2026-03-01 SEO = 50",
            "cpm 2026-03-01 SEA = 25",
            "cpm 2026-04-01 DISPLAY = null",
            "roi 2026-03-01 SEO = 5",
            "roi 2026-03-01 SEA = -1",
            "roi 2026-04-01 DISPLAY = -1",
            "cpc 2026-03-01 SEO = 0.25",
            "cpc 2026-03-01 SEA = 1",
            "cpc 2026-04-01 DISPLAY = null",
        ])
    );

    // Totals over March: CPM 7.5 / 250 × 1000 = 30, ROI 15 / 7.5 − 1 = 1, ROAS 2, and the
    // sums themselves.
    assert_eq!(
        series(
            &app,
            &viewer,
            &none,
            march(
                "QUARTER",
                json!(null),
                json!(["cpm", "roi", "roas", "clicks", "spend"])
            )
        )
        .await,
        strings(&[
            "cpm 2026-01-01 = 30",
            "roi 2026-01-01 = 1",
            "roas 2026-01-01 = 2",
            "clicks 2026-01-01 = 15",
            "spend 2026-01-01 = 7.5",
        ])
    );
}

#[tokio::test]
async fn every_grain_buckets_dates_on_its_first_day() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    // 2026-02-15 is a Sunday (week of Monday 9 Feb); 2026-08-31 a Monday; 2026-12-27 a
    // Sunday (week of 21 Dec); 2026-12-28 a Monday and 2026-12-31 a Thursday, whose week runs
    // to Sunday 2027-01-03; 2027-01-04 a Monday. Powers of two show which rows were added.
    let rows = [
        ("2026-02-15", "32"),
        ("2026-08-31", "64"),
        ("2026-12-27", "1"),
        ("2026-12-28", "2"),
        ("2026-12-31", "4"),
        ("2027-01-03", "8"),
        ("2027-01-04", "16"),
    ]
    .iter()
    .map(|(date, value)| m("sessions", date, value, json!({})))
    .collect();
    record(&app, &editor, rows).await;
    let none = HashMap::new();
    let at = |grain: &str, from: &str, to: &str| json!({ "kpiKeys": ["sessions"], "from": from, "to": to, "grain": grain });
    let all = |grain| at(grain, "2026-01-01", "2027-12-31");

    assert_eq!(
        series(&app, &editor, &none, all("DAY")).await,
        strings(&[
            "sessions 2026-02-15 = 32",
            "sessions 2026-08-31 = 64",
            "sessions 2026-12-27 = 1",
            "sessions 2026-12-28 = 2",
            "sessions 2026-12-31 = 4",
            "sessions 2027-01-03 = 8",
            "sessions 2027-01-04 = 16",
        ])
    );
    assert_eq!(
        series(&app, &editor, &none, all("WEEK")).await,
        strings(&[
            "sessions 2026-02-09 = 32",
            "sessions 2026-08-31 = 64",
            "sessions 2026-12-21 = 1",
            "sessions 2026-12-28 = 14",
            "sessions 2027-01-04 = 16",
        ])
    );
    assert_eq!(
        series(&app, &editor, &none, all("MONTH")).await,
        strings(&[
            "sessions 2026-02-01 = 32",
            "sessions 2026-08-01 = 64",
            "sessions 2026-12-01 = 7",
            "sessions 2027-01-01 = 24",
        ])
    );
    assert_eq!(
        series(&app, &editor, &none, all("QUARTER")).await,
        strings(&[
            "sessions 2026-01-01 = 32",
            "sessions 2026-07-01 = 64",
            "sessions 2026-10-01 = 7",
            "sessions 2027-01-01 = 24",
        ])
    );
    assert_eq!(
        series(&app, &editor, &none, all("YEAR")).await,
        strings(&["sessions 2026-01-01 = 103", "sessions 2027-01-01 = 24"])
    );
    // Both ends are inclusive; a bucket holds only the days asked for.
    assert_eq!(
        series(&app, &editor, &none, at("WEEK", "2026-12-28", "2027-01-03")).await,
        strings(&["sessions 2026-12-28 = 14"])
    );
    assert_eq!(
        series(&app, &editor, &none, at("WEEK", "2026-12-29", "2027-01-02")).await,
        strings(&["sessions 2026-12-28 = 4"])
    );
    // No gap filling: a range without measurements has no points.
    assert_eq!(
        series(&app, &editor, &none, at("DAY", "2026-03-01", "2026-03-31")).await,
        Vec::<String>::new()
    );
}

/// The objects the grouping tests link measurements to.
pub struct Links {
    pub plan: String,
    pub other_plan: String,
    pub c1: String,
    pub c2: String,
    pub alice: String,
    pub bob: String,
    pub action: String,
}

impl Links {
    pub fn labels(&self) -> HashMap<String, &'static str> {
        HashMap::from([
            (self.c1.clone(), "C1"),
            (self.c2.clone(), "C2"),
            (self.alice.clone(), "Alice"),
            (self.bob.clone(), "Bob"),
            (self.action.clone(), "X"),
        ])
    }
}

/// A plan with two campaigns (C1 created before C2), two personas, an action without a
/// campaign, and an empty second plan.
pub async fn links(app: &TestApp, token: &str) -> Links {
    let plan = create_plan(app, token, "Plan").await;
    let other_plan = create_plan(app, token, "Other plan").await;
    let alice = create_persona(app, token, "Alice").await;
    let bob = create_persona(app, token, "Bob").await;
    let c1 = create_campaign(app, token, &plan, "C1", &[&alice, &bob]).await;
    let c2 = create_campaign(app, token, &plan, "C2", &[&alice, &bob]).await;
    let action = create_action(app, token, &plan, json!({})).await;
    Links {
        plan,
        other_plan,
        c1,
        c2,
        alice,
        bob,
        action,
    }
}

/// Leads in May 2026: 1 (C1, SEO, Alice), 2 (C1, SEA, Bob), 4 (C2, SEO, Alice), 8 (SEO only,
/// no plan), 16 (the action, so the plan, nothing else).
pub fn lead_rows(links: &Links) -> Vec<Value> {
    vec![
        m(
            "leads",
            "2026-05-04",
            "1",
            json!({ "campaignId": links.c1, "lever": "SEO", "personaId": links.alice }),
        ),
        m(
            "leads",
            "2026-05-05",
            "2",
            json!({ "campaignId": links.c1, "lever": "SEA", "personaId": links.bob }),
        ),
        m(
            "leads",
            "2026-05-06",
            "4",
            json!({ "campaignId": links.c2, "lever": "SEO", "personaId": links.alice }),
        ),
        m("leads", "2026-05-07", "8", json!({ "lever": "SEO" })),
        m(
            "leads",
            "2026-05-08",
            "16",
            json!({ "actionId": links.action }),
        ),
    ]
}

#[tokio::test]
async fn groups_and_filters_combine() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let links = links(&app, &editor).await;
    record(&app, &editor, lead_rows(&links)).await;
    let labels = links.labels();
    let may = |extra: Value| {
        let mut input = json!({ "kpiKeys": ["leads"], "from": "2026-05-01", "to": "2026-05-31", "grain": "MONTH" });
        for (key, value) in extra.as_object().unwrap() {
            input[key] = value.clone();
        }
        input
    };
    let run = |extra: Value| series(&app, &viewer, &labels, may(extra));

    assert_eq!(run(json!({})).await, strings(&["leads 2026-05-01 = 31"]));
    // Rows without a campaign form their own group, listed first.
    assert_eq!(
        run(json!({ "groupBy": ["CAMPAIGN"] })).await,
        strings(&[
            "leads 2026-05-01 = 24",
            "leads 2026-05-01 C1 = 3",
            "leads 2026-05-01 C2 = 4",
        ])
    );
    // Given in any order, the dimensions are listed campaign first, then lever (in the order
    // of the Lever enum: SEO before SEA).
    assert_eq!(
        run(json!({ "groupBy": ["LEVER", "CAMPAIGN"] })).await,
        strings(&[
            "leads 2026-05-01 = 16",
            "leads 2026-05-01 SEO = 8",
            "leads 2026-05-01 C1 SEO = 1",
            "leads 2026-05-01 C1 SEA = 2",
            "leads 2026-05-01 C2 SEO = 4",
        ])
    );
    let mut personas = [("Alice", &links.alice, 5), ("Bob", &links.bob, 2)];
    personas.sort_by_key(|(_, id, _)| crate::support::uuid_hex_of(id));
    let mut expected = vec!["leads 2026-05-01 = 24".to_owned()];
    expected.extend(
        personas
            .iter()
            .map(|(name, _, value)| format!("leads 2026-05-01 {name} = {value}")),
    );
    assert_eq!(run(json!({ "groupBy": ["PERSONA"] })).await, expected);
    assert_eq!(
        run(json!({ "groupBy": ["ACTION", "ACTION"] })).await,
        strings(&["leads 2026-05-01 = 15", "leads 2026-05-01 X = 16"])
    );
    assert_eq!(
        run(json!({ "groupBy": ["CAMPAIGN", "LEVER", "PERSONA", "ACTION"], "campaignIds": [links.c1] }))
            .await,
        strings(&[
            "leads 2026-05-01 C1 SEO Alice = 1",
            "leads 2026-05-01 C1 SEA Bob = 2",
        ])
    );

    // Filters: the plan's rows (not the 8 without plan), campaigns, levers, personas, and
    // their intersection; empty lists do not filter.
    assert_eq!(
        run(json!({ "planId": links.plan })).await,
        strings(&["leads 2026-05-01 = 23"])
    );
    assert_eq!(
        run(json!({ "planId": links.other_plan })).await,
        Vec::<String>::new()
    );
    assert_eq!(
        run(json!({ "campaignIds": [links.c1] })).await,
        strings(&["leads 2026-05-01 = 3"])
    );
    assert_eq!(
        run(json!({ "levers": ["SEA"] })).await,
        strings(&["leads 2026-05-01 = 2"])
    );
    assert_eq!(
        run(json!({ "levers": ["SEO"], "personaIds": [links.alice] })).await,
        strings(&["leads 2026-05-01 = 5"])
    );
    assert_eq!(
        run(json!({ "campaignIds": [links.c1, links.c2], "levers": ["SEO", "SEA"], "groupBy": ["LEVER"] }))
            .await,
        strings(&["leads 2026-05-01 SEO = 5", "leads 2026-05-01 SEA = 2"])
    );
    assert_eq!(
        run(json!({ "campaignIds": [], "levers": [], "personaIds": [] })).await,
        strings(&["leads 2026-05-01 = 31"])
    );

    // The campaign object of a point, through its loader.
    let data = app
        .data(
            &viewer,
            "query($input: KpiSeriesInput!) { kpiSeries(input: $input) { campaign { id name } } }",
            json!({ "input": may(json!({ "groupBy": ["CAMPAIGN"] })) }),
        )
        .await;
    assert_eq!(
        data["kpiSeries"],
        json!([
            { "campaign": null },
            { "campaign": { "id": links.c1, "name": "C1" } },
            { "campaign": { "id": links.c2, "name": "C2" } },
        ])
    );
}

#[tokio::test]
async fn snapshots_take_the_latest_date_and_reach_only_its_own_grain_and_groups() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let links = links(&app, &editor).await;
    let labels = links.labels();
    let account = |id: &str| json!({ "externalId": id, "source": "mailchimp" });
    record(
        &app,
        &editor,
        vec![
            // Two newsletter accounts measured on two days of June, one on 1 July.
            m("subscribers", "2026-06-10", "100", account("a-0610")),
            m("subscribers", "2026-06-10", "50", account("b-0610")),
            m("subscribers", "2026-06-20", "120", account("a-0620")),
            m("subscribers", "2026-06-20", "70", account("b-0620")),
            m("subscribers", "2026-07-01", "200", account("a-0701")),
            // Reach: September as a month by two sources and for C1, and two single days.
            m(
                "reach",
                "2026-09-01",
                "1000",
                json!({ "grain": "MONTH", "source": "ga4" }),
            ),
            m(
                "reach",
                "2026-09-01",
                "1500",
                json!({ "grain": "MONTH", "source": "meta_ads" }),
            ),
            m(
                "reach",
                "2026-09-01",
                "400",
                json!({ "grain": "MONTH", "campaignId": links.c1 }),
            ),
            m("reach", "2026-09-02", "300", json!({})),
            m("reach", "2026-09-03", "200", json!({})),
        ],
    )
    .await;
    let run = |kpi: &str, grain: &str, group_by: Value| {
        series(
            &app,
            &editor,
            &labels,
            json!({ "kpiKeys": [kpi], "from": "2026-01-01", "to": "2026-12-31", "grain": grain, "groupBy": group_by }),
        )
    };

    // June: the 20th's two accounts, 120 + 70 (never 100 + 50 + 120 + 70); July: 200.
    assert_eq!(
        run("subscribers", "MONTH", json!(null)).await,
        strings(&[
            "subscribers 2026-06-01 = 190",
            "subscribers 2026-07-01 = 200"
        ])
    );
    assert_eq!(
        run("subscribers", "QUARTER", json!(null)).await,
        strings(&[
            "subscribers 2026-04-01 = 190",
            "subscribers 2026-07-01 = 200"
        ])
    );
    assert_eq!(
        run("subscribers", "YEAR", json!(null)).await,
        strings(&["subscribers 2026-01-01 = 200"])
    );
    assert_eq!(
        run("subscribers", "WEEK", json!(null)).await,
        strings(&[
            "subscribers 2026-06-08 = 150",
            "subscribers 2026-06-15 = 190",
            "subscribers 2026-06-29 = 200",
        ])
    );

    // Reach by month: only the whole-tenant monthly values, the larger of the two sources;
    // neither C1's 400 nor the days are added in.
    assert_eq!(
        run("reach", "MONTH", json!(null)).await,
        strings(&["reach 2026-09-01 = 1500"])
    );
    // By campaign: only C1's own monthly reach.
    assert_eq!(
        run("reach", "MONTH", json!(["CAMPAIGN"])).await,
        strings(&["reach 2026-09-01 C1 = 400"])
    );
    // By day: the daily values only.
    assert_eq!(
        run("reach", "DAY", json!(null)).await,
        strings(&["reach 2026-09-02 = 300", "reach 2026-09-03 = 200"])
    );
    // Nothing was measured per quarter or per lever.
    assert_eq!(
        run("reach", "QUARTER", json!(null)).await,
        Vec::<String>::new()
    );
    assert_eq!(
        run("reach", "MONTH", json!(["LEVER"])).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn bad_inputs_are_refused_with_bad_user_input() {
    let app = TestApp::spawn().await;
    let viewer = app.token("acme", "viewer");
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan").await;
    let base = json!({ "kpiKeys": ["clicks"], "from": "2026-01-01", "to": "2026-12-31", "grain": "MONTH" });
    let with = |key: &str, value: Value| {
        let mut input = base.clone();
        input[key] = value;
        input
    };
    let too_many: Vec<String> = (0..21).map(|i| format!("kpi_{i}")).collect();
    for (input, words) in [
        (with("kpiKeys", json!([])), "at least one KPI"),
        (with("kpiKeys", json!(too_many)), "at most 20"),
        (with("kpiKeys", json!(["clicks", "nope"])), "`nope`"),
        (with("to", json!("2025-12-31")), "before"),
        (with("campaignIds", json!([plan])), "campaignIds"),
        (with("planId", json!("garbage")), "planId"),
        (with("personaIds", json!([plan])), "personaIds"),
    ] {
        let body = series_body(&app, &viewer, input.clone()).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{input}: {body}");
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{input}: {message}");
        assert_eq!(body["data"], Value::Null, "{input}");
    }
    // The input's own shape is checked by GraphQL itself.
    let body = series_body(&app, &viewer, with("grain", json!("HOUR"))).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    // Repeated keys are asked once.
    let none = HashMap::new();
    assert_eq!(
        series(
            &app,
            &viewer,
            &none,
            with("kpiKeys", json!(["clicks", "clicks"]))
        )
        .await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_series_is_bounded_to_ten_thousand_points() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let first = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    // 2,500 days of clicks: each of clicks, cpc, ctr and conversion_rate has a point per day
    // (a day with clicks but no spend or conversions has a CPC and a conversion rate of 0, and
    // a CTR of null for want of impressions), 10,000 points in all.
    let days: Vec<Value> = (0..2501)
        .map(|day| {
            let date = first + chrono::Days::new(day);
            m("clicks", &date.to_string(), "1", json!({}))
        })
        .collect();
    record(&app, &editor, days[..2500].to_vec()).await;
    let last_day = (first + chrono::Days::new(2499)).to_string();
    let input = |keys: Value| json!({ "kpiKeys": keys, "from": "2020-01-01", "to": "2030-12-31", "grain": "DAY" });
    let body = series_body(
        &app,
        &editor,
        input(json!(["clicks", "cpc", "ctr", "conversion_rate"])),
    )
    .await;
    assert!(body.get("errors").is_none(), "{body}");
    let points = body["data"]["kpiSeries"].as_array().unwrap();
    assert_eq!(points.len(), 10_000);
    assert_eq!(points[2499]["periodStart"], json!(last_day));
    assert_eq!(points[2500]["kpiKey"], "cpc");
    assert_eq!(dec(points[2500]["value"].as_str().unwrap()), dec("0"));
    assert_eq!(points[5000]["kpiKey"], "ctr");
    assert_eq!(
        points[5000]["value"],
        Value::Null,
        "clicks but no impressions"
    );

    record(&app, &editor, days[2500..].to_vec()).await;
    let body = series_body(
        &app,
        &editor,
        input(json!(["clicks", "cpc", "ctr", "conversion_rate"])),
    )
    .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(
            "more than 10000 points; narrow the dates, use a coarser grain or fewer dimensions"
        ),
        "{message}"
    );
    // A coarser grain fits: 2,501 days from 2020-01-01 end on 2026-11-05, 83 months.
    let body = series_body(&app, &editor, {
        let mut monthly = input(json!(["clicks", "cpc", "ctr", "conversion_rate"]));
        monthly["grain"] = json!("MONTH");
        monthly
    })
    .await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["kpiSeries"].as_array().unwrap().len(), 4 * 83);
}

/// The text of the answer to `query` (a map's keys in the order the server wrote them).
async fn answer_text(app: &TestApp, token: &str, query: &str, variables: Value) -> String {
    app.client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .unwrap_or_else(|e| panic!("request failed: {e}"))
        .text()
        .await
        .unwrap_or_else(|e| panic!("no answer: {e}"))
}

/// Points are written by columns when only scalars are selected and by the engine otherwise
/// (`graphql::types::kpi::point_list`): both follow the selection as GraphQL says, with its
/// aliases, a key selected twice (answered once), fragments, `__typename` and
/// `@skip`/`@include`, the keys in the order first selected.
#[tokio::test]
async fn points_follow_the_selection_aliases_fragments_and_directives_in_order() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let links = links(&app, &editor).await;
    record(&app, &editor, lead_rows(&links)).await;
    let variables = json!({
        "input": { "kpiKeys": ["leads"], "from": "2026-05-01", "to": "2026-05-31",
                   "grain": "MONTH", "groupBy": ["CAMPAIGN"] },
        "withLever": false,
    });
    let query = |extra: &str| {
        format!(
            "query($input: KpiSeriesInput!, $withLever: Boolean!) {{ kpiSeries(input: $input) {{ \
             v: value __typename ...F ... on KpiPoint {{ when: periodStart kpiKey }} \
             ... {{ v: value campaignId }} personaId @skip(if: true) \
             lever @include(if: $withLever) {extra} }} }} \
             fragment F on KpiPoint {{ kpiKey actionId }}"
        )
    };
    let head = r#"{"v":"24","__typename":"KpiPoint","kpiKey":"leads","actionId":null,"when":"2026-05-01","campaignId":null"#;
    let c1 = format!(
        r#"{{"v":"3","__typename":"KpiPoint","kpiKey":"leads","actionId":null,"when":"2026-05-01","campaignId":"{}""#,
        links.c1
    );

    let scalars = answer_text(&app, &editor, &query(""), variables.clone()).await;
    // `data` first; `extensions` may follow it.
    assert!(
        scalars.starts_with(&format!(
            r#"{{"data":{{"kpiSeries":[{head}}},{c1}}},{{"v":"4","__typename":"KpiPoint","kpiKey":"leads","actionId":null,"when":"2026-05-01","campaignId":"{}"}}]}}"#,
            links.c2
        )),
        "{scalars}"
    );
    // With the campaign object, the engine resolves each point: the same scalars, in order.
    let with_campaign = answer_text(&app, &editor, &query("campaign { name }"), variables).await;
    assert!(
        with_campaign.starts_with(&format!(
            r#"{{"data":{{"kpiSeries":[{head},"campaign":null}},{c1},"campaign":{{"name":"C1"}}}}"#
        )),
        "{with_campaign}"
    );
}

async fn api_key(app: &TestApp, admin: &str, scopes: &[&str]) -> String {
    let payload = mutate_ok(
        app,
        admin,
        "createApiKey",
        "secret userErrors { field code }",
        json!({ "name": format!("key {}", scopes.join(" ")), "scopes": scopes }),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    payload["secret"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn viewers_and_read_kpis_keys_read_series_and_tenants_stay_apart() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let links = links(&app, &admin).await;
    record(&app, &admin, lead_rows(&links)).await;
    let labels = links.labels();
    let input =
        json!({ "kpiKeys": ["leads"], "from": "2026-05-01", "to": "2026-05-31", "grain": "MONTH" });
    let expected = strings(&["leads 2026-05-01 = 31"]);

    for token in [
        app.token("acme", "viewer"),
        api_key(&app, &admin, &["READ_KPIS"]).await,
    ] {
        assert_eq!(series(&app, &token, &labels, input.clone()).await, expected);
    }
    let writer = api_key(&app, &admin, &["WRITE_MEASUREMENTS"]).await;
    let body = series_body(&app, &writer, input.clone()).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let plans_reader = api_key(&app, &admin, &["READ_PLANS"]).await;
    let body = series_body(&app, &plans_reader, input.clone()).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let (status, body) = app
        .post(
            None,
            &[],
            &json!({ "query": SERIES_QUERY, "variables": { "input": input } }),
        )
        .await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));

    // Another tenant sees none of it, even through acme's campaign, and its own rows do not
    // reach acme.
    let globex = app.token("globex", "editor");
    assert_eq!(
        series(&app, &globex, &labels, input.clone()).await,
        Vec::<String>::new()
    );
    let mut by_campaign = input.clone();
    by_campaign["campaignIds"] = json!([links.c1]);
    by_campaign["groupBy"] = json!(["CAMPAIGN"]);
    assert_eq!(
        series(&app, &globex, &labels, by_campaign.clone()).await,
        Vec::<String>::new()
    );
    record(
        &app,
        &globex,
        vec![m("leads", "2026-05-04", "1000", json!({}))],
    )
    .await;
    assert_eq!(
        series(&app, &globex, &labels, input.clone()).await,
        strings(&["leads 2026-05-01 = 1000"])
    );
    assert_eq!(series(&app, &admin, &labels, input).await, expected);
}

#[tokio::test]
async fn a_series_costs_one_statement_per_kpi_whatever_the_data() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let links = links(&app, &editor).await;
    let query = |keys: Value| {
        json!({ "input": { "kpiKeys": keys, "from": "2026-01-01", "to": "2026-12-31", "grain": "DAY",
                           "groupBy": ["CAMPAIGN", "LEVER"] } })
    };
    let one = json!(["leads"]);
    let three = json!(["leads", "ctr", "subscribers"]);
    let (empty_one, _) =
        crate::support::min_statements(&app, &viewer, SERIES_QUERY, query(one.clone())).await;
    let (empty_three, _) =
        crate::support::min_statements(&app, &viewer, SERIES_QUERY, query(three.clone())).await;
    record(&app, &editor, lead_rows(&links)).await;
    record(&app, &editor, march_rows()).await;
    let (full_one, _) =
        crate::support::min_statements(&app, &viewer, SERIES_QUERY, query(one)).await;
    let (full_three, data) =
        crate::support::min_statements(&app, &viewer, SERIES_QUERY, query(three)).await;
    // Leads: 5 days; CTR: 4 (day, lever) groups in March and DISPLAY's day in April.
    assert_eq!(data["kpiSeries"].as_array().unwrap().len(), 5 + 5);
    assert_eq!(empty_one, full_one, "the data does not change the count");
    assert_eq!(
        empty_three, full_three,
        "the data does not change the count"
    );
    assert_eq!(full_three - full_one, 2, "one grouped statement per KPI");
    // The catalogue (built-in and tenant KPIs) and one statement for the one KPI; a verified
    // token costs one more (the tenant) at most.
    assert!(full_one <= 4, "{full_one} statements");
}

#[tokio::test]
async fn tenant_defined_kpis_are_series_like_built_in_ones() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let create = |input: Value| {
        let app = &app;
        let editor = &editor;
        async move {
            let payload = mutate_ok(
                app,
                editor,
                "createKpiDefinition",
                "kpiDefinition { key } userErrors { field code }",
                input,
            )
            .await;
            assert_eq!(user_errors(&payload), Vec::<String>::new(), "{payload}");
        }
    };
    create(
        json!({ "key": "demo_requests", "name": "Demo requests", "unit": "COUNT",
                   "direction": "HIGHER_IS_BETTER", "aggregation": "SUM" }),
    )
    .await;
    // Spend per thousand demo requests, minus 0.25.
    create(
        json!({ "key": "spend_per_mille_demos", "name": "Spend per 1000 demos", "unit": "CURRENCY",
                   "direction": "LOWER_IS_BETTER", "aggregation": "RATIO", "numeratorKey": "spend",
                   "denominatorKey": "demo_requests", "scale": "1000", "offset": "-0.25" }),
    )
    .await;
    record(
        &app,
        &editor,
        vec![
            m("demo_requests", "2026-03-02", "300", json!({})),
            m("demo_requests", "2026-03-20", "100", json!({})),
            m("spend", "2026-03-05", "2", json!({})),
        ],
    )
    .await;
    let input = json!({ "kpiKeys": ["demo_requests", "spend_per_mille_demos"], "from": "2026-03-01",
                        "to": "2026-03-31", "grain": "MONTH" });
    // 2 / 400 × 1000 − 0.25 = 4.75.
    assert_eq!(
        series(&app, &editor, &HashMap::new(), input.clone()).await,
        strings(&[
            "demo_requests 2026-03-01 = 400",
            "spend_per_mille_demos 2026-03-01 = 4.75",
        ])
    );
    // Another tenant does not have these KPIs.
    let body = series_body(&app, &app.token("globex", "viewer"), input).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
}
