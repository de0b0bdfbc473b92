//! `levier-bench`: starts the release `levier` server as a child process on a fresh database,
//! seeds it, puts a bounded GraphQL load on it over loopback, samples its peak memory, then runs
//! the same work straight against the database for comparison, and reports both (text on
//! stdout, JSON in `bench/results/`). Three scenarios: `plans` (the default: a nested read of
//! plans and campaigns), `kpi` (a million measurements: `kpiSeries` and `recordMeasurements`)
//! and `noisy-neighbour` (rate limits: a tenant at twice its budget beside a quiet one). See
//! `bench/README.md`.

mod bounded;
mod database;
mod fairness;
mod graphql;
mod kpi;
mod probe;
mod raw;
mod report;
mod seed;
mod server;

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
    time::Duration,
};

use anyhow::{Context, bail, ensure};
use clap::{Parser, ValueEnum};
use futures::{FutureExt, future::BoxFuture};

use crate::{
    bounded::{Bounds, Outcome},
    database::{BenchDatabase, Engine},
    fairness::report::FairnessSettings,
    graphql::{GraphqlClient, PAGE_SIZE, QUERY},
    kpi::report::KpiSettings,
    report::{ApiPhase, Machine, Phase, RawPhase, Report, Settings},
    seed::Dataset,
    server::{Launch, Server},
};

/// What to benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Scenario {
    /// A page of plans with their campaigns, levers and personas, under concurrent load.
    Plans,
    /// A million measurements: kpiSeries MONTH x LEVER of a ratio KPI against the same GROUP BY
    /// on the database, and recordMeasurements against raw batched INSERTs.
    Kpi,
    /// Rate limits: a quiet tenant's latency alone, then beside a tenant sending at twice its
    /// budget; the noisy tenant's 429s.
    #[value(name = "noisy-neighbour", alias = "fairness")]
    NoisyNeighbour,
}

/// Benchmarks the Levier API against the raw database on a fresh SQLite file (the default) or a
/// fresh PostgreSQL database. Build the server first: `cargo build --release -p levier`.
#[derive(Debug, Parser)]
#[command(name = "levier-bench", version, about)]
struct Args {
    /// What to measure.
    #[arg(long, value_enum, default_value_t = Scenario::Plans)]
    scenario: Scenario,
    /// A PostgreSQL server URL (e.g. postgres://postgres@127.0.0.1:5432): a database
    /// levier_bench_<timestamp> is created on it and dropped at the end. SQLite when omitted.
    #[arg(long)]
    database_url: Option<String>,
    /// Stop each measured phase after this many seconds [default: 10 for plans, 20 for kpi,
    /// 30 for noisy-neighbour]…
    #[arg(long)]
    seconds: Option<u64>,
    /// …or after this many requests in total, whichever comes first (plans; noisy-neighbour:
    /// each tenant's counted requests of a phase).
    #[arg(long, default_value_t = 20_000)]
    requests: u64,
    /// Requests in flight at once (one tokio task each); also the raw side's concurrency
    /// [default: 8 for plans; 1 for kpi, where it also sets the ingestion batches in flight on
    /// PostgreSQL — SQLite ingests one batch at a time].
    #[arg(long)]
    concurrency: Option<usize>,
    /// Plans to seed [default: 50; noisy-neighbour: 10 in each tenant].
    #[arg(long)]
    plans: Option<usize>,
    /// Campaigns to seed in every plan [default: 20; noisy-neighbour: 10].
    #[arg(long)]
    campaigns_per_plan: Option<usize>,
    /// Personas to seed, each plan targets 3, each campaign 2 [default: 20; noisy-neighbour:
    /// 5].
    #[arg(long)]
    personas: Option<usize>,
    /// Unmeasured requests (and query sets) run before each measured phase [default: 200 for
    /// plans, 3 for kpi; noisy-neighbour: 20 quiet requests before the first phase].
    #[arg(long)]
    warmup: Option<u64>,
    /// kpi: measurements seeded with raw INSERTs before the reads.
    #[arg(long, default_value_t = 1_000_000)]
    measurements: u64,
    /// kpi: the ratio KPI read with kpiSeries (any built-in ratio of impressions, clicks and
    /// spend: ctr, cpc, cpm).
    #[arg(long, default_value = "ctr")]
    kpi: String,
    /// kpi: stop each series phase after this many requests (or --seconds).
    #[arg(long, default_value_t = 50)]
    series_runs: u64,
    /// kpi: rows ingested through recordMeasurements, then through raw INSERTs (or --seconds).
    #[arg(long, default_value_t = 100_000)]
    rows: u64,
    /// kpi: rows per recordMeasurements call and per raw INSERT statement.
    #[arg(long, default_value_t = 1_000)]
    batch_size: u64,
    /// kpi: batches re-sent with new values to measure updates (0: none).
    #[arg(long, default_value_t = 10)]
    update_batches: u64,
    /// noisy-neighbour: the quiet tenant's steady rate, in requests per second (it must stay
    /// under the budget).
    #[arg(long, default_value_t = 10.0)]
    quiet_rate: f64,
    /// noisy-neighbour: the rate limit of every credential and every tenant, in cost units
    /// per second (LEVIER_RATE_LIMIT_{CREDENTIAL,TENANT}_PER_SECOND) [default: 20 requests'
    /// worth of the query, i.e. 20 x its cost].
    #[arg(long)]
    budget: Option<u64>,
    /// noisy-neighbour: the burst of every credential and every tenant, in cost units
    /// (LEVIER_RATE_LIMIT_{CREDENTIAL,TENANT}_BURST) [default: the budget, one second's worth].
    #[arg(long)]
    burst: Option<u64>,
    /// noisy-neighbour: the noisy tenant sends this many times its budget.
    #[arg(long, default_value_t = 2.0)]
    noisy_factor: f64,
    /// noisy-neighbour: keep the buckets in this Redis (LEVIER_REDIS_URL, under a key prefix
    /// of the run's own) instead of the server's memory.
    #[arg(long)]
    redis_url: Option<String>,
    /// HTTP workers of the server (LEVIER_WORKERS); one per core when omitted.
    #[arg(long)]
    workers: Option<usize>,
    /// The server executable; `levier` beside this one (target/release/levier) when omitted.
    #[arg(long)]
    server_binary: Option<PathBuf>,
}

