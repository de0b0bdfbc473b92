//! The report: printed for a person, and written as JSON to `bench/results/latest-<engine>.json`.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::Context;
use serde::{Serialize, Serializer};

use crate::{
    bounded::{Latency, Run},
    database::Engine,
    seed::{Dataset, SeedOutcome},
    server::Memory,
};

/// Serializes a duration as fractional seconds.
pub fn seconds<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64())
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// What was asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// Time bound of each measured phase, in seconds.
    pub seconds: u64,
    /// Count bound of the API load (and so of the raw reads).
    pub requests: u64,
    /// Requests (or query sets) in flight at once.
    pub concurrency: usize,
    /// `LEVIER_WORKERS` of the server (`null`: one per core).
    pub server_workers: Option<usize>,
    /// Unmeasured operations run before each measured phase.
    pub warmup_operations: u64,
    /// The seeded data.
    pub dataset: Dataset,
}

/// Where the run happened.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// Cores available to this process.
    pub cores: usize,
    /// Operating system and architecture.
    pub platform: String,
    /// The 1-, 5- and 15-minute load averages before the run (`/proc/loadavg`): anything well
    /// above 0 means other processes shared the cores and the numbers are low.
    pub load_average_before: Option<[f64; 3]>,
}

impl Machine {
    /// This machine, now.
    pub fn current() -> Self {
        Self {
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            platform: format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH),
            load_average_before: load_average(),
        }
    }
}

fn load_average() -> Option<[f64; 3]> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let mut fields = text.split_whitespace().map(str::parse::<f64>);
    Some([
        fields.next()?.ok()?,
        fields.next()?.ok()?,
        fields.next()?.ok()?,
    ])
}

/// The measured phase of one side (API or raw database).
#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    /// Operations completed.
    pub operations: u64,
    /// Operations that failed.
    pub errors: u64,
    /// An example failure.
    pub first_error: Option<String>,
    /// Wall time.
    pub duration_seconds: f64,
    /// Operations per second.
    pub throughput_per_second: f64,
    /// Latency percentiles.
    pub latency: Latency,
    /// SQL statements per operation.
    pub statements_per_operation: f64,
}

impl Phase {
    /// Summarizes a run.
    pub fn of(run: &Run, statements_per_operation: f64) -> Self {
        Self {
            operations: run.completed,
            errors: run.errors,
            first_error: run.first_error.clone(),
            duration_seconds: run.elapsed.as_secs_f64(),
            throughput_per_second: run.throughput(),
            latency: run.latency(),
            statements_per_operation,
        }
    }
}

/// The API side.
#[derive(Debug, Clone, Serialize)]
pub struct ApiPhase {
    /// Requests, errors, throughput, latency.
    #[serde(flatten)]
    pub phase: Phase,
    /// Mean size of a successful response body, in bytes.
    pub response_bytes_mean: f64,
    /// Server memory right after it became ready (empty database).
    pub memory_at_start: Memory,
    /// Server memory at the end of the load; `peak_rss_kib` is `VmHWM`.
    pub memory_at_end: Memory,
    /// How the server exited after SIGTERM.
    pub server_exit: String,
}

/// The raw database side.
#[derive(Debug, Clone, Serialize)]
pub struct RawPhase {
    /// Query sets, errors, throughput, latency.
    #[serde(flatten)]
    pub phase: Phase,
    /// Rows assembled per query set (plans, campaigns, levers and personas shown).
    pub rows_per_operation: f64,
}

/// Everything a run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// When the run ended (UTC, RFC 3339).
    pub date: String,
    /// The machine.
    pub machine: Machine,
    /// The database engine.
    pub engine: Engine,
    /// The database (password hidden).
    pub database_url: String,
    /// The server executable.
    pub server_binary: PathBuf,
    /// What was asked for.
    pub settings: Settings,
    /// Seeding through the API.
    pub seed: SeedOutcome,
    /// The GraphQL query over HTTP.
    pub api: ApiPhase,
    /// The same reads straight from the database.
    pub raw: RawPhase,
    /// API throughput divided by raw throughput.
    pub api_to_raw_throughput_ratio: f64,
}

