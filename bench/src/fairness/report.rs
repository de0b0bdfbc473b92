//! The noisy-neighbour scenario's report: printed for a person, and written as JSON to
//! `bench/results/latest-fairness-<engine>[-redis].json`.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use anyhow::Context;
use serde::Serialize;

use super::open_loop::Tally;
use crate::{bounded::Latency, database::Engine, report::Machine, seed::Dataset, server::Memory};

/// The most the quiet tenant's p99 may grow when the noisy one joins (issue 11): 20 %.
pub const P99_GOAL_RATIO: f64 = 1.20;

/// What was asked for.
#[derive(Debug, Clone, Serialize)]
pub struct FairnessSettings {
    /// Length of each measured phase, in seconds.
    pub seconds: u64,
    /// Count bound of each tenant's measured requests in a phase.
    pub requests: u64,
    /// The quiet tenant's rate, in requests per second.
    pub quiet_rate: f64,
    /// The noisy tenant sends this many times its budget.
    pub noisy_factor: f64,
    /// `--budget`, when given (cost units per second).
    pub budget: Option<u64>,
    /// `--burst`, when given (cost units).
    pub burst: Option<u64>,
    /// Unmeasured requests of the quiet tenant before the first phase.
    pub warmup: u64,
    /// `LEVIER_WORKERS` of the server (`null`: one per core).
    pub server_workers: Option<usize>,
    /// The data seeded in each tenant.
    pub dataset: Dataset,
    /// Whether the buckets were in Redis (`--redis-url`).
    pub redis: bool,
}

/// The rate limits the measured server ran with.
#[derive(Debug, Clone, Serialize)]
pub struct Limits {
    /// Cost units a credential, and a tenant, regain each second.
    pub units_per_second: u64,
    /// Most cost units a credential, and a tenant, spend at once.
    pub burst: u64,
    /// The same budget in requests of the query per second.
    pub requests_per_second: f64,
    /// `/readyz`'s `rateLimits` right after startup.
    pub buckets_at_start: serde_json::Value,
    /// `/readyz`'s `rateLimits` after the load (`fallback` would mean Redis failed).
    pub buckets_at_end: serde_json::Value,
}

/// One tenant in one phase.
#[derive(Debug, Clone, Serialize)]
pub struct TenantPhase {
    /// The rate it sent at, in requests per second.
    pub rate: f64,
    /// Counted requests sent.
    pub sent: u64,
    /// Answered 200 without errors.
    pub served: u64,
    /// Refused with 429 `RATE_LIMITED`.
    pub limited: u64,
    /// Any other answer.
    pub errors: u64,
    /// The first such answer.
    pub first_error: Option<String>,
    /// Requests sent before the measured window.
    pub unmeasured: u64,
    /// The measured window, in seconds.
    pub window_seconds: f64,
    /// Served requests per second of the window.
    pub served_per_second: f64,
    /// Latency of every counted request, from its scheduled instant to its answer.
    pub latency: Latency,
    /// Latency of the refusals alone (`null` without refusals).
    pub limited_latency: Option<Latency>,
}

impl TenantPhase {
    /// Summarizes an open-loop tally.
    pub fn of(rate: f64, tally: &Tally) -> Self {
        Self {
            rate,
            sent: tally.sent,
            served: tally.served,
            limited: tally.limited,
            errors: tally.errors,
            first_error: tally.first_error.clone(),
            unmeasured: tally.unmeasured,
            window_seconds: tally.elapsed.as_secs_f64(),
            served_per_second: tally.served_per_second(),
            latency: Latency::of(&tally.latency),
            limited_latency: (tally.limited > 0).then(|| Latency::of(&tally.limited_latency)),
        }
    }

    /// Share of the counted requests refused with 429.
    pub fn limited_share(&self) -> f64 {
        ratio(self.limited as f64, self.sent as f64)
    }
}

/// `a / b`, or 0 when `b` is 0.
pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// Everything the scenario measured.
#[derive(Debug, Clone, Serialize)]
pub struct FairnessReport {
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
    pub settings: FairnessSettings,
    /// Mutations sent to seed both tenants.
    pub seed_mutations: usize,
    /// The query both tenants send.
    pub query: String,
    /// Its cost, as the server reports it in `extensions.cost.requested`.
    pub query_cost: u64,
    /// The limits of the measured server.
    pub limits: Limits,
    /// Time the noisy tenant sent before the second phase's window opened, to spend its burst.
    pub settle_seconds: f64,
    /// Phase 1: the quiet tenant alone.
    pub quiet_alone: TenantPhase,
    /// Phase 2: the quiet tenant while the noisy one sends.
    pub quiet_with_noisy: TenantPhase,
    /// Phase 2: the noisy tenant, over the same window.
    pub noisy: TenantPhase,
    /// Quiet p99 with the noisy tenant / quiet p99 alone.
    pub quiet_p99_ratio: f64,
    /// Quiet p50 with the noisy tenant / quiet p50 alone.
    pub quiet_p50_ratio: f64,
    /// Whether `quiet_p99_ratio` is at most [`P99_GOAL_RATIO`].
    pub within_goal: bool,
    /// Server memory right after it became ready.
    pub memory_at_start: Memory,
    /// Server memory after the load; `peak_rss_kib` is `VmHWM`.
    pub memory_at_end: Memory,
    /// How the server exited after SIGTERM.
    pub server_exit: String,
}