impl Args {
    fn validate(&self) -> anyhow::Result<()> {
        ensure!(self.seconds() > 0, "--seconds must be at least 1");
        ensure!(self.requests > 0, "--requests must be at least 1");
        ensure!(self.concurrency() > 0, "--concurrency must be at least 1");
        ensure!(self.dataset().plans > 0, "--plans must be at least 1");
        ensure!(self.dataset().personas > 0, "--personas must be at least 1");
        ensure!(self.measurements > 0, "--measurements must be at least 1");
        ensure!(self.series_runs > 0, "--series-runs must be at least 1");
        ensure!(self.rows > 0, "--rows must be at least 1");
        ensure!(
            (1..=1_000).contains(&self.batch_size),
            "--batch-size must be between 1 and 1000 (recordMeasurements takes up to 1000)"
        );
        ensure!(
            self.quiet_rate > 0.0 && self.quiet_rate.is_finite(),
            "--quiet-rate must be a positive number of requests per second"
        );
        ensure!(
            self.noisy_factor > 1.0 && self.noisy_factor.is_finite(),
            "--noisy-factor must be above 1 (the noisy tenant sends over its budget)"
        );
        ensure!(
            self.budget != Some(0) && self.burst != Some(0),
            "--budget and --burst must be at least 1"
        );
        ensure!(
            self.redis_url.is_none() || self.scenario == Scenario::NoisyNeighbour,
            "--redis-url only applies to --scenario noisy-neighbour"
        );
        Ok(())
    }

    fn seconds(&self) -> u64 {
        self.seconds.unwrap_or(match self.scenario {
            Scenario::Plans => 10,
            Scenario::Kpi => 20,
            Scenario::NoisyNeighbour => 30,
        })
    }

    fn concurrency(&self) -> usize {
        self.concurrency.unwrap_or(match self.scenario {
            Scenario::Plans | Scenario::NoisyNeighbour => 8,
            Scenario::Kpi => 1,
        })
    }

