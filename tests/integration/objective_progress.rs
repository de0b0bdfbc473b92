//! `Objective.currentValue`, `progress` and `onTrack`: the objective's KPI over its plan's
//! measurements (and tenant-wide ones) from the plan's start to the deadline, direction-aware
//! progress, and the linear pace, with hand-computed numbers; in a fixed number of statements.

use chrono::{Days, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::{
    kpi_series::{m, record},
    support::{TestApp, dec, error_code, mutate_ok, user_errors},
};

const OBJECTIVES_QUERY: &str = "query($id: ID!) { node(id: $id) { ... on Plan { objectives { \
    title currentValue progress onTrack } } } }";

fn shift(date: NaiveDate, days: i64) -> String {
    let shifted = if days >= 0 {
        date + Days::new(days as u64)
    } else {
        date - Days::new(days.unsigned_abs())
    };
    shifted.to_string()
}

async fn plan_between(app: &TestApp, token: &str, start: &str, end: &str) -> String {
    let payload = mutate_ok(
        app,
        token,
        "createPlan",
        "plan { id } userErrors { field code }",
        json!({ "name": format!("Plan {start}"), "periodStart": start, "periodEnd": end, "budget": "100000" }),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    payload["plan"]["id"].as_str().unwrap().to_owned()
}

async fn campaign_between(
    app: &TestApp,
    token: &str,
    plan: &str,
    start: &str,
    end: &str,
) -> String {
    let payload = mutate_ok(
        app,
        token,
        "createCampaign",
        "campaign { id } userErrors { field code }",
        json!({ "planId": plan, "name": "Now", "kind": "CONVERSION", "levers": ["SEA"], "personaIds": [],
                "startDate": start, "endDate": end, "budget": "1000" }),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    payload["campaign"]["id"].as_str().unwrap().to_owned()
}

/// What an objective measures: title, KPI key, baseline and target.
type Measure<'a> = (&'a str, &'a str, Option<&'a str>, &'a str);

async fn objective(
    app: &TestApp,
    token: &str,
    plan: &str,
    (title, kpi, baseline, target): Measure<'_>,
    deadline: &str,
) -> String {
    let payload = mutate_ok(
        app,
        token,
        "createObjective",
        "objective { id } userErrors { field code }",
        json!({ "planId": plan, "title": title, "kind": "CONVERSION", "kpiKey": kpi,
                "baseline": baseline, "target": target, "deadline": deadline }),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    payload["objective"]["id"].as_str().unwrap().to_owned()
}

/// `title: currentValue progress onTrack` for each objective of `plan`.
async fn statuses(app: &TestApp, token: &str, plan: &str) -> Vec<String> {
    let body = app
        .gql(token, OBJECTIVES_QUERY, json!({ "id": plan }))
        .await;
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
    let mut lines: Vec<String> = body["data"]["node"]["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|objective| {
            let current = match objective["currentValue"].as_str() {
                Some(text) => dec(text).normalize().to_string(),
                None => "null".to_owned(),
            };
            format!(
                "{}: {} {} {}",
                objective["title"].as_str().unwrap(),
                current,
                objective["progress"],
                objective["onTrack"]
            )
        })
        .collect();
    lines.sort();
    lines
}

/// A plan from 10 days ago to 30 days ahead with a campaign, and objectives due in 10 days
/// (half of their time elapsed); another plan's campaign for noise.
struct Current {
    plan: String,
    campaign: String,
    other_campaign: String,
    today: NaiveDate,
}

async fn current_plan(app: &TestApp, token: &str) -> Current {
    let today = Utc::now().date_naive();
    let day = |days| shift(today, days);
    let plan = plan_between(app, token, &day(-10), &day(30)).await;
    let campaign = campaign_between(app, token, &plan, &day(-10), &day(30)).await;
    let other_plan = plan_between(app, token, &day(-10), &day(30)).await;
    let other_campaign = campaign_between(app, token, &other_plan, &day(-10), &day(30)).await;
    let deadline = day(10);
    for (title, kpi, baseline, target) in [
        ("1 cpa", "cpa", Some("40"), "20"),
        ("2 leads", "leads", None, "100"),
        ("3 subscribers", "subscribers", Some("1000"), "2000"),
        ("4 reach", "reach", None, "1600"),
        ("5 revenue", "revenue", Some("10"), "20"),
    ] {
        objective(app, token, &plan, (title, kpi, baseline, target), &deadline).await;
    }
    Current {
        plan,
        campaign,
        other_campaign,
        today,
    }
}

fn current_rows(current: &Current) -> Vec<Value> {
    let day = |days| shift(current.today, days);
    let on_campaign = json!({ "campaignId": current.campaign });
    let account = |id: &str| json!({ "externalId": id, "source": "mailchimp" });
    vec![
        // CPA = (200 on the plan's campaign + 100 tenant-wide on the plan's first day) / 10
        // conversions on the deadline = 30.
        m("spend", &day(-5), "200", on_campaign.clone()),
        m("spend", &day(-10), "100", json!({})),
        m("conversions", &day(10), "10", on_campaign.clone()),
        // Outside the window or the plan: another plan's campaign, the day before the plan,
        // the day after the deadline.
        m(
            "spend",
            &day(-2),
            "1000",
            json!({ "campaignId": current.other_campaign }),
        ),
        m(
            "conversions",
            &day(-2),
            "90",
            json!({ "campaignId": current.other_campaign }),
        ),
        m("spend", &day(-11), "500", json!({})),
        m("spend", &day(11), "700", json!({})),
        m("conversions", &day(11), "5", json!({})),
        // Leads: 40 of 100.
        m("leads", &day(-1), "40", on_campaign.clone()),
        m(
            "leads",
            &day(-3),
            "1000",
            json!({ "campaignId": current.other_campaign }),
        ),
        // Subscribers: the latest day's two accounts, 1300 + 200 = 1500.
        m("subscribers", &day(-8), "1200", account("a-8")),
        m("subscribers", &day(-8), "100", account("b-8")),
        m("subscribers", &day(-2), "1300", account("a-2")),
        m("subscribers", &day(-2), "200", account("b-2")),
        m("subscribers", &day(12), "9999", account("a+12")),
        // Reach: the latest day's largest value, 800 (never 500 + 800, never 5000).
        m("reach", &day(-6), "5000", json!({})),
        m("reach", &day(-4), "500", on_campaign),
        m("reach", &day(-4), "800", json!({})),
    ]
}

#[tokio::test]
async fn current_value_progress_and_pace_follow_the_kpi_rules() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let current = current_plan(&app, &editor).await;
    assert_eq!(
        statuses(&app, &viewer, &current.plan).await,
        vec![
            "1 cpa: null null null",
            "2 leads: null null null",
            "3 subscribers: null null null",
            "4 reach: null null null",
            "5 revenue: null null null",
        ]
    );
    record(&app, &editor, current_rows(&current)).await;
    // Half the time has elapsed (10 of 20 days). CPA 30 from 40 towards 20 is half-way: on
    // track. Leads 40 of 100: behind. Subscribers 1500 from 1000 to 2000: half-way. Reach 800
    // of 1600: half-way. No revenue: nothing to say.
    assert_eq!(
        statuses(&app, &viewer, &current.plan).await,
        vec![
            "1 cpa: 30 0.5 true",
            "2 leads: 40 0.4 false",
            "3 subscribers: 1500 0.5 true",
            "4 reach: 800 0.5 true",
            "5 revenue: null null null",
        ]
    );

    // Another tenant's tenant-wide numbers never count.
    let globex = app.token("globex", "editor");
    let day = |days| shift(current.today, days);
    record(
        &app,
        &globex,
        vec![
            m("spend", &day(0), "10000", json!({})),
            m("leads", &day(0), "10000", json!({})),
            m("subscribers", &day(0), "10000", json!({})),
        ],
    )
    .await;
    assert_eq!(
        statuses(&app, &viewer, &current.plan).await[..3],
        [
            "1 cpa: 30 0.5 true",
            "2 leads: 40 0.4 false",
            "3 subscribers: 1500 0.5 true",
        ]
    );
    // Nor can the other tenant read acme's objectives.
    let body = app
        .gql(&globex, OBJECTIVES_QUERY, json!({ "id": current.plan }))
        .await;
    assert_eq!(body["data"]["node"], Value::Null, "{body}");
}

#[tokio::test]
async fn progress_is_not_clamped_and_pace_depends_on_the_plan_period() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    // A plan long over: all its time has elapsed. Leads 150 against 0 → 100 is 1.5: on track.
    let past = plan_between(&app, &editor, "2020-01-01", "2020-12-31").await;
    objective(
        &app,
        &editor,
        &past,
        ("leads", "leads", Some("0"), "100"),
        "2020-06-30",
    )
    .await;
    objective(
        &app,
        &editor,
        &past,
        ("sessions", "sessions", None, "100"),
        "2020-06-30",
    )
    .await;
    // A plan still to come: no time has elapsed. CPA 50 from 40 towards 20 is −0.5: worse
    // than the baseline, so not on track even at the start.
    let future = plan_between(&app, &editor, "2090-01-01", "2090-12-31").await;
    let campaign = campaign_between(&app, &editor, &future, "2090-01-01", "2090-12-31").await;
    objective(
        &app,
        &editor,
        &future,
        ("cpa", "cpa", Some("40"), "20"),
        "2090-06-30",
    )
    .await;
    record(
        &app,
        &editor,
        vec![
            m("leads", "2020-03-01", "150", json!({})),
            m("sessions", "2020-03-01", "100", json!({})),
            m(
                "spend",
                "2090-02-01",
                "500",
                json!({ "campaignId": campaign }),
            ),
            m(
                "conversions",
                "2090-02-01",
                "10",
                json!({ "campaignId": campaign }),
            ),
        ],
    )
    .await;
    assert_eq!(
        statuses(&app, &editor, &past).await,
        vec!["leads: 150 1.5 true", "sessions: 100 1.0 true"]
    );
    assert_eq!(
        statuses(&app, &editor, &future).await,
        vec!["cpa: 50 -0.5 false"]
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
async fn reading_progress_needs_the_right_to_read_kpis() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let current = current_plan(&app, &admin).await;
    record(&app, &admin, current_rows(&current)).await;
    let both = api_key(&app, &admin, &["READ_PLANS", "READ_KPIS"]).await;
    assert_eq!(
        statuses(&app, &both, &current.plan).await[0],
        "1 cpa: 30 0.5 true"
    );
    let plans_only = api_key(&app, &admin, &["READ_PLANS"]).await;
    let body = app
        .gql(
            &plans_only,
            "query($id: ID!) { node(id: $id) { ... on Plan { objectives { title currentValue } } } }",
            json!({ "id": current.plan }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = app
        .gql(
            &plans_only,
            "query($id: ID!) { node(id: $id) { ... on Plan { objectives { title } } } }",
            json!({ "id": current.plan }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
}

#[tokio::test]
async fn progress_costs_the_same_statements_for_one_objective_or_many() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let current = current_plan(&app, &editor).await;
    record(&app, &editor, current_rows(&current)).await;
    let variables = json!({ "id": current.plan });
    let (five, _) =
        crate::support::min_statements(&app, &viewer, OBJECTIVES_QUERY, variables.clone()).await;
    let deadline = shift(current.today, 10);
    for i in 0..10 {
        let kpi = ["cpa", "leads", "subscribers", "reach", "ctr"][i % 5];
        objective(
            &app,
            &editor,
            &current.plan,
            (&format!("more {i}"), kpi, None, "10"),
            &deadline,
        )
        .await;
    }
    let (fifteen, data) =
        crate::support::min_statements(&app, &viewer, OBJECTIVES_QUERY, variables).await;
    assert_eq!(data["node"]["objectives"].as_array().unwrap().len(), 15);
    assert_eq!(five, fifteen, "statements do not grow with objectives");
    // Plan, objectives, KPI catalogue (2), sums, latest values, plan starts; a verified token
    // costs one more (the tenant) at most.
    assert!(fifteen <= 9, "{fifteen} statements");
}

#[test]
fn the_dates_shift_as_expected() {
    let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    assert_eq!(shift(day, -1), "2025-12-31");
    assert_eq!(shift(day, 10), "2026-01-11");
}
