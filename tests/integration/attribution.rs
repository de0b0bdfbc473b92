//! Attribution: touchpoints and conversions recorded in idempotent, all-or-nothing batches, and
//! the report that credits conversions to levers or campaigns under each model. Every expected
//! credit below is worked out by hand in the comments: a conversion is 2^30 units and its value
//! its micros, split by largest remainder (ties to the earlier touch).

use entity::{conversion, touchpoint};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::support::{
    TestApp, create_campaign, create_plan, dec, decimal_of, error_code, min_statements, mutate,
    mutate_ok, user_errors,
};

/// 2^30: the units of one conversion.
const UNITS: f64 = 1_073_741_824.0;

const PAYLOAD: &str = "inserted updated userErrors { field code message }";

const REPORT: &str = "query($input: AttributionInput!) { attribution(input: $input) { \
    totalConversions totalValue unattributedConversions unattributedValue \
    rows { lever campaignId conversions value assists } } }";

/// Noon UTC on `day` of March 2027 (February when `day` is negative: -27 is 2027-02-01).
fn at(day: i32) -> String {
    if day >= 1 {
        format!("2027-03-{day:02}T12:00:00Z")
    } else {
        format!("2027-02-{:02}T12:00:00Z", day + 28)
    }
}

fn touch(journey: &str, day: i32, lever: &str, campaign: Option<&str>, external: &str) -> Value {
    json!({ "journeyId": journey, "occurredAt": at(day), "lever": lever,
            "campaignId": campaign, "source": "ga4", "externalId": external })
}

fn conversion(journey: &str, day: i32, value: &str, external: &str) -> Value {
    json!({ "journeyId": journey, "occurredAt": at(day), "value": value,
            "source": "shop", "externalId": external })
}

async fn record_touchpoints(app: &TestApp, token: &str, rows: Vec<Value>) -> Value {
    mutate_ok(
        app,
        token,
        "recordTouchpoints",
        PAYLOAD,
        json!({ "touchpoints": rows }),
    )
    .await
}

async fn record_conversions(app: &TestApp, token: &str, rows: Vec<Value>) -> Value {
    mutate_ok(
        app,
        token,
        "recordConversions",
        PAYLOAD,
        json!({ "conversions": rows }),
    )
    .await
}

fn counts(payload: &Value) -> (i64, i64, Vec<String>) {
    (
        payload["inserted"].as_i64().unwrap(),
        payload["updated"].as_i64().unwrap(),
        user_errors(payload),
    )
}

/// The journeys of the tests, in March 2027:
/// - A: SEO day 1, SOCIAL_ADS day 5, EMAILING day 9 (campaigns X, Y, none); converts day 10
///   for 100.00 (a touch on day 11, after the conversion, never counts);
/// - B: SEA day 8 (campaign X); converts day 10 for 50;
/// - C: DISPLAY on 1 February, 38 days before it converts on day 11 for 10;
/// - D: no touch; converts day 12 for 0.5.
///
/// Four conversions worth 160.5. Returns the campaigns X and Y.
async fn seed(app: &TestApp, token: &str) -> (String, String) {
    let plan = create_plan(app, token, "Attribution plan").await;
    let x = create_campaign(app, token, &plan, "Campaign X", &[]).await;
    let y = create_campaign(app, token, &plan, "Campaign Y", &[]).await;
    let payload = record_touchpoints(
        app,
        token,
        vec![
            touch("A", 1, "SEO", Some(&x), "t-a1"),
            touch("A", 5, "SOCIAL_ADS", Some(&y), "t-a5"),
            touch("A", 9, "EMAILING", None, "t-a9"),
            touch("A", 11, "PR", None, "t-a11"),
            touch("B", 8, "SEA", Some(&x), "t-b8"),
            touch("C", -27, "DISPLAY", None, "t-c"),
        ],
    )
    .await;
    assert_eq!(counts(&payload), (6, 0, vec![]));
    let payload = record_conversions(
        app,
        token,
        vec![
            conversion("A", 10, "100.00", "c-a"),
            conversion("B", 10, "50", "c-b"),
            conversion("C", 11, "10", "c-c"),
            conversion("D", 12, "0.5", "c-d"),
        ],
    )
    .await;
    assert_eq!(counts(&payload), (4, 0, vec![]));
    (x, y)
}