impl Report {
    /// The report as text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let settings = &self.settings;
        let dataset = &settings.dataset;
        let api = &self.api;
        let raw = &self.raw;
        let latency = Latency::summary;
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "Levier benchmark on {} — {} — {} cores, {}",
            self.engine.name(),
            self.date,
            self.machine.cores,
            self.machine.platform
        );
        if let Some([one, five, fifteen]) = self.machine.load_average_before {
            let _ = writeln!(
                out,
                "load average before the run: {one:.2} {five:.2} {fifteen:.2} (other work on the cores lowers every number)"
            );
        }
        let _ = writeln!(
            out,
            "settings: stop at {} s or {} requests, concurrency {}, server workers {}, warm-up {} operations",
            settings.seconds,
            settings.requests,
            settings.concurrency,
            settings
                .server_workers
                .map_or("one per core".to_owned(), |w| w.to_string()),
            settings.warmup_operations
        );
        let _ = writeln!(
            out,
            "dataset:  {} plans x {} campaigns, {} personas — {} mutations through the API in {:.1} s",
            dataset.plans,
            dataset.campaigns_per_plan,
            dataset.personas,
            self.seed.mutations,
            self.seed.duration.as_secs_f64()
        );
        let _ = writeln!(
            out,
            "\nAPI: POST /graphql, plans(first: 20) with campaigns(first: 20), levers and personas"
        );
        let _ = writeln!(
            out,
            "  requests     {} in {:.2} s, errors {}",
            api.phase.operations, api.phase.duration_seconds, api.phase.errors
        );
        let _ = writeln!(
            out,
            "  throughput   {:.1} req/s",
            api.phase.throughput_per_second
        );
        let _ = writeln!(out, "  latency ms   {}", latency(&api.phase.latency));
        let _ = writeln!(
            out,
            "  per request  {:.1} KiB of JSON, {:.0} SQL statements",
            api.response_bytes_mean / 1024.0,
            api.phase.statements_per_operation
        );
        let _ = writeln!(
            out,
            "  server RSS   peak (VmHWM) {:.1} MiB, at end (VmRSS) {:.1} MiB, at start {:.1} MiB",
            mib(api.memory_at_end.peak_rss_kib),
            mib(api.memory_at_end.rss_kib),
            mib(api.memory_at_start.rss_kib)
        );
        let _ = writeln!(out, "  server exit  {}", api.server_exit);
        let _ = writeln!(
            out,
            "\nraw database: the same statements through SeaORM, no HTTP, GraphQL or JSON"
        );
        let _ = writeln!(
            out,
            "  query sets   {} in {:.2} s, errors {}",
            raw.phase.operations, raw.phase.duration_seconds, raw.phase.errors
        );
        let _ = writeln!(
            out,
            "  throughput   {:.1} query sets/s",
            raw.phase.throughput_per_second
        );
        let _ = writeln!(out, "  latency ms   {}", latency(&raw.phase.latency));
        let _ = writeln!(
            out,
            "  per set      {:.0} SQL statements, {:.0} rows",
            raw.phase.statements_per_operation, raw.rows_per_operation
        );
        let _ = writeln!(
            out,
            "\nAPI / raw throughput: {:.3} (the API serves {:.1} % of the raw database's rate)",
            self.api_to_raw_throughput_ratio,
            self.api_to_raw_throughput_ratio * 100.0
        );
        for (side, phase) in [("API", &api.phase), ("raw", &raw.phase)] {
            if let Some(error) = &phase.first_error {
                let _ = writeln!(out, "first {side} error: {error}");
            }
        }
        out
    }

    /// Writes the report as pretty JSON to `directory/latest-<engine>.json`.
    pub fn write_json(&self, directory: &Path) -> anyhow::Result<PathBuf> {
        std::fs::create_dir_all(directory)
            .with_context(|| format!("creating {}", directory.display()))?;
        let path = directory.join(format!("latest-{}.json", self.engine.name()));
        let json = serde_json::to_string_pretty(self).context("serializing the report")?;
        std::fs::write(&path, json + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }
}
