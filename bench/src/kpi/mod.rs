//! The KPI scenario: a million measurements, then `kpiSeries` of a derived KPI by MONTH × LEVER
//! and by DAY × CAMPAIGN of one plan, each against the same GROUP BY run directly on the raw
//! measurements, and ingestion through
//! `recordMeasurements` against raw batched `INSERT`s. See `bench/README.md`.

pub mod data;
pub mod ingest;
pub mod insert;
pub mod report;
pub mod series;

use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, ensure};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use self::{
    data::{CAMPAIGNS, year_end, year_start},
    ingest::{Batches, Expect},
    insert::{Row, Target},
    report::{CopyFloor, IngestReport, KpiReport, KpiSettings, Seeding, SeriesReport, ratio},
};
use crate::{
    bounded::{self, Bounds},
    database::BenchDatabase,
    graphql::{self, GraphqlClient},
    report::{Machine, Phase},
    seed::SeedOutcome,
    server::{Launch, Memory, Server},
};

/// Rows per seeding statement.
const SEED_STATEMENT_ROWS: u64 = 1_000;

/// Rows per seeding transaction.
const SEED_TRANSACTION_ROWS: u64 = 10_000;

/// Source of the seeded rows (no external id).
const SEED_SOURCE: &str = "bench_seed";

const CREATE_PLAN: &str = "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } userErrors { field message code } } }";
const CREATE_CAMPAIGN: &str = "mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } userErrors { field message code } } }";

/// Runs the scenario on `database` with the server `binary`.
pub async fn run(
    settings: KpiSettings,
    binary: &Path,
    database: &BenchDatabase,
) -> anyhow::Result<KpiReport> {
    let machine = Machine::current();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(settings.concurrency.max(settings.ingest_concurrency))
        .timeout(Duration::from_secs(120))
        .build()
        .context("building the HTTP client")?;
    let token = graphql::admin_token()?;
    eprintln!("starting {} on 127.0.0.1 …", binary.display());
    let server = Server::start(
        Launch {
            binary,
            database_url: &database.url,
            workers: settings.server_workers,
            log: database.work_dir.join("server.log"),
            env: crate::server::unlimited(),
        },
        &http,
    )
    .await?;
    let memory_at_start = server.memory()?;
    let client = GraphqlClient {
        http: http.clone(),
        url: server.graphql_url(),
        token: token.clone(),
    };

    eprintln!("creating a plan and {CAMPAIGNS} campaigns through the API …");
    let (plan_global_id, campaign_ids, api_seed) = seed_campaigns(&client)
        .await
        .with_context(|| format!("seeding failed; server log:\n{}", server.log_tail()))?;

    let counter = levier::db::StatementCounter::default();
    let db = levier::db::connect(&levier::Config::development(&database.url), &counter)
        .await
        .context("connecting to the database")?;
    let target = Arc::new(target(&db, &campaign_ids).await?);

    eprintln!(
        "seeding {} measurements with raw INSERTs …",
        settings.measurements
    );
    let seed = seed_measurements(&db, &target, settings.measurements).await?;
    eprintln!(
        "  {} rows in {:.1} s ({:.0} rows/s)",
        seed.rows, seed.duration_seconds, seed.rows_per_second
    );

    let bench = Bench {
        settings: &settings,
        http: &http,
        client: &client,
        db: &db,
        target: &target,
        campaign_ids: &campaign_ids,
        database_url: &database.url,
        server: &server,
    };
    let (series, series_statements, memory_after_series) =
        series_phase(&bench, &series::Shape::MonthLever).await?;
    let day_campaign_shape = series::Shape::DayCampaign {
        plan_global_id,
        plan_id: target
            .campaigns
            .first()
            .map(|(_, plan_id)| *plan_id)
            .context("no campaign")?,
        campaigns: campaign_ids
            .iter()
            .cloned()
            .zip(target.campaigns.iter().map(|(campaign_id, _)| *campaign_id))
            .collect(),
    };
    let (day_campaign_series, day_campaign_statements, _) =
        series_phase(&bench, &day_campaign_shape).await?;
    let (ingest_report, update, copy_floor) = ingest_phase(&bench).await?;

    let memory_at_end = server.memory()?;
    let exit = server.stop().await?;
    db.close().await.ok();
    Ok(KpiReport {
        date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        machine,
        engine: database.engine,
        database_url: database.display_url(),
        server_binary: binary.to_path_buf(),
        settings,
        api_seed,
        seed,
        series,
        day_campaign_series,
        ingest: ingest_report,
        update,
        copy_floor,
        series_statements_per_request: series_statements,
        day_campaign_statements_per_request: day_campaign_statements,
        memory_at_start,
        memory_after_series,
        memory_at_end,
        server_exit: exit.to_string(),
    })
}