/// The attribution input over March 2027 with `overrides` merged in.
fn input(model: &str, group_by: &str, overrides: Value) -> Value {
    let mut input = json!({
        "model": model, "groupBy": group_by,
        "from": "2027-03-01T00:00:00Z", "to": "2027-04-01T00:00:00Z"
    });
    if let (Some(fields), Some(extra)) = (input.as_object_mut(), overrides.as_object()) {
        for (key, value) in extra {
            fields.insert(key.clone(), value.clone());
        }
    }
    input
}

async fn report(app: &TestApp, token: &str, input: Value) -> Value {
    app.data(token, REPORT, json!({ "input": input })).await["attribution"].clone()
}

/// A row as (lever or campaign, conversions, value, assists); the null row is "-".
type Row = (String, f64, String, i64);

fn rows(report: &Value, key: &str) -> Vec<Row> {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row[key].as_str().unwrap_or("-").to_owned(),
                row["conversions"].as_f64().unwrap(),
                row["value"].as_str().unwrap().to_owned(),
                row["assists"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn row(name: &str, units: f64, value: &str, assists: i64) -> Row {
    (name.to_owned(), units / UNITS, value.to_owned(), assists)
}

/// The rows add up to the totals exactly: conversions as f64 in either order, values as
/// decimals; and the totals are the hand-computed ones.
fn assert_sums(report: &Value, conversions: f64, value: &str) {
    let rows = report["rows"].as_array().unwrap();
    let forward: f64 = rows
        .iter()
        .map(|r| r["conversions"].as_f64().unwrap())
        .sum();
    let backward: f64 = rows
        .iter()
        .rev()
        .map(|r| r["conversions"].as_f64().unwrap())
        .sum();
    assert_eq!(report["totalConversions"].as_f64(), Some(conversions));
    assert_eq!(forward, conversions, "{report}");
    assert_eq!(backward, conversions, "{report}");
    let values: rust_decimal::Decimal = rows.iter().map(|r| decimal_of(&r["value"])).sum();
    assert_eq!(values, dec(value), "{report}");
    assert_eq!(report["totalValue"], json!(value));
}

#[tokio::test]
async fn every_model_credits_the_hand_computed_shares() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    seed(&app, &editor).await;
    // A third of 2^30 is 357 913 941.33: the odd unit goes to the first touch; a third of
    // 100 000 000 micros is 33 333 333.33: the odd micro too. C (38 days) and D (no touch) are
    // unattributed: 2 conversions worth 10.5. B is SEA's alone.
    let linear = report(&app, &editor, input("LINEAR", "LEVER", json!({}))).await;
    assert_eq!(
        rows(&linear, "lever"),
        vec![
            row("-", 2.0 * UNITS, "10.50", 0),
            row("SEA", UNITS, "50.00", 0),
            row("SEO", 357_913_942.0, "33.333334", 1),
            row("SOCIAL_ADS", 357_913_941.0, "33.333333", 1),
            row("EMAILING", 357_913_941.0, "33.333333", 0),
        ]
    );
    assert_sums(&linear, 4.0, "160.50");
    assert_eq!(linear["unattributedConversions"].as_f64(), Some(2.0));
    assert_eq!(linear["unattributedValue"], json!("10.50"));

    // First touch: A is SEO's; SOCIAL_ADS and EMAILING keep rows for their touches.
    let first = report(&app, &editor, input("FIRST_TOUCH", "LEVER", json!({}))).await;
    assert_eq!(
        rows(&first, "lever"),
        vec![
            row("-", 2.0 * UNITS, "10.50", 0),
            row("SEO", UNITS, "100.00", 1),
            row("SEA", UNITS, "50.00", 0),
            row("SOCIAL_ADS", 0.0, "0.00", 1),
            row("EMAILING", 0.0, "0.00", 0),
        ]
    );
    assert_sums(&first, 4.0, "160.50");

    let last = report(&app, &editor, input("LAST_TOUCH", "LEVER", json!({}))).await;
    assert_eq!(
        rows(&last, "lever"),
        vec![
            row("-", 2.0 * UNITS, "10.50", 0),
            row("SEA", UNITS, "50.00", 0),
            row("EMAILING", UNITS, "100.00", 0),
            row("SEO", 0.0, "0.00", 1),
            row("SOCIAL_ADS", 0.0, "0.00", 1),
        ]
    );
    assert_sums(&last, 4.0, "160.50");

    // 40/20/40: 2^30 × 0.4 = 429 496 729.6 and × 0.2 = 214 748 364.8; the two units left go
    // to the largest remainders: the middle (.8), then the first of the two .6.
    let position = report(&app, &editor, input("POSITION_BASED", "LEVER", json!({}))).await;
    assert_eq!(
        rows(&position, "lever"),
        vec![
            row("-", 2.0 * UNITS, "10.50", 0),
            row("SEA", UNITS, "50.00", 0),
            row("SEO", 429_496_730.0, "40.00", 1),
            row("EMAILING", 429_496_729.0, "40.00", 0),
            row("SOCIAL_ADS", 214_748_365.0, "20.00", 1),
        ]
    );
    assert_sums(&position, 4.0, "160.50");

    // Custom 30/50 (the middle gets 20): 2^30 × 0.3 = 322 122 547.2, × 0.2 = 214 748 364.8,
    // × 0.5 = 536 870 912 exactly; the one unit left goes to the middle (.8).
    let custom = report(
        &app,
        &editor,
        input(
            "POSITION_BASED",
            "LEVER",
            json!({ "positionWeights": { "first": 0.3, "last": 0.5 } }),
        ),
    )
    .await;
    assert_eq!(
        rows(&custom, "lever"),
        vec![
            row("-", 2.0 * UNITS, "10.50", 0),
            row("SEA", UNITS, "50.00", 0),
            row("EMAILING", 536_870_912.0, "50.00", 0),
            row("SEO", 322_122_547.0, "30.00", 1),
            row("SOCIAL_ADS", 214_748_365.0, "20.00", 1),
        ]
    );
    assert_sums(&custom, 4.0, "160.50");

    // Time decay with a 4-day half-life: A's touches are 9, 5 and 1 days old, weights 1/4,
    // 1/2 and 1, i.e. 1/7, 2/7, 4/7. Units: 153 391 689.14, 306 783 378.29, 613 566 756.57
    // (the unit left goes to .57); micros: 14 285 714.29, 28 571 428.57, 57 142 857.14 (the
    // micro left goes to .57).
    let decay = report(
        &app,
        &editor,
        input("TIME_DECAY", "LEVER", json!({ "halfLifeDays": 4.0 })),
    )
    .await;
    assert_eq!(
        rows(&decay, "lever"),
        vec![
            row("-", 2.0 * UNITS, "10.50", 0),
            row("SEA", UNITS, "50.00", 0),
            row("EMAILING", 613_566_757.0, "57.142857", 0),
            row("SOCIAL_ADS", 306_783_378.0, "28.571429", 1),
            row("SEO", 153_391_689.0, "14.285714", 1),
        ]
    );
    assert_sums(&decay, 4.0, "160.50");

    // The default half-life (7 days) gives A's touches 2^(-9/7), 2^(-5/7), 2^(-1/7): the latest
    // touch gets the most, and the sums stay exact.
    let default_decay = report(&app, &editor, input("TIME_DECAY", "LEVER", json!({}))).await;
    let levers: Vec<String> = rows(&default_decay, "lever")
        .into_iter()
        .map(|row| row.0)
        .collect();
    assert_eq!(levers, ["-", "SEA", "EMAILING", "SOCIAL_ADS", "SEO"]);
    assert_sums(&default_decay, 4.0, "160.50");
}

#[tokio::test]
async fn the_lookback_window_and_the_range_bound_what_counts() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    seed(&app, &editor).await;
    // 7 days before A's conversion (day 10) is day 3: SEO (day 1) is out, SOCIAL_ADS and
    // EMAILING share A half and half (2^29 units, 50 each).
    let week = report(
        &app,
        &editor,
        input("LINEAR", "LEVER", json!({ "lookbackDays": 7 })),
    )
    .await;
    assert_eq!(
        rows(&week, "lever"),
        vec![
            row("-", 2.0 * UNITS, "10.50", 0),
            row("SEA", UNITS, "50.00", 0),
            row("SOCIAL_ADS", UNITS / 2.0, "50.00", 1),
            row("EMAILING", UNITS / 2.0, "50.00", 0),
        ]
    );
    assert_sums(&week, 4.0, "160.50");
    // 40 days reach C's DISPLAY touch 38 days back: only D is left unattributed.
    let long = report(
        &app,
        &editor,
        input("LAST_TOUCH", "LEVER", json!({ "lookbackDays": 40 })),
    )
    .await;
    assert_eq!(
        rows(&long, "lever"),
        vec![
            row("SEA", UNITS, "50.00", 0),
            row("EMAILING", UNITS, "100.00", 0),
            row("DISPLAY", UNITS, "10.00", 0),
            row("-", UNITS, "0.50", 0),
            row("SEO", 0.0, "0.00", 1),
            row("SOCIAL_ADS", 0.0, "0.00", 1),
        ]
    );
    assert_sums(&long, 4.0, "160.50");
    assert_eq!(long["unattributedValue"], json!("0.50"));
    // [from, to): a range ending at A's and B's conversion instant leaves them out, and one
    // starting there takes them in.
    let before = report(
        &app,
        &editor,
        input(
            "LINEAR",
            "LEVER",
            json!({ "to": at(10), "from": "2027-03-01T00:00:00Z" }),
        ),
    )
    .await;
    assert_eq!(before["totalConversions"].as_f64(), Some(0.0));
    assert_eq!(before["rows"], json!([]));
    assert_eq!(before["totalValue"], json!("0.00"));
    let from_ten = report(
        &app,
        &editor,
        input(
            "FIRST_TOUCH",
            "LEVER",
            json!({ "from": at(10), "to": at(11) }),
        ),
    )
    .await;
    assert_eq!(
        rows(&from_ten, "lever"),
        vec![
            row("SEO", UNITS, "100.00", 1),
            row("SEA", UNITS, "50.00", 0),
            row("SOCIAL_ADS", 0.0, "0.00", 1),
            row("EMAILING", 0.0, "0.00", 0),
        ]
    );
    assert_sums(&from_ten, 2.0, "150.00");
}

