//! `recordMeasurements`: batches written whole or not at all, idempotent on (source,
//! externalId), validated row by row with the row's index in the error path, and never reaching
//! another tenant's campaigns, actions or personas.

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_action, create_campaign, create_persona, create_plan, dec, decimal_of,
    error_code, mutate, mutate_ok, node, record_measurements, sql_integer, user_errors,
};

const COUNT_ALL: &str = "SELECT COUNT(*) FROM measurements";
const SUM_ALL: &str = "SELECT CAST(COALESCE(SUM(value_micros), 0) AS BIGINT) FROM measurements";

fn row(kpi: &str, date: &str, value: &str, external_id: Option<&str>) -> Value {
    let mut row = json!({ "kpiKey": kpi, "date": date, "value": value, "source": "meta_ads" });
    if let Some(id) = external_id {
        row["externalId"] = json!(id);
    }
    row
}

#[tokio::test]
async fn a_batch_is_stored_as_sent_and_tied_to_its_plan() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let persona = create_persona(&app, &token, "Sophie").await;
    let campaign = create_campaign(&app, &token, &plan, "Spring", &[&persona]).await;
    let action = create_action(&app, &token, &plan, json!({})).await;

    let mut clicks = row("clicks", "2027-03-02", "120", Some("c-1"));
    clicks["campaignId"] = json!(campaign);
    clicks["lever"] = json!("SEA");
    clicks["personaId"] = json!(persona);
    let mut spend = row("spend", "2027-03-02", "45.123456", Some("s-1"));
    spend["actionId"] = json!(action);
    let mut followers = row("followers", "2027-03-01", "1500", None);
    followers["grain"] = json!("MONTH");
    let payload = record_measurements(&app, &token, json!([clicks, spend, followers])).await;

    assert_eq!(user_errors(&payload), Vec::<String>::new());
    assert_eq!(payload["inserted"], 3);
    assert_eq!(payload["updated"], 0);
    let stored = payload["measurements"].as_array().unwrap();
    assert_eq!(stored[0]["kpiKey"], "clicks");
    assert_eq!(stored[0]["date"], "2027-03-02");
    assert_eq!(stored[0]["grain"], "DAY");
    assert_eq!(decimal_of(&stored[0]["value"]), dec("120"));
    assert_eq!(stored[0]["campaignId"], json!(campaign));
    assert_eq!(stored[0]["planId"], json!(plan), "the campaign's plan");
    assert_eq!(stored[0]["lever"], "SEA");
    assert_eq!(stored[0]["personaId"], json!(persona));
    assert_eq!(decimal_of(&stored[1]["value"]), dec("45.123456"));
    assert_eq!(stored[1]["actionId"], json!(action));
    assert_eq!(stored[1]["planId"], json!(plan), "the action's plan");
    assert_eq!(stored[2]["grain"], "MONTH");
    assert_eq!(stored[2]["planId"], Value::Null);
    assert_eq!(stored[2]["externalId"], Value::Null);

    // Read back through `node`, and straight from the database.
    let id = stored[1]["id"].as_str().unwrap();
    let read = node(
        &app,
        &token,
        id,
        "... on Measurement { kpiKey value source externalId kpi { key unit } action { id } }",
    )
    .await;
    assert_eq!(read["kpi"]["unit"], "CURRENCY");
    assert_eq!(read["source"], "meta_ads");
    assert_eq!(read["externalId"], "s-1");
    assert_eq!(read["action"]["id"], json!(action));
    assert_eq!(sql_integer(&app, COUNT_ALL).await, 3);
    // 120 + 45.123456 + 1500, in micros.
    assert_eq!(sql_integer(&app, SUM_ALL).await, 1_665_123_456);
}

