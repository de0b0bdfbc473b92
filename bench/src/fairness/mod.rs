//! The noisy-neighbour scenario (issue 11): two tenants on one server with rate limits, one
//! sending at a steady modest rate, the other at twice its budget. Does the well-behaved one
//! notice? Its latency alone, then beside the noisy one; the noisy one's refusals and what it
//! was served. See `bench/README.md`.

pub mod open_loop;
pub mod report;

use std::{path::Path, sync::Arc, time::Duration};

use anyhow::{Context, bail, ensure};
use serde_json::json;
use tokio::time::Instant;

use self::{
    open_loop::{Pacing, Target},
    report::{FairnessReport, FairnessSettings, Limits, P99_GOAL_RATIO, TenantPhase, ratio},
};
use crate::{
    database::{BenchDatabase, Engine},
    graphql::{self, GraphqlClient},
    report::Machine,
    seed::{self, Dataset},
    server::{self, Launch, Server},
};

/// The well-behaved tenant.
const QUIET: &str = "quiet";

/// The tenant sending at twice its budget.
const NOISY: &str = "noisy";

/// What both tenants ask: a page of 10 plans with a page of 10 campaigns each (cost 110 with
/// the cost model of `api/src/graphql/limits/cost.rs`; the run reads it from the answer).
pub const QUERY: &str = "{ plans(first: 10) { totalCount nodes { id name budget campaigns(first: 10) { totalCount nodes { name levers budget } } } } }";

/// The page size of both lists of [`QUERY`].
const PAGE_SIZE: usize = 10;

/// The default budget, in requests of [`QUERY`] per second (so in units: this times its cost).
pub const DEFAULT_BUDGET_REQUESTS: u64 = 20;