#[tokio::test]
async fn the_window_includes_both_of_its_ends() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let payload = record_touchpoints(
        &app,
        &editor,
        vec![
            // One second too early for a 7-day window, exactly 7 days, and at the conversion.
            json!({ "journeyId": "E", "occurredAt": "2027-03-03T11:59:59Z", "lever": "PR", "externalId": "e0" }),
            json!({ "journeyId": "E", "occurredAt": "2027-03-03T12:00:00Z", "lever": "SEO", "externalId": "e1" }),
            json!({ "journeyId": "E", "occurredAt": "2027-03-10T12:00:00Z", "lever": "SEA", "externalId": "e2" }),
        ],
    )
    .await;
    assert_eq!(counts(&payload), (3, 0, vec![]));
    record_conversions(
        &app,
        &editor,
        vec![json!({ "journeyId": "E", "occurredAt": "2027-03-10T12:00:00Z", "value": "3", "externalId": "ce" })],
    )
    .await;
    let linear = report(
        &app,
        &editor,
        input("LINEAR", "LEVER", json!({ "lookbackDays": 7 })),
    )
    .await;
    assert_eq!(
        rows(&linear, "lever"),
        vec![
            row("SEO", UNITS / 2.0, "1.50", 1),
            row("SEA", UNITS / 2.0, "1.50", 0),
        ]
    );
}