#[tokio::test]
async fn re_sending_a_batch_updates_instead_of_duplicating() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let batch = json!([
        row("clicks", "2027-03-01", "10", Some("day-1")),
        row("clicks", "2027-03-02", "20", Some("day-2")),
        row("impressions", "2027-03-01", "1000", Some("imp-1")),
    ]);
    let first = record_measurements(&app, &token, batch.clone()).await;
    assert_eq!(
        (first["inserted"].clone(), first["updated"].clone()),
        (json!(3), json!(0))
    );

    let again = record_measurements(&app, &token, batch).await;
    assert_eq!(
        (again["inserted"].clone(), again["updated"].clone()),
        (json!(0), json!(3))
    );
    assert_eq!(sql_integer(&app, COUNT_ALL).await, 3);
    assert_eq!(sql_integer(&app, SUM_ALL).await, 1_030_000_000);
    assert_eq!(
        again["measurements"][0]["id"], first["measurements"][0]["id"],
        "an updated row keeps its identity"
    );

    // A corrected value replaces the old one; a new key in the same batch is inserted.
    let corrected = record_measurements(
        &app,
        &token,
        json!([
            row("clicks", "2027-03-02", "25", Some("day-2")),
            row("clicks", "2027-03-03", "5", Some("day-3")),
        ]),
    )
    .await;
    assert_eq!(
        (corrected["inserted"].clone(), corrected["updated"].clone()),
        (json!(1), json!(1))
    );
    // 10 + 25 + 1000 + 5.
    assert_eq!(sql_integer(&app, SUM_ALL).await, 1_040_000_000);

    // The same external id from another source is another row.
    let mut other_source = row("clicks", "2027-03-02", "7", Some("day-2"));
    other_source["source"] = json!("ga4");
    let other = record_measurements(&app, &token, json!([other_source])).await;
    assert_eq!(other["inserted"], 1);
    assert_eq!(sql_integer(&app, COUNT_ALL).await, 5);

    // Rows without an external id are plain inserts, every time.
    for _ in 0..2 {
        let plain =
            record_measurements(&app, &token, json!([row("leads", "2027-03-01", "1", None)])).await;
        assert_eq!(plain["inserted"], 1);
    }
    assert_eq!(sql_integer(&app, COUNT_ALL).await, 7);
}

/// Sends `rows`, expects exactly `expected` user errors, and checks that nothing was written.
async fn refused(app: &TestApp, token: &str, rows: Value, expected: &[&str]) {
    let count = sql_integer(app, COUNT_ALL).await;
    let sum = sql_integer(app, SUM_ALL).await;
    let payload = record_measurements(app, token, rows).await;
    assert_eq!(user_errors(&payload), expected, "{payload}");
    assert_eq!(payload["inserted"], 0);
    assert_eq!(payload["updated"], 0);
    assert_eq!(payload["measurements"], json!([]));
    assert_eq!(
        sql_integer(app, COUNT_ALL).await,
        count,
        "nothing was written"
    );
    assert_eq!(sql_integer(app, SUM_ALL).await, sum, "nothing was changed");
}

#[tokio::test]
async fn one_bad_row_refuses_the_whole_batch_and_says_which() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    // An existing row that a refused batch would otherwise update.
    record_measurements(
        &app,
        &token,
        json!([row("clicks", "2027-03-01", "10", Some("k"))]),
    )
    .await;

    refused(
        &app,
        &token,
        json!([
            row("clicks", "2027-03-01", "99", Some("k")),
            row("clicks", "2027-03-02", "1", None),
            row("no_such_kpi", "2027-03-02", "1", None),
        ]),
        &["input.measurements.2.kpiKey: NOT_FOUND"],
    )
    .await;
    refused(
        &app,
        &token,
        json!([row("ctr", "2027-03-02", "0.5", None)]),
        &["input.measurements.0.kpiKey: INVALID"],
    )
    .await;
    refused(
        &app,
        &token,
        json!([
            row("spend", "2027-03-02", "1.1234567", None),
            row("clicks", "2027-03-02", "-3", None),
            row("spend", "2027-03-02", "-3", None),
        ]),
        &[
            "input.measurements.0.value: TOO_PRECISE",
            "input.measurements.1.value: OUT_OF_RANGE",
        ],
    )
    .await;
    let mut monthly = row("subscribers", "2027-03-15", "10", None);
    monthly["grain"] = json!("MONTH");
    let mut weekly = row("sessions", "2027-03-03", "10", None);
    weekly["grain"] = json!("WEEK");
    let mut blank_source = row("sessions", "2027-03-03", "10", None);
    blank_source["source"] = json!("  ");
    refused(
        &app,
        &token,
        json!([monthly, weekly, blank_source]),
        &[
            "input.measurements.0.date: INVALID",
            "input.measurements.1.date: INVALID",
            "input.measurements.2.source: REQUIRED",
        ],
    )
    .await;
    refused(
        &app,
        &token,
        json!([
            row("clicks", "2027-03-01", "1", Some("same")),
            row("clicks", "2027-03-02", "2", Some("same")),
        ]),
        &["input.measurements.1.externalId: DUPLICATE"],
    )
    .await;
    // An ID of the wrong type is a missing campaign like any other.
    let plan = create_plan(&app, &token, "Plan").await;
    let mut wrong_type = row("clicks", "2027-03-02", "1", None);
    wrong_type["campaignId"] = json!(plan);
    refused(
        &app,
        &token,
        json!([wrong_type]),
        &["input.measurements.0.campaignId: NOT_FOUND"],
    )
    .await;
}

