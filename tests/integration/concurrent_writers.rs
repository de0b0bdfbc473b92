//! Concurrent writers on a database served by a real pool (an SQLite file, or PostgreSQL): every
//! mutation that writes in a transaction keeps answering while seven others write at the same
//! time. SQLite allows one writer at a time; a transaction that started as a reader and then
//! wants to write is refused at once ("database is locked") unless it starts as a writer and
//! waits its turn.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_action, create_campaign, create_persona, create_plan, sql_integer,
};

/// Concurrent clients.
const WRITERS: usize = 8;

/// How long they write.
const WRITING_TIME: Duration = Duration::from_secs(4);

/// The shared fixture every writer works on.
struct Fixture {
    token: String,
    plan: String,
    persona: String,
}

/// One mutation of `kind`, by `writer` in its `round`; `Err` describes a failure (an error, a
/// user error, a status other than 200).
async fn write_once(
    app: &TestApp,
    fixture: &Fixture,
    writer: usize,
    round: usize,
    kind: usize,
) -> Result<(), String> {
    let tag = format!("w{writer}r{round}");
    let token = fixture.token.as_str();
    let (field, selection, input) = match kind {
        0 => (
            "recordMeasurements",
            "inserted userErrors { field code }",
            json!({ "measurements": (0..10).map(|n| json!({
                "kpiKey": "clicks", "date": format!("2027-03-{:02}", n + 1), "value": "3",
                "source": "load", "externalId": format!("{tag}-{n}"), "campaignId": null,
                "personaId": fixture.persona,
            })).collect::<Vec<_>>() }),
        ),
        1 => (
            "recordTouchpoints",
            "inserted userErrors { field code }",
            json!({ "touchpoints": (0..5).map(|n| json!({
                "journeyId": tag, "occurredAt": format!("2027-03-{:02}T12:00:00Z", n + 1),
                "lever": "SEO", "source": "ga4", "externalId": format!("{tag}-{n}"),
            })).collect::<Vec<_>>() }),
        ),
        2 => (
            "recordConversions",
            "inserted userErrors { field code }",
            json!({ "conversions": (0..5).map(|n| json!({
                "journeyId": tag, "occurredAt": format!("2027-03-{:02}T13:00:00Z", n + 1),
                "value": "10", "source": "shop", "externalId": format!("{tag}-{n}"),
            })).collect::<Vec<_>>() }),
        ),
        3 => (
            "copyPlan",
            "plan { id } userErrors { field code }",
            json!({ "planId": fixture.plan, "name": format!("Copy {tag}"),
                    "periodStart": "2028-01-01" }),
        ),
        4 => {
            // Create a tenant KPI, then delete it (the delete checks its usage in the same
            // transaction as it deletes).
            let key = format!("kpi_{tag}");
            let body = send(
                app,
                token,
                "createKpiDefinition",
                "kpiDefinition { id } userErrors { field code }",
                json!({ "key": key, "name": key, "unit": "COUNT",
                        "direction": "HIGHER_IS_BETTER", "aggregation": "SUM" }),
            )
            .await?;
            let id = body["kpiDefinition"]["id"].clone();
            (
                "deleteKpiDefinition",
                "deletedId userErrors { field code }",
                json!({ "id": id }),
            )
        }
        5 => (
            "createCampaign",
            "campaign { id } userErrors { field code }",
            json!({ "planId": fixture.plan, "name": format!("Campaign {tag}"), "kind": "AWARENESS",
                    "levers": ["SEO"], "personaIds": [fixture.persona],
                    "startDate": "2027-04-01", "endDate": "2027-04-30", "budget": "10" }),
        ),
        6 => (
            "createSegment",
            "segment { id } userErrors { field code }",
            json!({ "planId": fixture.plan, "name": format!("Segment {tag}"),
                    "personaIds": [fixture.persona] }),
        ),
        _ => {
            let body = send(
                app,
                token,
                "createAction",
                "action { id } userErrors { field code }",
                crate::support::action_input(&fixture.plan, json!({ "title": tag })),
            )
            .await?;
            let id = body["action"]["id"].clone();
            ("deleteAction", "deletedId", json!({ "id": id }))
        }
    };
    send(app, token, field, selection, input).await.map(drop)
}