#[tokio::test]
async fn grouping_by_campaign_loads_campaigns_in_one_batch() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let (x, y) = seed(&app, &editor).await;
    // LINEAR by campaign: X has SEO's third of A (+1 unit, 33.333334) and all of B; Y has
    // SOCIAL_ADS' third; the null row has EMAILING's third (no campaign) plus C and D.
    let by_campaign = report(&app, &editor, input("LINEAR", "CAMPAIGN", json!({}))).await;
    assert_eq!(
        rows(&by_campaign, "campaignId"),
        vec![
            row("-", 2.0 * UNITS + 357_913_941.0, "43.833333", 0),
            row(&x, UNITS + 357_913_942.0, "83.333334", 1),
            row(&y, 357_913_941.0, "33.333333", 1),
        ]
    );
    assert_sums(&by_campaign, 4.0, "160.50");
    assert!(by_campaign["rows"][0]["lever"].is_null());

    let query = "query($input: AttributionInput!) { attribution(input: $input) { \
        rows { campaignId campaign { id name } conversions } } }";
    let variables = json!({ "input": input("FIRST_TOUCH", "CAMPAIGN", json!({})) });
    let (few, data) = min_statements(&app, &editor, query, variables.clone()).await;
    let names: Vec<Value> = data["attribution"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["campaign"]["name"].clone())
        .collect();
    // First touch: A to X (SEO), B to X: X has 2; Y's SOCIAL_ADS and the null campaign's
    // EMAILING get 0; the null row holds C and D (2) and comes last among the 2s.
    assert_eq!(
        names,
        vec![json!("Campaign X"), json!(null), json!("Campaign Y")]
    );
    // Three more campaigns, each with a converting journey: the same statements.
    let plan_query = app
        .data(
            &editor,
            "query($id: ID!) { node(id: $id) { ... on Campaign { plan { id } } } }",
            json!({ "id": x }),
        )
        .await;
    let plan = plan_query["node"]["plan"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for i in 0..3 {
        let campaign = create_campaign(&app, &editor, &plan, &format!("More {i}"), &[]).await;
        let journey = format!("M{i}");
        record_touchpoints(
            &app,
            &editor,
            vec![touch(
                &journey,
                2,
                "DISPLAY",
                Some(&campaign),
                &format!("tm{i}"),
            )],
        )
        .await;
        record_conversions(
            &app,
            &editor,
            vec![conversion(&journey, 3, "1", &format!("cm{i}"))],
        )
        .await;
    }
    let (many, data) = min_statements(&app, &editor, query, variables).await;
    assert_eq!(data["attribution"]["rows"].as_array().unwrap().len(), 6);
    assert_eq!(few, many, "statements grow with the rows");
    assert!(many <= 4, "{many} statements");
}