impl FairnessReport {
    /// The report as text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let settings = &self.settings;
        let limits = &self.limits;
        let latency = Latency::summary;
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "Levier noisy-neighbour benchmark on {}{} — {} — {} cores, {}",
            self.engine.name(),
            if settings.redis {
                " (buckets in Redis)"
            } else {
                ""
            },
            self.date,
            self.machine.cores,
            self.machine.platform
        );
        if let Some([one, five, fifteen]) = self.machine.load_average_before {
            let _ = writeln!(
                out,
                "load average before the run: {one:.2} {five:.2} {fifteen:.2} (other work on the cores moves every number)"
            );
        }
        let _ = writeln!(
            out,
            "query:    {} — cost {} (extensions.cost.requested)",
            self.query, self.query_cost
        );
        let _ = writeln!(
            out,
            "dataset:  {} plans x {} campaigns, {} personas in each tenant — {} mutations",
            settings.dataset.plans,
            settings.dataset.campaigns_per_plan,
            settings.dataset.personas,
            self.seed_mutations
        );
        let _ = writeln!(
            out,
            "limits:   {} units/s, burst {}, per credential and per tenant = {:.1} requests/s of the query; buckets {} at start, {} at end",
            limits.units_per_second,
            limits.burst,
            limits.requests_per_second,
            limits.buckets_at_start,
            limits.buckets_at_end
        );
        let _ = writeln!(
            out,
            "load:     quiet {:.1} req/s, noisy {:.1} req/s ({}x its budget), open loop; phases of {} s (or {} requests), server workers {}",
            settings.quiet_rate,
            self.noisy.rate,
            settings.noisy_factor,
            settings.seconds,
            settings.requests,
            settings
                .server_workers
                .map_or("one per core".to_owned(), |w| w.to_string())
        );
        for (title, phase) in [
            ("phase 1, quiet alone", &self.quiet_alone),
            ("phase 2, quiet with noisy", &self.quiet_with_noisy),
        ] {
            let _ = writeln!(out, "\n{title}");
            let _ = writeln!(
                out,
                "  requests     {} in {:.2} s: served {}, limited {}, errors {}",
                phase.sent, phase.window_seconds, phase.served, phase.limited, phase.errors
            );
            let _ = writeln!(out, "  latency ms   {}", latency(&phase.latency));
        }
        let noisy = &self.noisy;
        let _ = writeln!(
            out,
            "\nphase 2, noisy (after {:.1} s spending its burst, {} requests not counted)",
            self.settle_seconds, noisy.unmeasured
        );
        let _ = writeln!(
            out,
            "  requests     {} in {:.2} s: served {} ({:.1}/s; the budget allows {:.1}/s), limited {} ({:.1} %), errors {}",
            noisy.sent,
            noisy.window_seconds,
            noisy.served,
            noisy.served_per_second,
            limits.requests_per_second,
            noisy.limited,
            noisy.limited_share() * 100.0,
            noisy.errors
        );
        let _ = writeln!(out, "  latency ms   {}", latency(&noisy.latency));
        if let Some(refusals) = &noisy.limited_latency {
            let _ = writeln!(out, "  refusals ms  {}", latency(refusals));
        }
        let _ = writeln!(
            out,
            "\nquiet p99 with / without the noisy tenant: {:.3} ({:+.1} %; goal at most {:+.0} %: {})",
            self.quiet_p99_ratio,
            (self.quiet_p99_ratio - 1.0) * 100.0,
            (P99_GOAL_RATIO - 1.0) * 100.0,
            if self.within_goal { "met" } else { "NOT met" }
        );
        let _ = writeln!(
            out,
            "quiet p50 with / without the noisy tenant: {:.3} ({:+.1} %)",
            self.quiet_p50_ratio,
            (self.quiet_p50_ratio - 1.0) * 100.0
        );
        let _ = writeln!(
            out,
            "server RSS   peak (VmHWM) {:.1} MiB, at start {:.1} MiB; exit {}",
            self.memory_at_end.peak_rss_kib as f64 / 1024.0,
            self.memory_at_start.rss_kib as f64 / 1024.0,
            self.server_exit
        );
        for (who, phase) in [
            ("quiet (alone)", &self.quiet_alone),
            ("quiet (with noisy)", &self.quiet_with_noisy),
            ("noisy", noisy),
        ] {
            if let Some(error) = &phase.first_error {
                let _ = writeln!(out, "first {who} error: {error}");
            }
        }
        out
    }

    /// Writes the report as pretty JSON to
    /// `directory/latest-fairness-<engine>[-redis].json`.
    pub fn write_json(&self, directory: &Path) -> anyhow::Result<PathBuf> {
        std::fs::create_dir_all(directory)
            .with_context(|| format!("creating {}", directory.display()))?;
        let suffix = if self.settings.redis { "-redis" } else { "" };
        let path = directory.join(format!(
            "latest-fairness-{}{suffix}.json",
            self.engine.name()
        ));
        let json = serde_json::to_string_pretty(self).context("serializing the report")?;
        std::fs::write(&path, json + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }
}
