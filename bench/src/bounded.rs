//! The bounded closed-loop runner shared by the API load and the raw database reads: a fixed
//! number of tokio tasks, each running one operation after the other, until a time limit or a
//! total count is reached — whichever comes first. Every operation's latency goes into an HDR
//! histogram (microseconds).

use std::{
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::Context;
use hdrhistogram::Histogram;
use serde::Serialize;

/// The largest latency the histograms record exactly (longer ones are clamped): one minute.
const HIGHEST_MICROS: u64 = 60_000_000;

/// When to stop.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// No operation starts after this much time.
    pub duration: Duration,
    /// No more operations than this start in total.
    pub operations: u64,
    /// Operations in flight at once (one task each).
    pub concurrency: usize,
}

/// The result of one operation: the bytes or rows it produced, or why it failed.
pub type Outcome = Result<u64, String>;

/// What a run did.
pub struct Run {
    /// Operations completed (successful or not).
    pub completed: u64,
    /// Operations that failed.
    pub errors: u64,
    /// The first failure, as an example.
    pub first_error: Option<String>,
    /// Sum of what the successful operations produced (bytes or rows).
    pub volume: u64,
    /// From the first start to the last completion.
    pub elapsed: Duration,
    /// Latency of every operation, in microseconds.
    pub latency: Histogram<u64>,
}

/// A summary of a latency histogram, in milliseconds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Latency {
    /// Median.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
    /// Mean.
    pub mean_ms: f64,
}

impl Run {
    /// Completed operations per second.
    pub fn throughput(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.completed as f64 / seconds
        } else {
            0.0
        }
    }

    /// The latency percentiles.
    pub fn latency(&self) -> Latency {
        Latency::of(&self.latency)
    }
}

impl Latency {
    /// The summary as the reports print it: `p50 … p90 … p99 … max … (mean …)`, in ms.
    pub fn summary(&self) -> String {
        format!(
            "p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}  (mean {:.2})",
            self.p50_ms, self.p90_ms, self.p99_ms, self.max_ms, self.mean_ms
        )
    }

    /// The percentiles of a histogram of microseconds.
    pub fn of(histogram: &Histogram<u64>) -> Self {
        let ms = |micros: u64| micros as f64 / 1000.0;
        Self {
            p50_ms: ms(histogram.value_at_quantile(0.50)),
            p90_ms: ms(histogram.value_at_quantile(0.90)),
            p99_ms: ms(histogram.value_at_quantile(0.99)),
            max_ms: ms(histogram.max()),
            mean_ms: histogram.mean() / 1000.0,
        }
    }
}

struct TaskResult {
    completed: u64,
    errors: u64,
    first_error: Option<String>,
    volume: u64,
    latency: Histogram<u64>,
}

/// An empty latency histogram: microseconds from 1 to a minute, 3 significant digits.
pub fn histogram() -> anyhow::Result<Histogram<u64>> {
    Histogram::new_with_bounds(1, HIGHEST_MICROS, 3).context("creating a latency histogram")
}

/// Records `latency` in microseconds (clamped to the histogram's range).
pub fn record(histogram: &mut Histogram<u64>, latency: Duration) {
    let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
    histogram.saturating_record(micros.clamp(1, HIGHEST_MICROS));
}

/// Runs `operation` in `bounds.concurrency` tasks until `bounds.duration` has passed or
/// `bounds.operations` have started. Operations in flight at the deadline are waited for.
pub async fn run<F, Fut>(bounds: Bounds, operation: F) -> anyhow::Result<Run>
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Outcome> + Send,
{
    let started_count = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + bounds.duration;
    let mut tasks = Vec::with_capacity(bounds.concurrency);
    for _ in 0..bounds.concurrency.max(1) {
        let operation = operation.clone();
        let started_count = Arc::clone(&started_count);
        let mut result = TaskResult {
            completed: 0,
            errors: 0,
            first_error: None,
            volume: 0,
            latency: histogram()?,
        };
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline
                && started_count.fetch_add(1, Ordering::Relaxed) < bounds.operations
            {
                let begun = Instant::now();
                let outcome = operation().await;
                record(&mut result.latency, begun.elapsed());
                result.completed += 1;
                match outcome {
                    Ok(volume) => result.volume += volume,
                    Err(error) => {
                        result.errors += 1;
                        result.first_error.get_or_insert(error);
                    }
                }
            }
            result
        }));
    }
    let mut run = Run {
        completed: 0,
        errors: 0,
        first_error: None,
        volume: 0,
        elapsed: Duration::ZERO,
        latency: histogram()?,
    };
    for task in tasks {
        let result = task.await.context("a load task panicked")?;
        run.completed += result.completed;
        run.errors += result.errors;
        run.volume += result.volume;
        if run.first_error.is_none() {
            run.first_error = result.first_error;
        }
        run.latency
            .add(&result.latency)
            .context("merging latency histograms")?;
    }
    run.elapsed = started.elapsed();
    Ok(run)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{Bounds, run};

    #[tokio::test]
    async fn stops_at_the_operation_bound() {
        let bounds = Bounds {
            duration: Duration::from_secs(30),
            operations: 25,
            concurrency: 4,
        };
        let result = run(bounds, || async { Ok(2) }).await.ok();
        assert_eq!(result.as_ref().map(|r| r.completed), Some(25));
        assert_eq!(result.as_ref().map(|r| r.volume), Some(50));
    }

    #[tokio::test]
    async fn stops_at_the_time_bound() {
        let bounds = Bounds {
            duration: Duration::from_millis(50),
            operations: u64::MAX,
            concurrency: 2,
        };
        let result = run(bounds, || async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            Err("always fails".to_owned())
        })
        .await
        .ok();
        let completed = result.as_ref().map_or(0, |r| r.completed);
        assert!((2..=40).contains(&completed), "{completed}");
        assert_eq!(result.as_ref().map(|r| r.errors), Some(completed));
    }
}