#[tokio::test]
async fn re_sending_updates_instead_of_duplicating() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    seed(&app, &editor).await;
    let before = report(&app, &editor, input("LINEAR", "LEVER", json!({}))).await;
    // The same batches again: all updated, nothing inserted, the report unchanged.
    let other_plan = create_plan(&app, &editor, "Other").await;
    let x = create_campaign(&app, &editor, &other_plan, "X2", &[]).await;
    let payload = record_conversions(
        &app,
        &editor,
        vec![
            conversion("A", 10, "100.00", "c-a"),
            conversion("B", 10, "50", "c-b"),
            conversion("C", 11, "10", "c-c"),
            conversion("D", 12, "0.5", "c-d"),
        ],
    )
    .await;
    assert_eq!(counts(&payload), (0, 4, vec![]));
    assert_eq!(
        report(&app, &editor, input("LINEAR", "LEVER", json!({}))).await,
        before
    );
    // A changed value and a new conversion: one updated, one inserted.
    let payload = record_conversions(
        &app,
        &editor,
        vec![
            conversion("B", 10, "80", "c-b"),
            conversion("B", 20, "20", "c-b2"),
        ],
    )
    .await;
    assert_eq!(counts(&payload), (1, 1, vec![]));
    // A touchpoint re-sent with another lever and campaign: B is now SEO's, of campaign X2.
    let payload =
        record_touchpoints(&app, &editor, vec![touch("B", 8, "SEO", Some(&x), "t-b8")]).await;
    assert_eq!(counts(&payload), (0, 1, vec![]));
    let after = report(&app, &editor, input("LAST_TOUCH", "LEVER", json!({}))).await;
    assert_eq!(
        rows(&after, "lever"),
        vec![
            row("SEO", 2.0 * UNITS, "100.00", 1),
            row("-", 2.0 * UNITS, "10.50", 0),
            row("EMAILING", UNITS, "100.00", 0),
            row("SOCIAL_ADS", 0.0, "0.00", 1),
        ]
    );
    assert_sums(&after, 5.0, "210.50");
    let db = app.app.database();
    assert_eq!(touchpoint::Entity::find().count(db).await.unwrap(), 6);
    assert_eq!(conversion::Entity::find().count(db).await.unwrap(), 5);
}

