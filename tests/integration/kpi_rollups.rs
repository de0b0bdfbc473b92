//! Daily rollups of measurements (issue 13, item 3): kept by the database in the transaction of
//! every write, they must always equal a GROUP BY over the raw rows — after new rows, re-sent
//! rows (new values, a row moved to another campaign and day), currency conversion, deletions
//! cascading from a campaign and a plan, and deletions straight in SQL — and series of sums,
//! ratios and snapshots read from them give the same numbers as the raw rows, tenant by tenant.

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::kpi_series::{m, record, series};
use crate::support::{TestApp, create_campaign, create_plan, mutate_ok, sql_integer, user_errors};

/// The rollups' key columns.
const KEY: &str = "tenant_id, kpi_key, date, plan_id, campaign_id, action_id, lever, persona_id";

/// The raw rows grouped as the rollups are.
fn raw_grouped() -> String {
    format!(
        "SELECT {KEY}, COUNT(*), CAST(SUM(value_micros >> 32) AS BIGINT), \
         CAST(SUM(value_micros & 4294967295) AS BIGINT) FROM measurements GROUP BY {KEY}"
    )
}

fn rollups() -> String {
    format!("SELECT {KEY}, row_count, value_high, value_low FROM measurement_rollups")
}

/// Rows of one side missing from the other, both ways (EXCEPT compares NULLs as equal).
async fn differences(app: &TestApp) -> (i64, i64) {
    let missing = sql_integer(
        app,
        &format!(
            "SELECT COUNT(*) FROM ({} EXCEPT {}) AS d",
            raw_grouped(),
            rollups()
        ),
    )
    .await;
    let extra = sql_integer(
        app,
        &format!(
            "SELECT COUNT(*) FROM ({} EXCEPT {}) AS d",
            rollups(),
            raw_grouped()
        ),
    )
    .await;
    (missing, extra)
}

/// Asserts that the rollups are exactly the grouped raw rows, and that there are `groups`.
async fn assert_exact(app: &TestApp, groups: i64, step: &str) {
    assert_eq!(differences(app).await, (0, 0), "{step}");
    assert_eq!(
        sql_integer(app, "SELECT COUNT(*) FROM measurement_rollups").await,
        groups,
        "{step}"
    );
    assert_eq!(
        sql_integer(
            app,
            "SELECT CAST(COALESCE(SUM(row_count), 0) AS BIGINT) FROM measurement_rollups"
        )
        .await,
        sql_integer(app, "SELECT COUNT(*) FROM measurements").await,
        "{step}"
    );
}

fn row(kpi: &str, date: &str, value: &str, external: &str, links: Value) -> Value {
    let mut row = m(kpi, date, value, links);
    row["externalId"] = json!(external);
    row["source"] = json!("ads");
    row
}

/// ctr by MONTH × LEVER and clicks by DAY × CAMPAIGN of one plan, and the last clicks of March.
async fn acme_series(
    app: &TestApp,
    token: &str,
    plan: &str,
    labels: &[(&str, &str)],
) -> Vec<String> {
    let labels = labels
        .iter()
        .map(|(id, label)| ((*id).to_owned(), *label))
        .collect();
    let mut lines = series(
        app,
        token,
        &labels,
        json!({ "kpiKeys": ["ctr"], "from": "2027-03-01", "to": "2027-04-30",
                "grain": "MONTH", "groupBy": ["LEVER"] }),
    )
    .await;
    lines.extend(
        series(
            app,
            token,
            &labels,
            json!({ "kpiKeys": ["clicks", "spend"], "from": "2027-03-01", "to": "2027-04-30",
                    "grain": "DAY", "groupBy": ["CAMPAIGN"], "planId": plan }),
        )
        .await,
    );
    lines
}