/// What the phases share.
struct Bench<'a> {
    settings: &'a KpiSettings,
    http: &'a reqwest::Client,
    client: &'a GraphqlClient,
    db: &'a DatabaseConnection,
    target: &'a Arc<Target>,
    campaign_ids: &'a [String],
    database_url: &'a str,
    server: &'a Server,
}

impl Bench<'_> {
    fn bounds(&self, operations: u64, concurrency: usize) -> Bounds {
        Bounds {
            duration: Duration::from_secs(self.settings.seconds),
            operations,
            concurrency,
        }
    }
}

/// The series of `shape` read through the API, then the same GROUP BY on the database, after
/// checking that both give the same points. Returns the report, the API's statements per
/// request and the server's memory after its requests.
async fn series_phase(
    bench: &Bench<'_>,
    shape: &series::Shape,
) -> anyhow::Result<(SeriesReport, u64, Memory)> {
    let Bench {
        settings,
        http,
        client,
        db,
        target,
        database_url,
        server,
        ..
    } = *bench;
    eprintln!(
        "kpiSeries({}, {}) against the raw GROUP BY …",
        settings.kpi,
        shape.label()
    );
    let ratio_kpi = series::Ratio::load(db, &settings.kpi).await?;
    let series_variables = series::variables(&settings.kpi, shape);
    let raw_points = series::raw(db, target.tenant_id, &ratio_kpi, shape)
        .await
        .context("running the raw series query")?;
    let api_data = client
        .data(series::QUERY, series_variables.clone())
        .await
        .with_context(|| format!("kpiSeries failed; server log:\n{}", server.log_tail()))?;
    let agreement = series::compare(
        &series::api_points(&api_data, &settings.kpi, shape)?,
        &raw_points,
    )?;
    let series_statements = crate::probe::api_statements_per_request(
        database_url,
        http,
        &client.token,
        series::QUERY,
        series_variables.clone(),
    )
    .await?;
    let body =
        serde_json::to_string(&json!({ "query": series::QUERY, "variables": series_variables }))
            .context("encoding the series request")?;
    let request = crate::api_request(client, body);
    let bounds = |operations: u64| bench.bounds(operations, settings.concurrency);
    bounded::run(bounds(settings.warmup), request.clone()).await?;
    let api_series = bounded::run(bounds(settings.series_runs), request).await?;
    ensure!(
        api_series.completed > api_series.errors,
        "no kpiSeries request succeeded: {:?}",
        api_series.first_error
    );
    let memory_after_series = server.memory()?;
    let raw_series_operation = {
        let db = db.clone();
        let ratio_kpi = Arc::new(ratio_kpi);
        let shape = Arc::new(shape.clone());
        let tenant_id = target.tenant_id;
        move || {
            let db = db.clone();
            let ratio_kpi = Arc::clone(&ratio_kpi);
            let shape = Arc::clone(&shape);
            async move {
                series::raw(&db, tenant_id, &ratio_kpi, &shape)
                    .await
                    .map(|points| points.len() as u64)
                    .map_err(|error| error.to_string())
            }
        }
    };
    bounded::run(bounds(settings.warmup), raw_series_operation.clone()).await?;
    let raw_series = bounded::run(bounds(api_series.completed), raw_series_operation).await?;
    let api_phase = Phase::of(&api_series, series_statements as f64);
    let raw_phase = Phase::of(&raw_series, 1.0);
    let series = SeriesReport {
        response_bytes_mean: ratio(
            api_series.volume as f64,
            (api_series.completed - api_series.errors) as f64,
        ),
        mean_latency_ratio: ratio(api_phase.latency.mean_ms, raw_phase.latency.mean_ms),
        p50_latency_ratio: ratio(api_phase.latency.p50_ms, raw_phase.latency.p50_ms),
        api: api_phase,
        raw: raw_phase,
        agreement,
    };
    eprintln!(
        "  API p50 {:.1} ms, raw p50 {:.1} ms",
        series.api.latency.p50_ms, series.raw.latency.p50_ms
    );
    Ok((series, series_statements, memory_after_series))
}

/// New rows through `recordMeasurements`, then the same number through raw `INSERT`s; then a
/// few batches re-sent with new values on both sides (updates).
/// The ingestion phase's reports: new rows, updates, and on PostgreSQL the `COPY` floor.
type IngestOutcome = (IngestReport, Option<IngestReport>, Option<CopyFloor>);