/// Runs the scenario on `database` with the server `binary`; `redis_url` puts the buckets in
/// that Redis (under a key prefix of this run's own).
pub async fn run(
    settings: FairnessSettings,
    redis_url: Option<&str>,
    binary: &Path,
    database: &BenchDatabase,
) -> anyhow::Result<FairnessReport> {
    let machine = Machine::current();
    let client_of = || {
        reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .timeout(Duration::from_secs(30))
            .build()
            .context("building an HTTP client")
    };
    let quiet_http = client_of()?;
    let noisy_http = client_of()?;
    let quiet_token = graphql::admin_token_of(QUIET)?;
    let noisy_token = graphql::admin_token_of(NOISY)?;

    // Seeding and pricing the query on a server without limits, so that seeding is never
    // refused; the measured server is started afterwards with the limits derived from the
    // query's cost.
    eprintln!("starting {} on 127.0.0.1 to seed …", binary.display());
    let seeder = Server::start(
        Launch {
            binary,
            database_url: &database.url,
            workers: settings.server_workers,
            log: database.work_dir.join("seed-server.log"),
            env: server::unlimited(),
        },
        &quiet_http,
    )
    .await?;
    let seed_concurrency = match database.engine {
        Engine::Sqlite => 1,
        Engine::Postgres => 4,
    };
    let mut seed_mutations = 0;
    let mut costs = Vec::new();
    for (tenant, token) in [(QUIET, &quiet_token), (NOISY, &noisy_token)] {
        let client = GraphqlClient {
            http: quiet_http.clone(),
            url: seeder.graphql_url(),
            token: token.clone(),
        };
        eprintln!(
            "seeding tenant {tenant}: {} personas, {} plans, {} campaigns through the API …",
            settings.dataset.personas,
            settings.dataset.plans,
            settings.dataset.plans * settings.dataset.campaigns_per_plan
        );
        let seeded = seed::seed(&client, settings.dataset, seed_concurrency)
            .await
            .with_context(|| format!("seeding failed; server log:\n{}", seeder.log_tail()))?;
        seed_mutations += seeded.mutations;
        costs.push(check_answer(&client, settings.dataset).await?);
    }
    let seeder_exit = seeder.stop().await?;
    ensure!(
        seeder_exit.success(),
        "the seeding server exited with {seeder_exit}"
    );
    let cost = costs[0];
    ensure!(
        costs.iter().all(|&other| other == cost),
        "the tenants' queries cost differently: {costs:?}"
    );

    let budget = settings
        .budget
        .unwrap_or(DEFAULT_BUDGET_REQUESTS * cost)
        .max(1);
    let burst = settings.burst.unwrap_or(budget).max(1);
    let budget_requests = budget as f64 / cost as f64;
    ensure!(
        burst >= cost,
        "--burst {burst} is below the query's cost {cost}: every request would be charged the \
         burst instead of its cost"
    );
    ensure!(
        settings.quiet_rate < budget_requests,
        "the quiet tenant's {} req/s of a query costing {cost} need {:.0} units/s, not under \
         the budget of {budget}: it would be limited itself (raise --budget or lower --quiet-rate)",
        settings.quiet_rate,
        settings.quiet_rate * cost as f64
    );
    let noisy_rate = settings.noisy_factor * budget_requests;
    // At `noisy_factor` times its budget, the noisy tenant drains a full burst in this time;
    // from then on it is served at its budget's rate, which the measured window shows.
    let settle = Duration::from_secs_f64(
        (burst as f64 / ((settings.noisy_factor - 1.0) * budget as f64)).max(0.5),
    );
    if settle > Duration::from_secs(60) {
        bail!(
            "the noisy tenant would take {settle:?} to spend its burst of {burst}: lower --burst"
        );
    }

    let mut env = Vec::new();
    for name in [
        "LEVIER_RATE_LIMIT_CREDENTIAL_PER_SECOND",
        "LEVIER_RATE_LIMIT_TENANT_PER_SECOND",
    ] {
        env.push((name, budget.to_string()));
    }
    for name in [
        "LEVIER_RATE_LIMIT_CREDENTIAL_BURST",
        "LEVIER_RATE_LIMIT_TENANT_BURST",
    ] {
        env.push((name, burst.to_string()));
    }
    if let Some(url) = redis_url {
        env.push(("LEVIER_REDIS_URL", url.to_owned()));
        // Buckets of this run alone, whatever else the Redis holds.
        env.push((
            "LEVIER_REDIS_KEY_PREFIX",
            format!(
                "levier-bench:{}-{}:",
                std::process::id(),
                chrono::Utc::now().timestamp_millis()
            ),
        ));
    }
    eprintln!(
        "starting the measured server: {budget} units/s, burst {burst} per credential and tenant \
         ({budget_requests:.1} requests/s of a query costing {cost}){} …",
        if redis_url.is_some() {
            ", buckets in Redis"
        } else {
            ""
        }
    );
    let server = Server::start(
        Launch {
            binary,
            database_url: &database.url,
            workers: settings.server_workers,
            log: database.work_dir.join("server.log"),
            env,
        },
        &quiet_http,
    )
    .await?;
    let memory_at_start = server.memory()?;
    let buckets_at_start = server.rate_limit_buckets(&quiet_http).await?;
    let body: Arc<str> = serde_json::to_string(&json!({ "query": QUERY }))
        .context("encoding the query")?
        .into();
    let quiet = Target {
        http: quiet_http.clone(),
        url: server.graphql_url().into(),
        authorization: format!("Bearer {quiet_token}").into(),
        body: Arc::clone(&body),
    };
    let noisy = Target {
        http: noisy_http,
        url: server.graphql_url().into(),
        authorization: format!("Bearer {noisy_token}").into(),
        body,
    };
    let seconds = Duration::from_secs(settings.seconds);

    // Warm-up: connections, the tenants' lookups (cached afterwards), the allocator.
    eprintln!("warm-up: {} quiet requests …", settings.warmup);
    let now = Instant::now();
    let warm_quiet = open_loop::run(
        &quiet,
        Pacing {
            rate_per_second: settings.quiet_rate,
            start: now,
            measure_from: now,
            end: now + Duration::from_secs(3600),
            max_measured: settings.warmup,
        },
    );
    let warm_noisy = open_loop::run(
        &noisy,
        Pacing {
            rate_per_second: 1.0,
            start: now,
            measure_from: now,
            end: now + Duration::from_secs(3600),
            max_measured: 1,
        },
    );
    let (warm_quiet, warm_noisy) = tokio::join!(warm_quiet, warm_noisy);
    for (who, tally) in [("quiet", warm_quiet?), ("noisy", warm_noisy?)] {
        ensure!(
            tally.served == tally.sent,
            "the {who} tenant's warm-up was not served: {:?}; server log:\n{}",
            tally.first_error,
            server.log_tail()
        );
    }
    // Both buckets full again before the first phase.
    tokio::time::sleep(Duration::from_secs_f64(burst as f64 / budget as f64).max(settle)).await;

    eprintln!(
        "phase 1: quiet alone at {} req/s for {} s …",
        settings.quiet_rate, settings.seconds
    );
    let start = Instant::now();
    let quiet_alone = open_loop::run(
        &quiet,
        Pacing {
            rate_per_second: settings.quiet_rate,
            start,
            measure_from: start,
            end: start + seconds,
            max_measured: settings.requests,
        },
    )
    .await?;

    eprintln!(
        "phase 2: noisy at {noisy_rate:.1} req/s, then after {:.1} s quiet at {} req/s beside it for {} s …",
        settle.as_secs_f64(),
        settings.quiet_rate,
        settings.seconds
    );
    let start = Instant::now();
    let window = start + settle;
    let (quiet_with_noisy, noisy_tally) = tokio::join!(
        open_loop::run(
            &quiet,
            Pacing {
                rate_per_second: settings.quiet_rate,
                start: window,
                measure_from: window,
                end: window + seconds,
                max_measured: settings.requests,
            },
        ),
        open_loop::run(
            &noisy,
            Pacing {
                rate_per_second: noisy_rate,
                start,
                measure_from: window,
                end: window + seconds,
                max_measured: settings.requests,
            },
        ),
    );
    let (quiet_with_noisy, noisy_tally) = (quiet_with_noisy?, noisy_tally?);
    let buckets_at_end = server.rate_limit_buckets(&quiet_http).await?;
    let memory_at_end = server.memory()?;
    let exit = server.stop().await?;
    ensure!(
        quiet_alone.sent > 0 && quiet_with_noisy.sent > 0,
        "the quiet tenant sent nothing"
    );

    let quiet_alone = TenantPhase::of(settings.quiet_rate, &quiet_alone);
    let quiet_with_noisy = TenantPhase::of(settings.quiet_rate, &quiet_with_noisy);
    let noisy = TenantPhase::of(noisy_rate, &noisy_tally);
    let quiet_p99_ratio = ratio(quiet_with_noisy.latency.p99_ms, quiet_alone.latency.p99_ms);
    let quiet_p50_ratio = ratio(quiet_with_noisy.latency.p50_ms, quiet_alone.latency.p50_ms);
    Ok(FairnessReport {
        date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        machine,
        engine: database.engine,
        database_url: database.display_url(),
        server_binary: binary.to_path_buf(),
        settings,
        seed_mutations,
        query: QUERY.to_owned(),
        query_cost: cost,
        limits: Limits {
            units_per_second: budget,
            burst,
            requests_per_second: budget_requests,
            buckets_at_start,
            buckets_at_end,
        },
        settle_seconds: settle.as_secs_f64(),
        quiet_alone,
        quiet_with_noisy,
        noisy,
        quiet_p99_ratio,
        quiet_p50_ratio,
        within_goal: quiet_p99_ratio > 0.0 && quiet_p99_ratio <= P99_GOAL_RATIO,
        memory_at_start,
        memory_at_end,
        server_exit: exit.to_string(),
    })
}