#[tokio::test]
async fn rollups_follow_every_write_and_series_read_them_exactly() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &admin, "Rollups").await;
    let other_plan = create_plan(&app, &admin, "Other").await;
    let c1 = create_campaign(&app, &admin, &plan, "C1", &[]).await;
    let c2 = create_campaign(&app, &admin, &plan, "C2", &[]).await;
    let c3 = create_campaign(&app, &admin, &other_plan, "C3", &[]).await;
    let labels = [
        (c1.as_str(), "c1"),
        (c2.as_str(), "c2"),
        (c3.as_str(), "c3"),
    ];
    let rates = mutate_ok(
        &app,
        &admin,
        "setExchangeRates",
        "userErrors { field code }",
        json!({ "rates": [{ "date": "2027-03-01", "from": "USD", "to": "EUR", "rate": "0.5" }] }),
    )
    .await;
    assert_eq!(user_errors(&rates), Vec::<String>::new());

    let seo = |campaign: &str| json!({ "campaignId": campaign, "lever": "SEO" });
    let sea = |campaign: &str| json!({ "campaignId": campaign, "lever": "SEA" });
    // Two rows in one group (c1, SEO, 1 March) add up; 9 000 000 000 000 clicks twice exceed
    // 64 bits in micros, and must stay exact.
    let first = vec![
        row("impressions", "2027-03-01", "1000", "i1", seo(&c1)),
        row("impressions", "2027-03-01", "1500", "i2", seo(&c1)),
        row("clicks", "2027-03-01", "30", "k1", seo(&c1)),
        row("clicks", "2027-03-01", "20", "k2", seo(&c1)),
        row("impressions", "2027-03-02", "4000", "i3", sea(&c2)),
        row("clicks", "2027-03-02", "40", "k3", sea(&c2)),
        row("clicks", "2027-04-10", "9000000000000", "big1", sea(&c3)),
        row("clicks", "2027-04-10", "9000000000000", "big2", sea(&c3)),
        row("impressions", "2027-04-10", "1", "i4", sea(&c3)),
        // No link at all, and spend sent in dollars (converted at 0.5).
        row("clicks", "2027-03-01", "7", "k4", json!({})),
        {
            let mut spend = row("spend", "2027-03-01", "10", "s1", seo(&c1));
            spend["currency"] = json!("USD");
            spend
        },
    ];
    record(&app, &admin, first).await;
    // Groups: (impressions, c1, 1 Mar), (clicks, c1, 1 Mar), (impressions, c2, 2 Mar),
    // (clicks, c2, 2 Mar), (clicks, c3, 10 Apr), (impressions, c3, 10 Apr), (clicks, none,
    // 1 Mar), (spend, c1, 1 Mar).
    assert_exact(&app, 8, "after the first batch").await;
    assert_eq!(
        sql_integer(
            &app,
            "SELECT value_micros FROM measurements WHERE kpi_key = 'spend'"
        )
        .await,
        5_000_000,
        "converted"
    );
    assert_eq!(
        acme_series(&app, &admin, &plan, &labels).await,
        vec![
            // No lever: clicks without impressions; SEO: 50 / 2500; SEA in March: 40 / 4000;
            // SEA in April: 18e12 / 1.
            "ctr 2027-03-01 = null",
            "ctr 2027-03-01 SEO = 0.02",
            "ctr 2027-03-01 SEA = 0.01",
            "ctr 2027-04-01 SEA = 18000000000000",
            "clicks 2027-03-01 c1 = 50",
            "clicks 2027-03-02 c2 = 40",
            "spend 2027-03-01 c1 = 5",
        ]
    );

    // Re-sent: new values, one row moved to another campaign and day, one unchanged, and the
    // spend now in euros.
    let resent = vec![
        row("impressions", "2027-03-01", "2500", "i1", seo(&c1)),
        row("clicks", "2027-03-03", "25", "k2", sea(&c2)),
        row("clicks", "2027-03-01", "30", "k1", seo(&c1)),
        row("spend", "2027-03-01", "12", "s1", seo(&c1)),
    ];
    record(&app, &admin, resent.clone()).await;
    // (clicks, c2, 3 Mar) is new; (clicks, c1, 1 Mar) keeps k1 only.
    assert_exact(&app, 9, "after re-sending").await;
    record(&app, &admin, resent).await;
    assert_exact(&app, 9, "after re-sending the same values").await;
    assert_eq!(
        acme_series(&app, &admin, &plan, &labels).await,
        vec![
            // SEO: 30 / 4000; SEA: (40 + 25) / 4000.
            "ctr 2027-03-01 = null",
            "ctr 2027-03-01 SEO = 0.0075",
            "ctr 2027-03-01 SEA = 0.01625",
            "ctr 2027-04-01 SEA = 18000000000000",
            "clicks 2027-03-01 c1 = 30",
            "clicks 2027-03-02 c2 = 40",
            "clicks 2027-03-03 c2 = 25",
            "spend 2027-03-01 c1 = 12",
        ]
    );

    // Another tenant: its rows roll up apart, its series never see acme's, nor acme its own.
    let globex = app.token("globex", "admin");
    record(
        &app,
        &globex,
        vec![
            row("clicks", "2027-03-01", "1", "g1", json!({ "lever": "SEO" })),
            row(
                "impressions",
                "2027-03-01",
                "4",
                "g2",
                json!({ "lever": "SEO" }),
            ),
        ],
    )
    .await;
    assert_exact(&app, 11, "with a second tenant").await;
    let globex_ctr = series(
        &app,
        &globex,
        &Default::default(),
        json!({ "kpiKeys": ["ctr"], "from": "2027-03-01", "to": "2027-04-30",
                "grain": "MONTH", "groupBy": ["LEVER"] }),
    )
    .await;
    assert_eq!(globex_ctr, vec!["ctr 2027-03-01 SEO = 0.25"]);
    assert_eq!(
        series(
            &app,
            &globex,
            &Default::default(),
            json!({ "kpiKeys": ["clicks"], "from": "2027-03-01", "to": "2027-04-30",
                    "grain": "DAY", "groupBy": ["CAMPAIGN"], "planId": plan }),
        )
        .await,
        Vec::<String>::new()
    );

    // Deleting a campaign deletes its measurements, and their rollups go with them.
    mutate_ok(
        &app,
        &admin,
        "deleteCampaign",
        "deletedId",
        json!({ "id": c2 }),
    )
    .await;
    assert_exact(&app, 8, "after deleting a campaign").await;
    // … and a plan, with its campaign.
    mutate_ok(
        &app,
        &admin,
        "deletePlan",
        "deletedId",
        json!({ "id": other_plan }),
    )
    .await;
    assert_exact(&app, 6, "after deleting a plan").await;
    assert_eq!(
        acme_series(&app, &admin, &plan, &labels).await,
        vec![
            "ctr 2027-03-01 = null",
            "ctr 2027-03-01 SEO = 0.0075",
            "clicks 2027-03-01 c1 = 30",
            "spend 2027-03-01 c1 = 12",
        ]
    );
    // Straight in SQL: one row of a group, then a whole group, then a value changed.
    app.app
        .database()
        .execute_unprepared("DELETE FROM measurements WHERE external_id = 'i1'")
        .await
        .unwrap_or_else(|e| panic!("delete: {e}"));
    assert_exact(&app, 6, "after deleting one row of a group").await;
    app.app
        .database()
        .execute_unprepared("DELETE FROM measurements WHERE external_id = 'i2'")
        .await
        .unwrap_or_else(|e| panic!("delete: {e}"));
    assert_exact(&app, 5, "after deleting a group's last row").await;
    app.app
        .database()
        .execute_unprepared("UPDATE measurements SET value_micros = value_micros * 3")
        .await
        .unwrap_or_else(|e| panic!("update: {e}"));
    assert_exact(&app, 5, "after changing every value").await;

    // The check itself notices a rollup that drifts.
    app.app
        .database()
        .execute_unprepared(
            "UPDATE measurement_rollups SET value_low = value_low + 1 WHERE kpi_key = 'spend'",
        )
        .await
        .unwrap_or_else(|e| panic!("update: {e}"));
    assert_eq!(differences(&app).await, (1, 1));
}