async fn ingest_phase(bench: &Bench<'_>) -> anyhow::Result<IngestOutcome> {
    let Bench {
        settings,
        http,
        client,
        db,
        target,
        campaign_ids,
        server,
        ..
    } = *bench;
    let batches = Batches {
        rows: settings.rows,
        batch_size: settings.batch_size,
    };
    eprintln!(
        "ingesting {} rows in batches of {} through recordMeasurements, then raw INSERTs …",
        settings.rows, settings.batch_size
    );
    let ingest_bounds = |operations: u64| bench.bounds(operations, settings.ingest_concurrency);
    let bodies = ingest::api_bodies(batches, batches.count(), campaign_ids, 0);
    let api_ingest = bounded::run(
        ingest_bounds(batches.count()),
        ingest::api_operation(
            http.clone(),
            client.url.clone(),
            &client.token,
            bodies,
            Expect::Inserted,
        ),
    )
    .await?;
    ensure!(
        api_ingest.errors == 0,
        "recordMeasurements failed: {:?}; server log:\n{}",
        api_ingest.first_error,
        server.log_tail()
    );
    let raw_ingest = bounded::run(
        ingest_bounds(api_ingest.completed),
        ingest::raw_operation(db.clone(), Arc::clone(target), batches, 0, false),
    )
    .await?;
    ensure!(
        raw_ingest.errors == 0,
        "the raw INSERTs failed: {:?}",
        raw_ingest.first_error
    );
    for (source, run) in [
        (ingest::API_SOURCE, &api_ingest),
        (ingest::RAW_SOURCE, &raw_ingest),
    ] {
        let found = ingest::count_rows(db, source).await?;
        ensure!(
            u64::try_from(found).ok() == Some(run.volume),
            "{found} rows of source {source} in the table, {} written",
            run.volume
        );
    }
    let ingest_report = IngestReport::of(&api_ingest, &raw_ingest);
    let copy_floor = if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        eprintln!("  … and the same number of new rows with COPY …");
        let copy = bounded::run(
            ingest_bounds(api_ingest.completed),
            ingest::copy_operation(db.clone(), Arc::clone(target), batches),
        )
        .await?;
        ensure!(
            copy.errors == 0,
            "the COPY floor failed: {:?}",
            copy.first_error
        );
        let found = ingest::count_rows(db, ingest::COPY_SOURCE).await?;
        ensure!(
            u64::try_from(found).ok() == Some(copy.volume),
            "{found} rows of the COPY floor in the table, {} copied",
            copy.volume
        );
        Some(CopyFloor::of(&ingest_report.api, &copy))
    } else {
        None
    };

    let update_batches = settings
        .update_batches
        .min(api_ingest.completed)
        .min(raw_ingest.completed);
    let update = if update_batches > 0 {
        eprintln!("re-sending {update_batches} batches with new values …");
        let bodies = ingest::api_bodies(batches, update_batches, campaign_ids, 1);
        let api_update = bounded::run(
            ingest_bounds(update_batches),
            ingest::api_operation(
                http.clone(),
                client.url.clone(),
                &client.token,
                bodies,
                Expect::Updated,
            ),
        )
        .await?;
        let raw_update = bounded::run(
            ingest_bounds(update_batches),
            ingest::raw_operation(db.clone(), Arc::clone(target), batches, 1, true),
        )
        .await?;
        ensure!(
            api_update.errors == 0 && raw_update.errors == 0,
            "re-sending failed: API {:?}, raw {:?}",
            api_update.first_error,
            raw_update.first_error
        );
        Some(IngestReport::of(&api_update, &raw_update))
    } else {
        None
    };
    eprintln!(
        "  new rows: API {:.0} rows/s, raw {:.0} rows/s",
        ingest_report.api.rows_per_second, ingest_report.raw.rows_per_second
    );
    if let Some(update) = &update {
        eprintln!(
            "  updates: API {:.0} rows/s, raw {:.0} rows/s",
            update.api.rows_per_second, update.raw.rows_per_second
        );
    }
    if let Some(floor) = &copy_floor {
        eprintln!(
            "  new rows with COPY: {:.0} rows/s (the API at {:.3} of it)",
            floor.copy.rows_per_second, floor.api_to_copy_ratio
        );
    }
    Ok((ingest_report, update, copy_floor))
}

