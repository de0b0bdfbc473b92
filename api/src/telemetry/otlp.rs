//! The OpenTelemetry trace exporter: spans batched and posted as protobuf over HTTP to the
//! configured collector, from the SDK's own thread (a blocking HTTP client there never holds
//! a request's worker), and flushed when the server stops.

use std::{sync::OnceLock, time::Duration};

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig};
use opentelemetry_sdk::{
    Resource,
    trace::{SdkTracer, SdkTracerProvider},
};

use crate::config::TracesConfig;

/// The instrumentation scope of every span.
const SCOPE: &str = "levier";

/// How long the flush at shutdown may take before the remaining spans are dropped.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// The tracer of the installed provider, for the spans made without `tracing` (the SQL
/// statements', which are timed after the fact); unset when traces are off.
static TRACER: OnceLock<SdkTracer> = OnceLock::new();

/// The tracer, when traces are exported.
pub(super) fn tracer() -> Option<&'static SdkTracer> {
    TRACER.get()
}

/// A tracer of `provider`.
pub(super) fn tracer_of(provider: &SdkTracerProvider) -> SdkTracer {
    provider.tracer(SCOPE)
}

/// Makes `provider` the one the statement spans use.
pub(super) fn install(provider: &SdkTracerProvider) {
    let _first = TRACER.set(tracer_of(provider));
}

/// The provider: a batch of spans is exported every few seconds (`OTEL_BSP_*` tune it), with
/// the service's name as its resource.
pub(super) fn provider(
    config: &TracesConfig,
) -> Result<SdkTracerProvider, opentelemetry_otlp::ExporterBuildError> {
    // The exporter builds its blocking HTTP client on a thread of its own: a runtime cannot
    // be started on the server's.
    let exporter = SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(config.endpoint.clone())
        .build()?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(
            Resource::builder()
                .with_service_name(config.service_name.clone())
                .build(),
        )
        .build())
}

/// Exports what is left and stops the exporter.
pub(super) fn shutdown(provider: SdkTracerProvider) {
    if let Err(error) = provider.shutdown_with_timeout(SHUTDOWN_TIMEOUT) {
        tracing::warn!(%error, "the last spans could not be exported");
    }
}