    fn warmup(&self) -> u64 {
        self.warmup.unwrap_or(match self.scenario {
            Scenario::Plans => 200,
            Scenario::Kpi => 3,
            Scenario::NoisyNeighbour => 20,
        })
    }

    fn kpi_settings(&self) -> KpiSettings {
        KpiSettings {
            measurements: self.measurements,
            kpi: self.kpi.clone(),
            series_runs: self.series_runs,
            rows: self.rows,
            batch_size: self.batch_size,
            update_batches: self.update_batches,
            seconds: self.seconds(),
            concurrency: self.concurrency(),
            ingest_concurrency: kpi::ingest_concurrency(self.concurrency()),
            warmup: self.warmup(),
            server_workers: self.workers,
        }
    }

    fn dataset(&self) -> Dataset {
        let (plans, campaigns_per_plan, personas) = match self.scenario {
            Scenario::Plans | Scenario::Kpi => (50, 20, 20),
            Scenario::NoisyNeighbour => (10, 10, 5),
        };
        Dataset {
            plans: self.plans.unwrap_or(plans),
            campaigns_per_plan: self.campaigns_per_plan.unwrap_or(campaigns_per_plan),
            personas: self.personas.unwrap_or(personas),
        }
    }

    fn fairness_settings(&self) -> FairnessSettings {
        FairnessSettings {
            seconds: self.seconds(),
            requests: self.requests,
            quiet_rate: self.quiet_rate,
            noisy_factor: self.noisy_factor,
            budget: self.budget,
            burst: self.burst,
            warmup: self.warmup(),
            server_workers: self.workers,
            dataset: self.dataset(),
            redis: self.redis_url.is_some(),
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match try_main().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("levier-bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn try_main() -> anyhow::Result<()> {
    let args = Args::parse();
    args.validate()?;
    let binary = match &args.server_binary {
        Some(path) => path.clone(),
        None => server::default_binary()?,
    };
    if !binary.is_file() {
        bail!(
            "no server binary at {}: run `cargo build --release -p levier` first (or pass --server-binary)",
            binary.display()
        );
    }
    let database = BenchDatabase::create(args.database_url.as_deref()).await?;
    eprintln!(
        "database: {} ({})",
        database.display_url(),
        database.engine.name()
    );
    let results = Path::new(env!("CARGO_MANIFEST_DIR")).join("results");
    let path = match args.scenario {
        Scenario::Plans => {
            let outcome = run_plans(&args, &binary, &database).await;
            let removed = database.remove().await;
            let report = outcome?;
            print!("{}", report.render());
            let path = report.write_json(&results)?;
            removed.context("cleaning up the bench database")?;
            path
        }
        Scenario::Kpi => {
            let settings = args.kpi_settings();
            let outcome = kpi::run(settings, &binary, &database).await;
            let removed = database.remove().await;
            let report = outcome?;
            print!("{}", report.render());
            let path = report.write_json(&results)?;
            removed.context("cleaning up the bench database")?;
            path
        }
        Scenario::NoisyNeighbour => {
            let settings = args.fairness_settings();
            let outcome =
                fairness::run(settings, args.redis_url.as_deref(), &binary, &database).await;
            let removed = database.remove().await;
            let report = outcome?;
            print!("{}", report.render());
            let path = report.write_json(&results)?;
            removed.context("cleaning up the bench database")?;
            path
        }
    };
    println!("\nJSON report: {}", path.display());
    Ok(())
}

async fn run_plans(args: &Args, binary: &Path, database: &BenchDatabase) -> anyhow::Result<Report> {
    let machine = Machine::current();
    let dataset = args.dataset();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency())
        .timeout(Duration::from_secs(30))
        .build()
        .context("building the HTTP client")?;
    let token = graphql::admin_token()?;

    eprintln!("starting {} on 127.0.0.1 …", binary.display());
    let server = Server::start(
        Launch {
            binary,
            database_url: &database.url,
            workers: args.workers,
            log: database.work_dir.join("server.log"),
            env: server::unlimited(),
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

    // SQLite has one writer: concurrent write transactions would only queue or fail on a stale
    // snapshot, so it is seeded one mutation at a time.
    let seed_concurrency = match database.engine {
        Engine::Sqlite => 1,
        Engine::Postgres => args.concurrency(),
    };
    eprintln!(
        "seeding {} personas, {} plans, {} campaigns through the API …",
        dataset.personas,
        dataset.plans,
        dataset.plans * dataset.campaigns_per_plan
    );
    let seeded = seed::seed(&client, dataset, seed_concurrency)
        .await
        .with_context(|| format!("seeding failed; server log:\n{}", server.log_tail()))?;
    check_api_answer(&client, dataset).await?;
    let api_statements = probe::api_statements_per_request(
        &database.url,
        &http,
        &token,
        QUERY,
        serde_json::json!({}),
    )
    .await?;

    eprintln!(
        "API load: {} s or {} requests …",
        args.seconds(),
        args.requests
    );
    let body = serde_json::to_string(&serde_json::json!({ "query": QUERY }))
        .context("encoding the query")?;
    let request = api_request(&client, body);
    bounded::run(warmup_bounds(args), request.clone()).await?;
    let api_run = bounded::run(
        Bounds {
            duration: Duration::from_secs(args.seconds()),
            operations: args.requests,
            concurrency: args.concurrency(),
        },
        request,
    )
    .await?;
    let memory_at_end = server.memory()?;
    let exit = server.stop().await?;
    ensure!(
        api_run.completed > 0,
        "no request completed: {:?}",
        api_run.first_error
    );

    eprintln!(
        "raw database: {} query sets (or {} s) …",
        api_run.completed,
        args.seconds()
    );
    let counter = levier::db::StatementCounter::default();
    let connection = levier::db::connect(&levier::Config::development(&database.url), &counter)
        .await
        .context("connecting to the database for the raw reads")?;
    let query_set = Arc::new(raw::QuerySet::new(connection.clone(), graphql::TENANT).await?);
    check_raw_answer(&query_set, dataset).await?;
    let operation = {
        let query_set = Arc::clone(&query_set);
        move || {
            let query_set = Arc::clone(&query_set);
            async move {
                query_set
                    .run()
                    .await
                    .map(|answer| answer.rows())
                    .map_err(|error| error.to_string())
            }
        }
    };
    bounded::run(warmup_bounds(args), operation.clone()).await?;
    let statements_before = counter.get();
    let raw_run = bounded::run(
        Bounds {
            duration: Duration::from_secs(args.seconds()),
            operations: api_run.completed,
            concurrency: args.concurrency(),
        },
        operation,
    )
    .await?;
    let raw_statements = counter.get() - statements_before;
    drop(query_set);
    connection.close().await.ok();

    let per = |total: u64, run: &bounded::Run| {
        let ok = run.completed - run.errors;
        if ok == 0 {
            0.0
        } else {
            total as f64 / ok as f64
        }
    };
    let api_phase = Phase::of(&api_run, api_statements as f64);
    let raw_phase = Phase::of(
        &raw_run,
        raw_statements as f64 / raw_run.completed.max(1) as f64,
    );
    let ratio = if raw_phase.throughput_per_second > 0.0 {
        api_phase.throughput_per_second / raw_phase.throughput_per_second
    } else {
        0.0
    };
    Ok(Report {
        date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        machine,
        engine: database.engine,
        database_url: database.display_url(),
        server_binary: binary.to_path_buf(),
        settings: Settings {
            seconds: args.seconds(),
            requests: args.requests,
            concurrency: args.concurrency(),
            server_workers: args.workers,
            warmup_operations: args.warmup(),
            dataset,
        },
        seed: seeded,
        api: ApiPhase {
            response_bytes_mean: per(api_run.volume, &api_run),
            phase: api_phase,
            memory_at_start,
            memory_at_end,
            server_exit: exit.to_string(),
        },
        raw: RawPhase {
            rows_per_operation: per(raw_run.volume, &raw_run),
            phase: raw_phase,
        },
        api_to_raw_throughput_ratio: ratio,
    })
}

fn warmup_bounds(args: &Args) -> Bounds {
    Bounds {
        duration: Duration::from_secs(args.seconds()),
        operations: args.warmup(),
        concurrency: args.concurrency(),
    }
}

/// One request of the load: `body` (a JSON GraphQL request) posted with the client's token,
/// counted as an error on a non-200 status or a body with `errors`. Returns the size of the
/// response body.
fn api_request(
    client: &GraphqlClient,
    body: String,
) -> impl Fn() -> BoxFuture<'static, Outcome> + Clone + Send + 'static {
    let body: Arc<str> = body.into();
    let http = client.http.clone();
    let url: Arc<str> = client.url.as_str().into();
    let authorization: Arc<str> = format!("Bearer {}", client.token).into();
    move || {
        let request = http
            .post(&*url)
            .header(reqwest::header::AUTHORIZATION, &*authorization)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        async move {
            let response = request
                .send()
                .await
                .map_err(|error| format!("request failed: {error}"))?;
            let status = response.status();
            let bytes = response
                .bytes()
                .await
                .map_err(|error| format!("reading the response failed: {error}"))?;
            if !status.is_success() || has_errors(&bytes) {
                let start = String::from_utf8_lossy(&bytes[..bytes.len().min(300)]).into_owned();
                return Err(format!("HTTP {status}: {start}"));
            }
            Ok(bytes.len() as u64)
        }
        .boxed()
    }
}

/// True when a compact JSON response has an `errors` member. Inside JSON strings a quote is
/// always escaped, so `"errors":` can only be a key; the benchmarked queries select no field of
/// that name.
fn has_errors(body: &[u8]) -> bool {
    body.windows(9).any(|window| window == b"\"errors\":")
}

/// Fails unless the API answers the query with the seeded data, so that both sides are known
/// to read the same rows.
async fn check_api_answer(client: &GraphqlClient, dataset: Dataset) -> anyhow::Result<()> {
    let data = client.data(QUERY, serde_json::json!({})).await?;
    let plans = &data["plans"];
    let first = &plans["edges"][0]["node"];
    let found = (
        plans["totalCount"].as_u64(),
        plans["edges"].as_array().map(Vec::len),
        first["campaigns"]["totalCount"].as_u64(),
        first["campaigns"]["edges"].as_array().map(Vec::len),
    );
    let expected = (
        Some(dataset.plans as u64),
        Some(dataset.plans.min(PAGE_SIZE as usize)),
        Some(dataset.campaigns_per_plan as u64),
        Some(dataset.campaigns_per_plan.min(PAGE_SIZE as usize)),
    );
    ensure!(
        found == expected,
        "the API's answer does not match the seeded data: (plans, shown, campaigns, shown) = {found:?}, expected {expected:?}"
    );
    Ok(())
}

/// Fails unless the raw query set reads the seeded data.
async fn check_raw_answer(query_set: &raw::QuerySet, dataset: Dataset) -> anyhow::Result<()> {
    let answer = query_set.run().await.context("running the raw query set")?;
    let first = answer.plans.first();
    let found = (
        answer.plan_count,
        answer.plans.len(),
        first.map_or(0, |plan| plan.campaign_count),
        first.map_or(0, |plan| plan.campaigns.len()),
        first.map_or(0, |plan| plan.personas.len()),
    );
    let expected = (
        dataset.plans as i64,
        dataset.plans.min(PAGE_SIZE as usize),
        dataset.campaigns_per_plan as i64,
        dataset.campaigns_per_plan.min(PAGE_SIZE as usize),
        dataset.personas.min(3),
    );
    ensure!(
        found == expected,
        "the raw reads do not match the seeded data: {found:?}, expected {expected:?}"
    );
    ensure!(
        answer.plans.iter().all(|plan| plan
            .campaigns
            .iter()
            .all(|campaign| campaign.campaign.plan_id == plan.plan.id)),
        "the raw reads put a campaign under the wrong plan"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::has_errors;

    #[test]
    fn finds_the_errors_key_but_not_an_escaped_string() {
        assert!(has_errors(br#"{"data":null,"errors":[{"message":"x"}]}"#));
        assert!(!has_errors(br#"{"data":{"name":"say \"errors\": here"}}"#));
    }
}