/// A batch that mixes new and re-sent rows in the same groups (a group a re-sent row leaves
/// empty taking a new row in the same batch), or that spreads over hundreds of groups, rolls
/// up exactly.
#[tokio::test]
async fn batches_mixing_new_and_re_sent_rows_over_many_groups_roll_up_exactly() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &admin, "Rollups").await;
    let c1 = create_campaign(&app, &admin, &plan, "C1", &[]).await;
    let c2 = create_campaign(&app, &admin, &plan, "C2", &[]).await;
    let on = |campaign: &str| json!({ "campaignId": campaign, "lever": "SEO" });

    record(
        &app,
        &admin,
        vec![
            row("clicks", "2027-03-01", "10", "a", on(&c1)),
            row("clicks", "2027-03-02", "20", "b", on(&c1)),
        ],
    )
    .await;
    assert_exact(&app, 2, "first rows").await;

    // One batch: a new row in a's group, a re-sent into a's group (b leaves its own, which
    // goes), a new row in a group b's move empties, and a new group.
    record(
        &app,
        &admin,
        vec![
            row("clicks", "2027-03-01", "1", "c", on(&c1)),
            row("clicks", "2027-03-01", "2", "b", on(&c1)),
            row("clicks", "2027-03-02", "4", "d", on(&c1)),
            row("impressions", "2027-03-02", "8", "e", json!({})),
        ],
    )
    .await;
    assert_exact(&app, 3, "a mixed batch").await;
    assert_eq!(
        sql_integer(
            &app,
            "SELECT row_count FROM measurement_rollups WHERE kpi_key = 'clicks' \
             AND date = '2027-03-01'"
        )
        .await,
        3
    );

    // 1 000 rows over 448 groups (two rows a group: day, campaign, KPI, lever and month by
    // turns), then 1 000 more of which half re-send rows of the batch before with new values.
    let spread = |revision: u32, from: u32| {
        (from..from + 1000)
            .map(|i| {
                let group = i / 2;
                let campaign = if (group / 28) % 2 == 0 { &c1 } else { &c2 };
                let kpi = if (group / 56) % 2 == 0 {
                    "clicks"
                } else {
                    "spend"
                };
                let lever = if (group / 112) % 2 == 0 { "SEO" } else { "SEA" };
                let date = format!("2027-{:02}-{:02}", 4 + (group / 224) % 2, 1 + group % 28);
                row(
                    kpi,
                    &date,
                    &(i + revision).to_string(),
                    &format!("s{i}"),
                    json!({ "campaignId": campaign, "lever": lever }),
                )
            })
            .collect::<Vec<_>>()
    };
    record(&app, &admin, spread(0, 0)).await;
    let after_spread = sql_integer(&app, "SELECT COUNT(*) FROM measurement_rollups").await;
    assert_eq!(after_spread, 3 + 448);
    assert_exact(&app, after_spread, "1 000 new rows over many groups").await;
    record(&app, &admin, spread(7, 500)).await;
    let after_mixed = sql_integer(&app, "SELECT COUNT(*) FROM measurement_rollups").await;
    assert_exact(&app, after_mixed, "500 re-sent and 500 new rows").await;
    assert_eq!(
        sql_integer(&app, "SELECT COUNT(*) FROM measurements").await,
        5 + 1500
    );
}