/// Creates one plan over 2027 and [`CAMPAIGNS`] campaigns over the whole year, campaign `i`
/// with the one lever `data::lever_of(i)`. Returns the plan's global id and the campaigns' in
/// order.
async fn seed_campaigns(
    client: &GraphqlClient,
) -> anyhow::Result<(String, Vec<String>, SeedOutcome)> {
    let started = Instant::now();
    let plan = client
        .create(
            CREATE_PLAN,
            "createPlan",
            "plan",
            json!({
                "name": "KPI benchmark plan",
                "periodStart": year_start().to_string(),
                "periodEnd": year_end().to_string(),
                "budget": "1000000.00",
            }),
        )
        .await
        .context("creating the plan")?;
    let mut campaigns = Vec::with_capacity(CAMPAIGNS);
    for index in 0..CAMPAIGNS {
        campaigns.push(
            client
                .create(
                    CREATE_CAMPAIGN,
                    "createCampaign",
                    "campaign",
                    json!({
                        "planId": plan,
                        "name": campaign_name(index),
                        "kind": "TRAFFIC",
                        "levers": [data::lever_of(index)],
                        "startDate": year_start().to_string(),
                        "endDate": year_end().to_string(),
                        "budget": "10000.00",
                    }),
                )
                .await
                .with_context(|| format!("creating campaign {index}"))?,
        );
    }
    Ok((
        plan,
        campaigns,
        SeedOutcome {
            mutations: 1 + CAMPAIGNS,
            duration: started.elapsed(),
        },
    ))
}

fn campaign_name(index: usize) -> String {
    format!("KPI campaign {index:02}")
}

/// The tenant's id and the campaigns' ids and plan, read from the database by name (the API's
/// ids are opaque).
async fn target(db: &DatabaseConnection, campaign_ids: &[String]) -> anyhow::Result<Target> {
    let backend = db.get_database_backend();
    let placeholder = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let tenant = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT \"id\" FROM \"tenants\" WHERE \"key\" = {placeholder}"),
            [graphql::TENANT.into()],
        ))
        .await
        .context("reading the bench tenant")?
        .context("no bench tenant")?;
    let tenant_id: Uuid = tenant.try_get_by_index(0)?;
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT \"name\", \"id\", \"plan_id\" FROM \"campaigns\" WHERE \"tenant_id\" = {placeholder}"
            ),
            [tenant_id.into()],
        ))
        .await
        .context("reading the campaigns")?;
    let mut by_name = std::collections::HashMap::new();
    for row in rows {
        let name: String = row.try_get_by_index(0)?;
        by_name.insert(
            name,
            (
                row.try_get_by_index::<Uuid>(1)?,
                row.try_get_by_index::<Uuid>(2)?,
            ),
        );
    }
    let campaigns = (0..campaign_ids.len())
        .map(|index| {
            by_name
                .get(&campaign_name(index))
                .copied()
                .with_context(|| format!("campaign {index} is not in the database"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Target {
        tenant_id,
        campaigns,
    })
}

/// Writes `count` measurements with multi-row `INSERT`s of 1 000 rows, 10 000 rows per
/// transaction; then `ANALYZE` on PostgreSQL, as autovacuum would soon do after such a load.
async fn seed_measurements(
    db: &DatabaseConnection,
    target: &Target,
    count: u64,
) -> anyhow::Result<Seeding> {
    let started = Instant::now();
    let backend = db.get_database_backend();
    let mut next = 0;
    while next < count {
        let transaction = db.begin().await?;
        let end = (next + SEED_TRANSACTION_ROWS).min(count);
        while next < end {
            let stop = (next + SEED_STATEMENT_ROWS).min(end);
            let rows: Vec<Row> = (next..stop)
                .map(|i| Row {
                    measurement: data::measurement(0, i, 0),
                    source: SEED_SOURCE,
                    external_id: None,
                })
                .collect();
            transaction
                .execute_raw(insert::statement(
                    backend,
                    target,
                    &rows,
                    chrono::Utc::now(),
                    false,
                ))
                .await
                .with_context(|| format!("inserting seed rows {next}..{stop}"))?;
            next = stop;
        }
        transaction.commit().await?;
        if next % 100_000 == 0 {
            eprintln!("  {next} rows");
        }
    }
    let duration = started.elapsed();
    if backend == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE \"measurements\"")
            .await
            .context("analyzing measurements")?;
    }
    let found = ingest::count_rows(db, SEED_SOURCE).await?;
    ensure!(
        u64::try_from(found).ok() == Some(count),
        "{found} seeded rows in the table, {count} written"
    );
    let seconds = duration.as_secs_f64();
    Ok(Seeding {
        rows: count,
        duration_seconds: seconds,
        rows_per_second: ratio(count as f64, seconds),
    })
}

/// The engine's ingestion concurrency: the requested number of batches in flight on either
/// engine. SQLite has one writer, but the server's write transactions take its lock at `BEGIN
/// IMMEDIATE` and wait for it (busy timeout), so concurrent batches queue rather than fail; the
/// raw side's transactions start with their `INSERT`, which waits the same way.
pub fn ingest_concurrency(requested: usize) -> usize {
    requested.max(1)
}
