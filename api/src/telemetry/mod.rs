//! What the server tells its operators: log lines (text or JSON, filtered by `RUST_LOG`,
//! default `info`) and, when an OTLP endpoint is configured, OpenTelemetry traces of its
//! requests. Request ids come from `tracing-actix-web`'s root span, wrapped around every
//! request ([`RequestSpan`]), which also adopts the caller's W3C `traceparent`.
//!
//! - `otlp`: the trace exporter and its flush on shutdown;
//! - `root_span`: the request's span, parented to the caller's trace;
//! - `statement`: what is told of each SQL statement (slow warning, span), without values.

mod otlp;
mod root_span;
pub mod statement;

use std::io::IsTerminal;

use opentelemetry_sdk::trace::SdkTracerProvider;
use thiserror::Error;
use tracing::Subscriber;
use tracing_subscriber::{
    EnvFilter, Layer, filter::LevelFilter, fmt, fmt::MakeWriter, prelude::*, registry::LookupSpan,
};

pub use root_span::RequestSpan;

use crate::config::{LogFormat, TelemetryConfig};

/// Why telemetry cannot start.
#[derive(Debug, Error)]
pub enum TelemetryError {
    /// The OTLP exporter cannot be built from its settings.
    #[error("OpenTelemetry exporter: {0}")]
    Exporter(#[from] opentelemetry_otlp::ExporterBuildError),
}

/// The running telemetry. Dropping it — when the server has stopped — flushes the spans not
/// yet exported and stops the exporter.
#[must_use = "dropping it stops the trace exporter"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take() {
            otlp::shutdown(provider);
        }
    }
}

/// Installs the global subscriber: the log layer, and the trace layer when an endpoint is
/// configured. Installed once per process; a later call (tests start many apps) changes
/// nothing and exports nothing.
pub fn init(format: LogFormat, config: &TelemetryConfig) -> Result<Telemetry, TelemetryError> {
    let colour = use_colour(config.no_color, std::io::stdout().is_terminal());
    let logs = log_layer(format, colour, std::io::stdout)
        .with_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")));
    let provider = config.traces.as_ref().map(otlp::provider).transpose()?;
    // Spans go to the collector at `info` whatever `RUST_LOG` keeps in the log: the request,
    // GraphQL and statement spans are all `info`.
    let traces = provider.as_ref().map(|provider| {
        tracing_opentelemetry::layer()
            .with_tracer(otlp::tracer_of(provider))
            .with_filter(LevelFilter::INFO)
    });
    let installed = tracing_subscriber::registry()
        .with(logs)
        .with(traces)
        .try_init()
        .is_ok();
    let provider = provider.filter(|_| installed);
    if let (Some(provider), Some(traces)) = (&provider, &config.traces) {
        otlp::install(provider);
        tracing::info!(
            endpoint = %traces.endpoint,
            service = %traces.service_name,
            "exporting traces over OTLP/HTTP"
        );
    }
    Ok(Telemetry { provider })
}

/// Colour codes only for a person at a terminal, and never under `NO_COLOR`: in a file or a
/// collector they are noise.
fn use_colour(no_color: bool, is_terminal: bool) -> bool {
    is_terminal && !no_color
}

/// The log layer: human-readable lines (coloured when `colour`), or one JSON object per line
/// with the event's fields at the top level and its spans' fields (the request id among them)
/// under `span` and `spans`.
fn log_layer<S, W>(format: LogFormat, colour: bool, writer: W) -> Box<dyn Layer<S> + Send + Sync>
where
    S: Subscriber + for<'span> LookupSpan<'span>,
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    match format {
        LogFormat::Text => fmt::layer().with_ansi(colour).with_writer(writer).boxed(),
        LogFormat::Json => fmt::layer()
            .json()
            .flatten_event(true)
            .with_ansi(false)
            .with_writer(writer)
            .boxed(),
    }
}

#[cfg(test)]
mod tests;