/// Number of kinds of [`write_once`].
const KINDS: usize = 8;

/// Sends one mutation; its payload, or a description of what went wrong.
async fn send(
    app: &TestApp,
    token: &str,
    field: &str,
    selection: &str,
    input: Value,
) -> Result<Value, String> {
    let mut input_type: String = field.chars().take(1).flat_map(char::to_uppercase).collect();
    input_type.push_str(&field[1..]);
    let query = format!(
        "mutation($input: {input_type}Input!) {{ {field}(input: $input) {{ {selection} }} }}"
    );
    let (status, body) = app
        .post(
            Some(token),
            &[],
            &json!({ "query": query, "variables": { "input": input } }),
        )
        .await;
    let payload = &body["data"][field];
    let user_errors = payload["userErrors"].as_array().map_or(0, Vec::len);
    if status != 200 || body.get("errors").is_some() || user_errors > 0 {
        return Err(format!("{field}: HTTP {status}: {body}"));
    }
    Ok(payload.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_concurrent_writers_of_every_transactional_mutation_all_succeed() {
    let app = TestApp::spawn_pooled_with(|_| {}).await;
    let token = app.token("acme", "admin");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let persona = create_persona(&app, &token, "Sophie").await;
    create_campaign(&app, &token, &plan, "Spring", &[&persona]).await;
    create_action(&app, &token, &plan, json!({})).await;
    let fixture = std::sync::Arc::new(Fixture {
        token,
        plan,
        persona,
    });
    let app = std::sync::Arc::new(app);

    let deadline = Instant::now() + WRITING_TIME;
    let writers = (0..WRITERS).map(|writer| {
        let app = app.clone();
        let fixture = fixture.clone();
        tokio::spawn(async move {
            let mut calls = [0_usize; KINDS];
            let mut failures = Vec::new();
            let mut slowest = Duration::ZERO;
            let mut round = 0;
            while Instant::now() < deadline {
                // Each writer starts on a different kind, so that every kind meets every other.
                let kind = (writer + round) % KINDS;
                let started = Instant::now();
                if let Err(failure) = write_once(&app, &fixture, writer, round, kind).await {
                    failures.push(failure);
                }
                slowest = slowest.max(started.elapsed());
                calls[kind] += 1;
                round += 1;
            }
            (calls, failures, slowest)
        })
    });
    let mut calls = [0_usize; KINDS];
    let mut failures = Vec::new();
    let mut slowest = Duration::ZERO;
    for writer in futures::future::join_all(writers).await {
        let (writer_calls, writer_failures, writer_slowest) = writer.unwrap();
        slowest = slowest.max(writer_slowest);
        for (total, count) in calls.iter_mut().zip(writer_calls) {
            *total += count;
        }
        failures.extend(writer_failures);
    }

    let total: usize = calls.iter().sum();
    eprintln!("{total} calls by kind {calls:?}, the slowest took {slowest:?}");
    let mut failed_fields = std::collections::BTreeMap::<&str, usize>::new();
    for failure in &failures {
        *failed_fields
            .entry(failure.split(':').next().unwrap_or_default())
            .or_default() += 1;
    }
    assert!(
        failures.is_empty(),
        "{} of {total} calls failed ({failed_fields:?}); the first: {:#?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    assert!(
        calls.iter().all(|count| *count >= 1),
        "every kind of mutation ran: {calls:?}"
    );
    // Every acknowledged measurement is there: ten per recordMeasurements call.
    assert_eq!(
        sql_integer(
            &app,
            "SELECT COUNT(*) FROM measurements WHERE source = 'load'"
        )
        .await,
        (calls[0] * 10) as i64
    );
}