#[tokio::test]
async fn a_batch_holds_at_most_a_thousand_rows() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let rows = |n: usize| -> Value {
        (0..n)
            .map(|i| row("impressions", "2027-03-01", "1", Some(&format!("row-{i}"))))
            .collect()
    };
    refused(
        &app,
        &token,
        rows(1001),
        &["input.measurements: OUT_OF_RANGE"],
    )
    .await;
    let full = record_measurements(&app, &token, rows(1000)).await;
    assert_eq!(full["inserted"], 1000);
    assert_eq!(sql_integer(&app, COUNT_ALL).await, 1000);
    assert_eq!(sql_integer(&app, SUM_ALL).await, 1_000_000_000);
    let empty = record_measurements(&app, &token, json!([])).await;
    assert_eq!(
        (empty["inserted"].clone(), empty["updated"].clone()),
        (json!(0), json!(0))
    );
}

#[tokio::test]
async fn another_tenants_objects_cannot_be_measured_or_seen() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "editor");
    let globex = app.token("globex", "editor");
    let plan = create_plan(&app, &acme, "Acme plan").await;
    let persona = create_persona(&app, &acme, "Acme persona").await;
    let campaign = create_campaign(&app, &acme, &plan, "Acme campaign", &[&persona]).await;
    let action = create_action(&app, &acme, &plan, json!({})).await;
    let recorded = record_measurements(
        &app,
        &acme,
        json!([row("clicks", "2027-03-01", "10", Some("k"))]),
    )
    .await;
    let acme_measurement = recorded["measurements"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut links = Vec::new();
    for (field, id) in [
        ("campaignId", &campaign),
        ("actionId", &action),
        ("personaId", &persona),
    ] {
        let mut linked = row("clicks", "2027-03-01", "1", None);
        linked[field] = json!(id);
        links.push(linked);
    }
    refused(
        &app,
        &globex,
        Value::Array(links),
        &[
            "input.measurements.0.campaignId: NOT_FOUND",
            "input.measurements.1.actionId: NOT_FOUND",
            "input.measurements.2.personaId: NOT_FOUND",
        ],
    )
    .await;

    // The same (source, externalId) in another tenant is that tenant's own new row.
    let theirs = record_measurements(
        &app,
        &globex,
        json!([row("clicks", "2027-03-01", "5", Some("k"))]),
    )
    .await;
    assert_eq!(
        (theirs["inserted"].clone(), theirs["updated"].clone()),
        (json!(1), json!(0))
    );
    // Acme's 10 is untouched and Globex's 5 is a second row: 15 in all.
    assert_eq!(
        sql_integer(
            &app,
            "SELECT CAST(SUM(value_micros) AS BIGINT) FROM measurements WHERE external_id = 'k'"
        )
        .await,
        15_000_000
    );

    assert_eq!(
        node(&app, &globex, &acme_measurement, "id").await,
        Value::Null
    );
    assert_eq!(
        node(&app, &acme, &acme_measurement, "id").await,
        json!({ "id": acme_measurement })
    );
}

