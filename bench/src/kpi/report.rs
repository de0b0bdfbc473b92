//! The KPI scenario's report: printed for a person, and written as JSON to
//! `bench/results/latest-kpi-<engine>.json`.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use anyhow::Context;
use serde::Serialize;

use super::series::Agreement;
use crate::{
    bounded::{Latency, Run},
    database::Engine,
    report::{Machine, Phase},
    seed::SeedOutcome,
    server::Memory,
};

/// What was asked for.
#[derive(Debug, Clone, Serialize)]
pub struct KpiSettings {
    /// Measurements seeded.
    pub measurements: u64,
    /// The ratio KPI read.
    pub kpi: String,
    /// Count bound of the series runs (each side).
    pub series_runs: u64,
    /// Rows sent through ingestion (each side), at most.
    pub rows: u64,
    /// Rows per batch.
    pub batch_size: u64,
    /// Batches re-sent to measure updates (each side), at most.
    pub update_batches: u64,
    /// Time bound of each measured phase, in seconds.
    pub seconds: u64,
    /// Series requests, and ingestion batches on PostgreSQL, in flight at once.
    pub concurrency: usize,
    /// Ingestion batches in flight at once.
    pub ingest_concurrency: usize,
    /// Unmeasured series runs before each measured series phase.
    pub warmup: u64,
    /// `LEVIER_WORKERS` of the server (`null`: one per core).
    pub server_workers: Option<usize>,
}

/// A timed bulk write.
#[derive(Debug, Clone, Serialize)]
pub struct Seeding {
    /// Rows written.
    pub rows: u64,
    /// Wall time, in seconds.
    pub duration_seconds: f64,
    /// Rows per second.
    pub rows_per_second: f64,
}

/// Both sides of the series read.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesReport {
    /// The API: requests of `kpiSeries`.
    pub api: Phase,
    /// Mean response size, in bytes.
    pub response_bytes_mean: f64,
    /// The grouped SQL on the database.
    pub raw: Phase,
    /// How the answers compare.
    pub agreement: Agreement,
    /// API mean latency / raw mean latency.
    pub mean_latency_ratio: f64,
    /// API p50 / raw p50.
    pub p50_latency_ratio: f64,
}

/// One side of an ingestion phase.
#[derive(Debug, Clone, Serialize)]
pub struct IngestPhase {
    /// Batches: count, errors, latency per batch.
    #[serde(flatten)]
    pub batches: Phase,
    /// Rows written.
    pub rows: u64,
    /// Rows per second.
    pub rows_per_second: f64,
}

impl IngestPhase {
    /// Summarizes a run whose volume is the rows written.
    pub fn of(run: &Run) -> Self {
        let seconds = run.elapsed.as_secs_f64();
        Self {
            batches: Phase::of(run, 1.0),
            rows: run.volume,
            rows_per_second: if seconds > 0.0 {
                run.volume as f64 / seconds
            } else {
                0.0
            },
        }
    }
}

/// Both sides of an ingestion phase.
#[derive(Debug, Clone, Serialize)]
pub struct IngestReport {
    /// Through `recordMeasurements`.
    pub api: IngestPhase,
    /// Through raw multi-row statements.
    pub raw: IngestPhase,
    /// API rows/s / raw rows/s.
    pub rows_per_second_ratio: f64,
}

impl IngestReport {
    /// Puts both sides together.
    pub fn of(api: &Run, raw: &Run) -> Self {
        let api = IngestPhase::of(api);
        let raw = IngestPhase::of(raw);
        Self {
            rows_per_second_ratio: ratio(api.rows_per_second, raw.rows_per_second),
            api,
            raw,
        }
    }
}

/// The floor of ingestion on PostgreSQL: the same new rows written with `COPY`, batch by batch
/// at the same concurrency, against `recordMeasurements`.
#[derive(Debug, Clone, Serialize)]
pub struct CopyFloor {
    /// Through `COPY … FROM STDIN`, one per batch.
    pub copy: IngestPhase,
    /// API rows/s / `COPY` rows/s.
    pub api_to_copy_ratio: f64,
}

impl CopyFloor {
    /// `copy`'s figures against the API's rows/s.
    pub fn of(api: &IngestPhase, copy: &Run) -> Self {
        let copy = IngestPhase::of(copy);
        Self {
            api_to_copy_ratio: ratio(api.rows_per_second, copy.rows_per_second),
            copy,
        }
    }
}