/// Fails unless the tenant's answer to [`QUERY`] holds its own seeded data (not the other
/// tenant's too); returns the query's cost from `extensions.cost.requested`.
async fn check_answer(client: &GraphqlClient, dataset: Dataset) -> anyhow::Result<u64> {
    let response = client
        .http
        .post(&client.url)
        .bearer_auth(&client.token)
        .json(&json!({ "query": QUERY }))
        .send()
        .await
        .context("sending the query")?;
    let status = response.status();
    let body: serde_json::Value = response.json().await.context("reading the answer")?;
    ensure!(
        status.is_success() && body.get("errors").is_none(),
        "the query failed ({status}): {body}"
    );
    let plans = &body["data"]["plans"];
    let first = &plans["nodes"][0];
    let found = (
        plans["totalCount"].as_u64(),
        plans["nodes"].as_array().map(Vec::len),
        first["campaigns"]["totalCount"].as_u64(),
        first["campaigns"]["nodes"].as_array().map(Vec::len),
    );
    let expected = (
        Some(dataset.plans as u64),
        Some(dataset.plans.min(PAGE_SIZE)),
        Some(dataset.campaigns_per_plan as u64),
        Some(dataset.campaigns_per_plan.min(PAGE_SIZE)),
    );
    ensure!(
        found == expected,
        "the answer does not match the seeded data: (plans, shown, campaigns, shown) = {found:?}, expected {expected:?}"
    );
    body["extensions"]["cost"]["requested"]
        .as_u64()
        .filter(|&cost| cost > 0)
        .with_context(|| format!("the answer tells no cost: {body}"))
}
