//! The span of each request, with `tracing-actix-web`'s fields (method, route, status, request
//! id, client, …) but `http.target` without the query string: a `GET /graphql` carries its
//! variables there, and tenants' data must not reach every log line and trace of the request.
//! When traces are exported, it joins the caller's trace: the W3C `traceparent` header, when
//! valid, becomes its parent, and its trace id is recorded in `trace_id` (so that log lines
//! can be matched with their trace).

use actix_web::{
    Error, HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::{
        Version,
        header::{HeaderMap, USER_AGENT},
    },
};
use opentelemetry::{
    propagation::{Extractor, TextMapPropagator},
    trace::TraceContextExt,
};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing::{Span, field::Empty};
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The root span builder of `TracingLogger` (see the module).
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let method = request.method().as_str();
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "default".to_owned());
        let connection = request.connection_info();
        let request_id = request.extensions().get::<RequestId>().copied();
        // A share link's secret is in its path: such a path is named by its route only.
        let target = if request.path().starts_with("/share/") {
            route.as_str()
        } else {
            request.path()
        };
        // The fields of `tracing_actix_web::root_span!`, which `DefaultRootSpanBuilder`
        // completes at the end (status, exception); only `http.target` differs.
        let span = tracing::info_span!(
            "HTTP request",
            http.method = %method,
            http.route = %route,
            http.flavor = flavor(request.version()),
            http.scheme = %connection.scheme(),
            http.host = %connection.host(),
            http.client_ip = %connection.realip_remote_addr().unwrap_or(""),
            http.user_agent = %request
                .headers()
                .get(USER_AGENT)
                .and_then(|value| value.to_str().ok())
                .unwrap_or(""),
            http.target = %target,
            http.status_code = Empty,
            otel.name = %format_args!("{method} {route}"),
            otel.kind = "server",
            otel.status_code = Empty,
            trace_id = Empty,
            request_id = request_id.map(tracing::field::display),
            exception.message = Empty,
            exception.details = Empty,
        );
        drop(connection);
        if super::otlp::tracer().is_some() {
            join_callers_trace(request.headers(), &span);
        }
        span
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// The HTTP version as `http.flavor` has it.
fn flavor(version: Version) -> &'static str {
    match version {
        Version::HTTP_09 => "0.9",
        Version::HTTP_10 => "1.0",
        Version::HTTP_2 => "2.0",
        Version::HTTP_3 => "3.0",
        _ => "1.1",
    }
}

/// Parents `span` to the trace named by the `traceparent` header, if any, and records the
/// trace id it ends up in.
fn join_callers_trace(headers: &HeaderMap, span: &Span) {
    let caller = TraceContextPropagator::new().extract(&Headers(headers));
    if caller.span().span_context().is_valid() {
        // Fails only when the span is disabled or already started, neither of which a
        // request's new span is.
        let _parented = span.set_parent(caller);
    }
    let trace_id = span.context().span().span_context().trace_id();
    span.record("trace_id", tracing::field::display(trace_id));
}

/// The request's headers, as the propagator reads them.
struct Headers<'a>(&'a HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|value| value.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|name| name.as_str()).collect()
    }
}