#[tokio::test]
async fn one_bad_row_refuses_the_whole_batch() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let good = conversion("A", 10, "1", "ok-0");
    let body = mutate(
        &app,
        &editor,
        "recordConversions",
        PAYLOAD,
        json!({ "conversions": [
            good,
            conversion("A", 10, "-1", "bad-1"),
            conversion("A", 10, "1.0000001", "bad-2"),
            conversion(" ", 10, "1", "bad-3"),
            conversion("A", 10, "1", "ok-0"),
            json!({ "journeyId": "A", "occurredAt": at(10), "value": "1", "source": "", "externalId": "x" }),
            conversion("A", 10, "1", &"e".repeat(256)),
        ] }),
    )
    .await;
    let payload = &body["data"]["recordConversions"];
    assert_eq!(
        counts(payload),
        (
            0,
            0,
            vec![
                "input.conversions.1.value: OUT_OF_RANGE".to_owned(),
                "input.conversions.2.value: TOO_PRECISE".to_owned(),
                "input.conversions.3.journeyId: REQUIRED".to_owned(),
                "input.conversions.4.externalId: DUPLICATE".to_owned(),
                "input.conversions.5.source: REQUIRED".to_owned(),
                "input.conversions.6.externalId: TOO_LONG".to_owned(),
            ]
        )
    );
    let db = app.app.database();
    assert_eq!(conversion::Entity::find().count(db).await.unwrap(), 0);

    // A touchpoint batch with one unknown campaign (an ID that is not even a campaign's).
    let plan = create_plan(&app, &editor, "P").await;
    let body = mutate(
        &app,
        &editor,
        "recordTouchpoints",
        PAYLOAD,
        json!({ "touchpoints": [
            touch("A", 1, "SEO", None, "t0"),
            touch("A", 2, "SEA", None, "t1"),
            touch("A", 3, "SEA", Some(&plan), "t2"),
        ] }),
    )
    .await;
    assert_eq!(
        counts(&body["data"]["recordTouchpoints"]),
        (
            0,
            0,
            vec!["input.touchpoints.2.campaignId: NOT_FOUND".to_owned()]
        )
    );
    assert_eq!(touchpoint::Entity::find().count(db).await.unwrap(), 0);

    // More than 1000 rows: refused on the list, nothing written.
    let many: Vec<Value> = (0..1001)
        .map(|i| touch("A", 1, "SEO", None, &format!("m{i}")))
        .collect();
    let body = mutate(
        &app,
        &editor,
        "recordTouchpoints",
        PAYLOAD,
        json!({ "touchpoints": many }),
    )
    .await;
    assert_eq!(
        counts(&body["data"]["recordTouchpoints"]),
        (0, 0, vec!["input.touchpoints: TOO_LONG".to_owned()])
    );
    assert_eq!(touchpoint::Entity::find().count(db).await.unwrap(), 0);
    // Exactly 1000 is fine, in one call.
    let thousand: Vec<Value> = (0..1000)
        .map(|i| touch("A", 1, "SEO", None, &format!("m{i}")))
        .collect();
    assert_eq!(
        counts(&record_touchpoints(&app, &editor, thousand).await),
        (1000, 0, vec![])
    );
}