/// `a / b`, 0 when `b` is 0.
pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// Everything the KPI scenario measured.
#[derive(Debug, Clone, Serialize)]
pub struct KpiReport {
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
    pub settings: KpiSettings,
    /// The plan and campaigns created through the API.
    pub api_seed: SeedOutcome,
    /// The measurements written with raw `INSERT`s before the reads.
    pub seed: Seeding,
    /// The series read by MONTH × LEVER.
    pub series: SeriesReport,
    /// The series read by DAY × CAMPAIGN of the plan.
    pub day_campaign_series: SeriesReport,
    /// New rows.
    pub ingest: IngestReport,
    /// The same rows re-sent with new values.
    pub update: Option<IngestReport>,
    /// The new rows written with `COPY` (PostgreSQL only).
    pub copy_floor: Option<CopyFloor>,
    /// Statements the API runs for one `kpiSeries` request (MONTH × LEVER).
    pub series_statements_per_request: u64,
    /// Statements the API runs for one `kpiSeries` request (DAY × CAMPAIGN).
    pub day_campaign_statements_per_request: u64,
    /// Server memory right after start.
    pub memory_at_start: Memory,
    /// Server memory after the series phase.
    pub memory_after_series: Memory,
    /// Server memory at the end; `peak_rss_kib` is `VmHWM` over the whole run.
    pub memory_at_end: Memory,
    /// How the server exited after SIGTERM.
    pub server_exit: String,
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn latency(l: &Latency) -> String {
    format!(
        "{:.1} / {:.1} / {:.1} / {:.1} ms",
        l.p50_ms, l.p99_ms, l.max_ms, l.mean_ms
    )
}

impl KpiReport {
    /// The report as text: a table with the API and raw sides of every phase.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let s = &self.settings;
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "Levier KPI benchmark on {} — {} — {} cores, {}",
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
            "settings: {} measurements, kpiSeries of `{}` MONTH x LEVER over 2027 ({} runs or {} s, concurrency {}), \
             ingestion of {} rows in batches of {} ({} in flight), {} batches re-sent, warm-up {}",
            s.measurements,
            s.kpi,
            s.series_runs,
            s.seconds,
            s.concurrency,
            s.rows,
            s.batch_size,
            s.ingest_concurrency,
            s.update_batches,
            s.warmup
        );
        let _ = writeln!(
            out,
            "seed: plan and {} campaigns through the API in {:.2} s; {} measurements by raw INSERT in {:.1} s ({:.0} rows/s)",
            self.api_seed.mutations.saturating_sub(1),
            self.api_seed.duration.as_secs_f64(),
            self.seed.rows,
            self.seed.duration_seconds,
            self.seed.rows_per_second
        );
        let series = &self.series;
        let _ = writeln!(
            out,
            "\nkpiSeries({}, MONTH, groupBy LEVER): {} points, equal to the raw GROUP BY's (largest difference {}); {} SQL statements per request, {:.1} KiB of JSON",
            s.kpi,
            series.agreement.points,
            series.agreement.max_difference,
            self.series_statements_per_request,
            series.response_bytes_mean / 1024.0
        );
        let _ = writeln!(
            out,
            "\n| | API | raw database | API / raw |\n|---|---|---|---|"
        );
        let _ = writeln!(
            out,
            "| series runs (errors) | {} ({}) in {:.1} s | {} ({}) in {:.1} s | |",
            series.api.operations,
            series.api.errors,
            series.api.duration_seconds,
            series.raw.operations,
            series.raw.errors,
            series.raw.duration_seconds
        );
        let _ = writeln!(
            out,
            "| series latency p50 / p99 / max / mean | {} | {} | p50 {:.2}, mean {:.2} |",
            latency(&series.api.latency),
            latency(&series.raw.latency),
            series.p50_latency_ratio,
            series.mean_latency_ratio
        );
        let day = &self.day_campaign_series;
        let _ = writeln!(
            out,
            "| DAY × CAMPAIGN of the plan: {} points, equal (largest difference {}), {} statements, {:.1} KiB | {} ({}) in {:.1} s | {} ({}) in {:.1} s | |",
            day.agreement.points,
            day.agreement.max_difference,
            self.day_campaign_statements_per_request,
            day.response_bytes_mean / 1024.0,
            day.api.operations,
            day.api.errors,
            day.api.duration_seconds,
            day.raw.operations,
            day.raw.errors,
            day.raw.duration_seconds
        );
        let _ = writeln!(
            out,
            "| DAY × CAMPAIGN latency p50 / p99 / max / mean | {} | {} | p50 {:.2}, mean {:.2} |",
            latency(&day.api.latency),
            latency(&day.raw.latency),
            day.p50_latency_ratio,
            day.mean_latency_ratio
        );
        for (name, report) in [
            ("ingestion (new rows)", Some(&self.ingest)),
            ("re-sent rows (updates)", self.update.as_ref()),
        ] {
            let Some(report) = report else { continue };
            let _ = writeln!(
                out,
                "| {name}: rows (batch errors) | {} ({}) in {:.1} s | {} ({}) in {:.1} s | |",
                report.api.rows,
                report.api.batches.errors,
                report.api.batches.duration_seconds,
                report.raw.rows,
                report.raw.batches.errors,
                report.raw.batches.duration_seconds
            );
            let _ = writeln!(
                out,
                "| {name}: rows/s | {:.0} | {:.0} | {:.3} |",
                report.api.rows_per_second,
                report.raw.rows_per_second,
                report.rows_per_second_ratio
            );
            let _ = writeln!(
                out,
                "| {name}: batch latency p50 / p99 / max / mean | {} | {} | |",
                latency(&report.api.batches.latency),
                latency(&report.raw.batches.latency)
            );
        }
        if let Some(floor) = &self.copy_floor {
            let _ = writeln!(
                out,
                "| ingestion (new rows): rows/s, API against `COPY` ({} in flight) | {:.0} | {:.0} | {:.3} |",
                s.ingest_concurrency,
                self.ingest.api.rows_per_second,
                floor.copy.rows_per_second,
                floor.api_to_copy_ratio
            );
        }
        let _ = writeln!(
            out,
            "\nserver RSS: at start {:.1} MiB, after the series {:.1} MiB, peak (VmHWM) {:.1} MiB; after SIGTERM: {}",
            mib(self.memory_at_start.rss_kib),
            mib(self.memory_after_series.rss_kib),
            mib(self.memory_at_end.peak_rss_kib),
            self.server_exit
        );
        let _ = writeln!(
            out,
            "\nratios: a kpiSeries request takes {:.2}x the time of the raw GROUP BY (mean), \
             {:.2}x by DAY × CAMPAIGN of the plan (p50 {:.1} ms, the issue's bound 100 ms); \
             recordMeasurements ingests {:.1} % of the raw INSERT's rows/s{}{}",
            series.mean_latency_ratio,
            day.mean_latency_ratio,
            day.api.latency.p50_ms,
            self.ingest.rows_per_second_ratio * 100.0,
            self.copy_floor
                .as_ref()
                .map_or(String::new(), |floor| format!(
                    " ({:.1} % of COPY's)",
                    floor.api_to_copy_ratio * 100.0
                )),
            self.update.as_ref().map_or(String::new(), |update| format!(
                " and updates at {:.1} % of the raw upsert's",
                update.rows_per_second_ratio * 100.0
            ))
        );
        let phases = [
            ("series API", &series.api),
            ("series raw", &series.raw),
            ("DAY × CAMPAIGN API", &day.api),
            ("DAY × CAMPAIGN raw", &day.raw),
            ("ingestion API", &self.ingest.api.batches),
            ("ingestion raw", &self.ingest.raw.batches),
        ];
        for (side, phase) in phases {
            if let Some(error) = &phase.first_error {
                let _ = writeln!(out, "first {side} error: {error}");
            }
        }
        if let Some(update) = &self.update {
            for (side, phase) in [("update API", &update.api), ("update raw", &update.raw)] {
                if let Some(error) = &phase.batches.first_error {
                    let _ = writeln!(out, "first {side} error: {error}");
                }
            }
        }
        out
    }

    /// Writes the report as pretty JSON to `directory/latest-kpi-<engine>.json`.
    pub fn write_json(&self, directory: &Path) -> anyhow::Result<PathBuf> {
        std::fs::create_dir_all(directory)
            .with_context(|| format!("creating {}", directory.display()))?;
        let path = directory.join(format!("latest-kpi-{}.json", self.engine.name()));
        let json = serde_json::to_string_pretty(self).context("serializing the report")?;
        std::fs::write(&path, json + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::ratio;

    #[test]
    fn ratios_guard_a_zero_denominator() {
        assert!((ratio(50.0, 200.0) - 0.25).abs() < 1e-12);
        assert!(ratio(5.0, 0.0).abs() < f64::EPSILON);
    }
}