#[tokio::test]
async fn only_writers_and_write_scoped_keys_record() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let viewer = app.token("acme", "viewer");
    let input = json!({ "measurements": [row("clicks", "2027-03-01", "1", None)] });

    let body = mutate(
        &app,
        &viewer,
        "recordMeasurements",
        "inserted",
        input.clone(),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    let key = |scopes: Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let created = mutate(
                app,
                &admin,
                "createApiKey",
                "secret",
                json!({ "name": "ingestion", "scopes": scopes }),
            )
            .await;
            created["data"]["createApiKey"]["secret"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let writer = key(json!(["WRITE_MEASUREMENTS"])).await;
    let reader = key(json!(["READ_KPIS"])).await;
    let written = mutate(
        &app,
        &writer,
        "recordMeasurements",
        "inserted",
        input.clone(),
    )
    .await;
    assert_eq!(
        written["data"]["recordMeasurements"]["inserted"], 1,
        "{written}"
    );
    let body = mutate(&app, &reader, "recordMeasurements", "inserted", input).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert_eq!(sql_integer(&app, COUNT_ALL).await, 1);
}

#[tokio::test]
async fn measurements_list_filters_and_pages_within_the_tenant() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "viewer");
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan").await;
    let campaign = create_campaign(&app, &editor, &plan, "Spring", &[]).await;
    let mut rows = Vec::new();
    for day in 1..=5 {
        let mut clicks = row("clicks", &format!("2027-03-0{day}"), &day.to_string(), None);
        clicks["campaignId"] = json!(campaign);
        clicks["lever"] = json!("SEA");
        rows.push(clicks);
        rows.push(row("spend", &format!("2027-03-0{day}"), "1.5", None));
    }
    record_measurements(&app, &editor, Value::Array(rows)).await;
    record_measurements(
        &app,
        &app.token("globex", "editor"),
        json!([row("clicks", "2027-03-01", "1000", None)]),
    )
    .await;

    let list = |filter: Value, first: i64| {
        let app = &app;
        let token = token.clone();
        async move {
            app.data(
                &token,
                "query($filter: MeasurementFilter, $first: Int) { measurements(filter: $filter, first: $first) { totalCount pageInfo { hasNextPage endCursor } nodes { kpiKey date value campaign { name } } } }",
                json!({ "filter": filter, "first": first }),
            )
            .await["measurements"]
                .clone()
        }
    };
    let all = list(json!({}), 100).await;
    assert_eq!(all["totalCount"], 10, "only acme's rows: {all}");
    let clicks = list(
        json!({ "kpiKeys": ["clicks"], "from": "2027-03-02", "to": "2027-03-04", "levers": ["SEA"] }),
        100,
    )
    .await;
    let values: Vec<_> = clicks["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| decimal_of(&n["value"]))
        .collect();
    assert_eq!(values, [dec("2"), dec("3"), dec("4")]);
    assert_eq!(clicks["nodes"][0]["campaign"]["name"], "Spring");
    let by_campaign = list(json!({ "campaignIds": [campaign], "planId": plan }), 2).await;
    assert_eq!(by_campaign["totalCount"], 5);
    assert_eq!(by_campaign["pageInfo"]["hasNextPage"], true);
    let by_source = list(json!({ "source": "ga4" }), 10).await;
    assert_eq!(by_source["totalCount"], 0);
}

#[tokio::test]
async fn a_measurement_list_costs_the_same_statements_for_2_or_40_rows() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan").await;
    let persona = create_persona(&app, &token, "Sophie").await;
    let campaigns = [
        create_campaign(&app, &token, &plan, "A", &[&persona]).await,
        create_campaign(&app, &token, &plan, "B", &[&persona]).await,
    ];
    let query = "{ measurements(first: 100) { totalCount nodes { kpi { key } plan { name } campaign { name personas { name } } persona { name } } } }";
    let mut counts = Vec::new();
    for total in [2, 40] {
        let rows: Vec<Value> = (0..total)
            .map(|i| {
                let mut r = row("clicks", "2027-03-01", "1", None);
                r["campaignId"] = json!(campaigns[i % 2]);
                r["personaId"] = json!(persona);
                r
            })
            .collect();
        record_measurements(&app, &token, Value::Array(rows)).await;
        let (statements, data) =
            crate::support::min_statements(&app, &token, query, json!({})).await;
        assert_eq!(
            data["measurements"]["nodes"][0]["campaign"]["personas"][0]["name"],
            "Sophie"
        );
        counts.push(statements);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements must not grow with rows: {counts:?}"
    );
}