#[tokio::test]
async fn report_settings_out_of_range_are_bad_input() {
    let app = TestApp::spawn().await;
    let viewer = app.token("acme", "viewer");
    for overrides in [
        json!({ "from": "2027-04-01T00:00:00Z", "to": "2027-04-01T00:00:00Z" }),
        json!({ "from": "2027-05-01T00:00:00Z" }),
        json!({ "lookbackDays": 0 }),
        json!({ "lookbackDays": 366 }),
        json!({ "positionWeights": { "first": 0.7, "last": 0.5 } }),
        json!({ "positionWeights": { "first": -0.1, "last": 0.5 } }),
        json!({ "halfLifeDays": 0.0 }),
    ] {
        let body = app
            .gql(
                &viewer,
                REPORT,
                json!({ "input": input("POSITION_BASED", "LEVER", overrides.clone()) }),
            )
            .await;
        assert_eq!(
            error_code(&body),
            Some("BAD_USER_INPUT"),
            "{overrides}: {body}"
        );
    }
    // The bounds themselves are accepted.
    for overrides in [
        json!({ "lookbackDays": 1 }),
        json!({ "lookbackDays": 365 }),
        json!({ "positionWeights": { "first": 1.0, "last": 0.0 } }),
        json!({ "halfLifeDays": 365.0 }),
    ] {
        report(&app, &viewer, input("TIME_DECAY", "LEVER", overrides)).await;
    }
}

async fn api_key(app: &TestApp, admin: &str, scopes: &[&str]) -> String {
    let payload = mutate_ok(
        app,
        admin,
        "createApiKey",
        "secret userErrors { field code }",
        json!({ "name": format!("key {scopes:?}"), "scopes": scopes }),
    )
    .await;
    payload["secret"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn viewers_read_editors_and_scoped_keys_write() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let viewer = app.token("acme", "viewer");
    let body = mutate(
        &app,
        &viewer,
        "recordTouchpoints",
        PAYLOAD,
        json!({ "touchpoints": [touch("A", 1, "SEO", None, "v")] }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = mutate(
        &app,
        &viewer,
        "recordConversions",
        PAYLOAD,
        json!({ "conversions": [conversion("A", 2, "1", "v")] }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    let writer = api_key(&app, &admin, &["WRITE_MEASUREMENTS"]).await;
    let reader = api_key(&app, &admin, &["READ_KPIS"]).await;
    assert_eq!(
        counts(&record_touchpoints(&app, &writer, vec![touch("A", 1, "SEO", None, "k")]).await),
        (1, 0, vec![])
    );
    assert_eq!(
        counts(&record_conversions(&app, &writer, vec![conversion("A", 2, "7", "k")]).await),
        (1, 0, vec![])
    );
    let body = mutate(
        &app,
        &reader,
        "recordConversions",
        PAYLOAD,
        json!({ "conversions": [conversion("A", 2, "1", "r")] }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = app
        .gql(
            &writer,
            REPORT,
            json!({ "input": input("LINEAR", "LEVER", json!({})) }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    for token in [&reader, &viewer] {
        let read = report(&app, token, input("LINEAR", "LEVER", json!({}))).await;
        assert_eq!(rows(&read, "lever"), vec![row("SEO", UNITS, "7.00", 0)]);
    }
}

#[tokio::test]
async fn another_tenant_neither_sees_nor_links_to_the_first() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "editor");
    let globex = app.token("globex", "editor");
    let (x, _) = seed(&app, &acme).await;
    let theirs = report(&app, &globex, input("LINEAR", "LEVER", json!({}))).await;
    assert_eq!(theirs["totalConversions"].as_f64(), Some(0.0));
    assert_eq!(theirs["rows"], json!([]));
    let db = app.app.database();
    let stored = touchpoint::Entity::find().count(db).await.unwrap();
    // Linking to acme's campaign is NOT_FOUND, and the batch writes nothing.
    let body = mutate(
        &app,
        &globex,
        "recordTouchpoints",
        PAYLOAD,
        json!({ "touchpoints": [
            touch("A", 1, "SEO", None, "g0"),
            touch("A", 5, "SEA", Some(&x), "g1"),
        ] }),
    )
    .await;
    assert_eq!(
        counts(&body["data"]["recordTouchpoints"]),
        (
            0,
            0,
            vec!["input.touchpoints.1.campaignId: NOT_FOUND".to_owned()]
        )
    );
    assert_eq!(touchpoint::Entity::find().count(db).await.unwrap(), stored);
    // The same keys and journey as acme's are globex's own rows: inserted, not updates, and
    // acme's report does not move.
    let acme_before = report(&app, &acme, input("LINEAR", "LEVER", json!({}))).await;
    assert_eq!(
        counts(&record_touchpoints(&app, &globex, vec![touch("A", 9, "PR", None, "t-a9")]).await),
        (1, 0, vec![])
    );
    assert_eq!(
        counts(&record_conversions(&app, &globex, vec![conversion("A", 10, "5", "c-a")]).await),
        (1, 0, vec![])
    );
    let theirs = report(&app, &globex, input("LINEAR", "CAMPAIGN", json!({}))).await;
    assert_eq!(
        rows(&theirs, "campaignId"),
        vec![row("-", UNITS, "5.00", 0)]
    );
    assert_eq!(
        report(&app, &acme, input("LINEAR", "LEVER", json!({}))).await,
        acme_before
    );
}

#[tokio::test]
async fn fractional_seconds_compare_as_instants() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    record_touchpoints(
        &app,
        &editor,
        vec![
            json!({ "journeyId": "F", "occurredAt": "2027-03-10T12:00:00.25Z", "lever": "SEO", "externalId": "f0" }),
            // Half a second after the conversion: outside its window.
            json!({ "journeyId": "F", "occurredAt": "2027-03-10T13:00:00.5+01:00", "lever": "PR", "externalId": "f1" }),
        ],
    )
    .await;
    record_conversions(
        &app,
        &editor,
        vec![json!({ "journeyId": "F", "occurredAt": "2027-03-10T12:00:00Z", "value": "2", "externalId": "cf" })],
    )
    .await;
    let range =
        |from: &str, to: &str| input("LAST_TOUCH", "LEVER", json!({ "from": from, "to": to }));
    // [12:00:00, 12:00:00.000001) holds the conversion; [11:59:59.999, 12:00:00) does not.
    let inside = report(
        &app,
        &editor,
        range("2027-03-10T12:00:00Z", "2027-03-10T12:00:00.000001Z"),
    )
    .await;
    // The touch at .25 s is after the conversion: unattributed.
    assert_eq!(rows(&inside, "lever"), vec![row("-", UNITS, "2.00", 0)]);
    let outside = report(
        &app,
        &editor,
        range("2027-03-10T11:59:59.999Z", "2027-03-10T12:00:00Z"),
    )
    .await;
    assert_eq!(outside["rows"], json!([]));
    // Moved a quarter second earlier (re-sent), the SEO touch is now in the window.
    record_touchpoints(
        &app,
        &editor,
        vec![json!({ "journeyId": "F", "occurredAt": "2027-03-10T11:59:59.75Z", "lever": "SEO", "externalId": "f0" })],
    )
    .await;
    let moved = report(
        &app,
        &editor,
        range("2027-03-10T12:00:00Z", "2027-03-10T12:00:00.000001Z"),
    )
    .await;
    assert_eq!(rows(&moved, "lever"), vec![row("SEO", UNITS, "2.00", 0)]);
}