#[tokio::test]
async fn an_ingestion_cut_off_half_way_leaves_the_whole_batch_or_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let body = json!({
        "query": "mutation($input: RecordMeasurementsInput!) { recordMeasurements(input: $input) { inserted } }",
        "variables": { "input": { "measurements": thousand_rows() } },
    });
    // Each attempt drops the connection after a growing delay, so that some land before the
    // write, some during it and some after; none may leave part of its batch.
    for delay_ms in [1_u64, 3, 10, 30] {
        let before = sql_integer(&app, COUNT_ALL).await;
        let _cut = app
            .client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&token)
            .timeout(std::time::Duration::from_millis(delay_ms))
            .json(&body)
            .send()
            .await;
        // Let the server finish or roll back whatever it had started.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let written = sql_integer(&app, COUNT_ALL).await - before;
        assert!(
            written == 0 || (before == 0 && written == 1000),
            "a cut-off batch left {written} rows"
        );
    }
    // Re-sending the batch completes it, whatever the cut-off attempts left.
    let done = record_measurements(&app, &token, thousand_rows()).await;
    assert_eq!(
        done["inserted"].as_i64().unwrap() + done["updated"].as_i64().unwrap(),
        1000
    );
    assert_eq!(sql_integer(&app, COUNT_ALL).await, 1000);
}

/// A batch of 1000 keyed rows.
fn thousand_rows() -> Value {
    (0..1000)
        .map(|i| row("impressions", "2027-03-01", "1", Some(&format!("cut-{i}"))))
        .collect()
}

/// The statements one `recordMeasurements` request ran, and its payload.
async fn record_counting(app: &TestApp, token: &str, rows: Value) -> (u64, Value) {
    let before = app.statements();
    let payload = record_measurements(app, token, rows).await;
    (app.statements() - before, payload)
}

#[tokio::test]
async fn a_batch_costs_the_same_statements_for_3_rows_or_1000_new_or_recorded_again() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let batch = |size: usize| -> Value {
        (0..size)
            .map(|i| row("clicks", "2027-03-01", "2", Some(&format!("s{size}-{i}"))))
            .collect()
    };
    // The tenant's first request provisions it; the counts start after that.
    app.data(&token, "{ viewer { subject } }", json!({})).await;
    let mut counts = Vec::new();
    for size in [3, 1000] {
        let (new, first) = record_counting(&app, &token, batch(size)).await;
        assert_eq!(first["inserted"], json!(size));
        let (again, second) = record_counting(&app, &token, batch(size)).await;
        assert_eq!(second["updated"], json!(size));
        counts.push((new, again));
    }
    assert_eq!(
        counts[0], counts[1],
        "the statements of a batch must not grow with its rows: {counts:?}"
    );
    assert_eq!(sql_integer(&app, COUNT_ALL).await, 1003);
}

#[tokio::test]
async fn a_mixed_batch_answers_each_row_in_input_order_with_its_identity() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let first = record_measurements(
        &app,
        &token,
        json!([row("clicks", "2027-03-01", "10", Some("kept"))]),
    )
    .await;
    let kept_id = first["measurements"][0]["id"].clone();
    // An unkeyed row, a row recorded again, a new keyed row, another unkeyed row.
    let mixed = record_measurements(
        &app,
        &token,
        json!([
            row("leads", "2027-03-01", "1", None),
            row("clicks", "2027-03-01", "11", Some("kept")),
            row("clicks", "2027-03-02", "12", Some("fresh")),
            row("leads", "2027-03-02", "3", None),
        ]),
    )
    .await;
    assert_eq!(
        (mixed["inserted"].clone(), mixed["updated"].clone()),
        (json!(3), json!(1))
    );
    let rows = mixed["measurements"].as_array().unwrap();
    let values: Vec<_> = rows.iter().map(|row| decimal_of(&row["value"])).collect();
    assert_eq!(values, [dec("1"), dec("11"), dec("12"), dec("3")]);
    assert_eq!(
        rows[1]["id"], kept_id,
        "a row recorded again keeps its identity"
    );
    let ids: std::collections::HashSet<_> = rows.iter().map(|row| row["id"].clone()).collect();
    assert_eq!(ids.len(), 4, "every row has its own id: {rows:?}");
    assert_eq!(rows[0]["externalId"], Value::Null);
    assert_eq!(rows[2]["externalId"], "fresh");
    // 10 was replaced by 11: 1 + 11 + 12 + 3.
    assert_eq!(sql_integer(&app, SUM_ALL).await, 27_000_000);
}

#[tokio::test]
async fn a_row_recorded_again_keeps_its_identity_and_recording_time_in_a_full_batch() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let record = |rows: Value| {
        let app = &app;
        let token = &token;
        async move {
            mutate_ok(
                app,
                token,
                "recordMeasurements",
                "inserted updated measurements { id externalId value recordedAt updatedAt }",
                json!({ "measurements": rows }),
            )
            .await
        }
    };
    let batch = |value: &str, offset: usize| -> Value {
        (0..1000)
            .map(|i| {
                row(
                    "clicks",
                    "2027-03-01",
                    value,
                    Some(&format!("full-{}", i + offset)),
                )
            })
            .collect()
    };
    let first = record(batch("1", 0)).await;
    assert_eq!(
        (first["inserted"].clone(), first["updated"].clone()),
        (json!(1000), json!(0))
    );
    // Half of the rows again, half new, in one full batch: the first 500 were recorded before.
    let second = record(batch("2", 500)).await;
    assert_eq!(
        (second["inserted"].clone(), second["updated"].clone()),
        (json!(500), json!(500))
    );
    let before = first["measurements"].as_array().unwrap();
    let after = second["measurements"].as_array().unwrap();
    for (index, row) in after.iter().enumerate() {
        assert_eq!(row["externalId"], json!(format!("full-{}", index + 500)));
        assert_eq!(decimal_of(&row["value"]), dec("2"));
        if index < 500 {
            let previous = &before[index + 500];
            assert_eq!(row["id"], previous["id"], "row {index} keeps its id");
            assert_eq!(
                row["recordedAt"], previous["recordedAt"],
                "row {index} keeps its time"
            );
        } else {
            assert!(
                before.iter().all(|previous| previous["id"] != row["id"]),
                "row {index} is new"
            );
        }
    }
    assert_eq!(sql_integer(&app, COUNT_ALL).await, 1500);
    // 500 rows of 1, 1000 of 2.
    assert_eq!(sql_integer(&app, SUM_ALL).await, 2_500_000_000);
}

/// On PostgreSQL a batch is first written as new rows and, when the unique index of (source,
/// external id) refuses one, written again as an upsert from a savepoint. Four clients sending
/// the same new rows at once must still record each row once (one inserts it, the others
/// update it, none fails), and a full batch whose last row alone was recorded before must come
/// out whole, its rollups included.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_new_rows_sent_by_four_clients_at_once_are_recorded_once() {
    let app = TestApp::spawn_pooled_with(|_| {}).await;
    let token = app.token("acme", "editor");
    // The tenant's first request provisions it.
    app.data(&token, "{ viewer { subject } }", json!({})).await;
    let batch: Value = (0..200)
        .map(|i| row("clicks", "2027-03-01", "2", Some(&format!("same-{i}"))))
        .collect();
    let answers =
        futures::future::join_all((0..4).map(|_| record_measurements(&app, &token, batch.clone())))
            .await;
    let total = |field: &str| -> i64 {
        answers
            .iter()
            .map(|answer| answer[field].as_i64().unwrap_or(i64::MIN))
            .sum()
    };
    assert_eq!(
        (total("inserted"), total("updated")),
        (200, 600),
        "{answers:?}"
    );
    assert_eq!(sql_integer(&app, COUNT_ALL).await, 200);
    assert_eq!(sql_integer(&app, SUM_ALL).await, 400_000_000);

    let mut tail_recorded: Vec<Value> = (0..999)
        .map(|i| row("clicks", "2027-03-02", "1", Some(&format!("tail-{i}"))))
        .collect();
    tail_recorded.push(row("clicks", "2027-03-01", "5", Some("same-199")));
    let answer = record_measurements(&app, &token, Value::Array(tail_recorded)).await;
    assert_eq!(
        (answer["inserted"].clone(), answer["updated"].clone()),
        (json!(999), json!(1))
    );
    assert_eq!(sql_integer(&app, COUNT_ALL).await, 1199);
    // 199 rows of 2, one of 5, 999 of 1.
    assert_eq!(sql_integer(&app, SUM_ALL).await, 1_402_000_000);
    assert_eq!(
        sql_integer(
            &app,
            "SELECT CAST(SUM(row_count) AS BIGINT) FROM measurement_rollups"
        )
        .await,
        1199
    );
}

/// On SQLite (migration `m20261207_000020`) measurements are found by KPI through an index of
/// (tenant, KPI, id), which takes a batch's time-ordered rows at the end of each KPI's range,
/// rather than by the series index of (tenant, KPI, date, …), which took them at every day
/// they spread over: the reads by KPI still use an index, and the lists by KPI answer as
/// before. PostgreSQL keeps its series index.
#[tokio::test]
async fn sqlite_reads_measurements_by_kpi_through_an_index_in_recording_order() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let rows: Value = (0..30)
        .map(|day| {
            let kpi = if day % 2 == 0 { "clicks" } else { "reach" };
            row(kpi, &format!("2027-03-{:02}", day + 1), "1", None)
        })
        .collect();
    let payload = record_measurements(&app, &token, rows).await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    let listed = app
        .data(
            &token,
            "{ measurements(filter: { kpiKeys: [\"reach\"], from: \"2027-03-10\" }) { totalCount } }",
            json!({}),
        )
        .await;
    // Reach on the even days of March, from the 10th on: 10, 12, … 30.
    assert_eq!(listed["measurements"]["totalCount"], json!(11), "{listed}");
    if crate::support::on_postgres() {
        return;
    }
    use sea_orm::ConnectionTrait;
    let index_columns = |name: &str| format!("SELECT COUNT(*) FROM pragma_index_info('{name}')");
    assert_eq!(
        sql_integer(&app, &index_columns("idx_measurements_kpi")).await,
        3
    );
    assert_eq!(
        sql_integer(&app, &index_columns("idx_measurements_series")).await,
        0
    );
    let plan = app
        .app
        .database()
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM measurements \
             WHERE tenant_id = x'00' AND kpi_key = 'reach' AND date >= '2027-03-10'",
        ))
        .await
        .unwrap_or_else(|e| panic!("explain: {e}"));
    let details: Vec<String> = plan
        .iter()
        .filter_map(|row| row.try_get::<String>("", "detail").ok())
        .collect();
    assert!(
        details
            .iter()
            .any(|detail| detail.contains("USING INDEX idx_measurements_kpi")),
        "{details:?}"
    );
    // A re-sent row is replaced in place when the columns indexed here are unchanged: the
    // store's list of them must be the schema's (besides the key and identity columns).
    let indexed = app
        .app
        .database()
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT DISTINCT i.name AS column_name FROM pragma_index_list('measurements') AS l, \
             pragma_index_info(l.name) AS i \
             WHERE i.name NOT IN ('tenant_id', 'id', 'source', 'external_id')",
        ))
        .await
        .unwrap_or_else(|e| panic!("indexes: {e}"));
    let mut indexed: Vec<String> = indexed
        .iter()
        .filter_map(|row| row.try_get::<String>("", "column_name").ok())
        .collect();
    indexed.sort();
    let mut expected: Vec<&str> = levier::store::kpi::measurement::SQLITE_INDEXED.to_vec();
    expected.sort();
    assert_eq!(indexed, expected);
}
