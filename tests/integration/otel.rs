//! OpenTelemetry traces, end to end: the server runs as `levier serve` would, in a child
//! process (this test binary again, on the ignored test [`otel_server_process`], which calls
//! the command line's own `run` with the standard `OTEL_*` variables set: the global
//! subscriber that carries the trace layer is installed once per process, and the other tests
//! share theirs). A small OTLP/HTTP receiver here decodes what it posts. One GraphQL request
//! with a caller's `traceparent` must give one trace under the caller's span, with the
//! engine's steps, resolvers and SQL statements, and none of the request's values.

use std::{
    collections::{HashMap, HashSet},
    io::{BufRead, BufReader, Read},
    net::{TcpListener, TcpStream},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use actix_web::{App, HttpResponse, HttpServer, web};
use opentelemetry_proto::tonic::{
    collector::trace::v1::ExportTraceServiceRequest,
    common::v1::{AnyValue, KeyValue, any_value},
    trace::v1::Span,
};
use prost::Message;
use serde_json::json;

use crate::support::{POSTGRES_URL_VARIABLE, base_claims, fresh_database_url, mint};

/// Set in the child's environment: the signal to serve instead of returning.
const CHILD_VARIABLE: &str = "LEVIER_OTEL_CHILD";
/// The child test's full name.
const CHILD_TEST: &str = "otel::otel_server_process";
/// The service name the child is given.
const SERVICE_NAME: &str = "levier-otel-test";

/// What the receiver was sent: every span, with its service's name.
type Received = Arc<Mutex<Vec<(String, Span)>>>;

/// Starts an OTLP/HTTP receiver on a free loopback port; returns its base URL.
fn start_receiver(received: Received) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = HttpServer::new(move || {
        let received = received.clone();
        App::new().route(
            "/v1/traces",
            web::post().to(move |body: web::Bytes| {
                let received = received.clone();
                async move {
                    let Ok(export) = ExportTraceServiceRequest::decode(body) else {
                        return HttpResponse::BadRequest().finish();
                    };
                    let mut received = received.lock().unwrap_or_else(PoisonError::into_inner);
                    for resource in export.resource_spans {
                        let service = resource
                            .resource
                            .iter()
                            .flat_map(|resource| &resource.attributes)
                            .find(|attribute| attribute.key == "service.name")
                            .map(|attribute| text(attribute.value.as_ref()))
                            .unwrap_or_default();
                        for scope in resource.scope_spans {
                            for span in scope.spans {
                                received.push((service.clone(), span));
                            }
                        }
                    }
                    // An empty ExportTraceServiceResponse: full success.
                    HttpResponse::Ok()
                        .content_type("application/x-protobuf")
                        .finish()
                }
            }),
        )
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    format!("http://{address}")
}

/// An attribute's value as text (numbers and booleans written out).
fn text(value: Option<&AnyValue>) -> String {
    match value.and_then(|value| value.value.as_ref()) {
        Some(any_value::Value::StringValue(text)) => text.clone(),
        Some(any_value::Value::IntValue(number)) => number.to_string(),
        Some(any_value::Value::DoubleValue(number)) => number.to_string(),
        Some(any_value::Value::BoolValue(boolean)) => boolean.to_string(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    }
}

fn attribute<'a>(span: &'a Span, key: &str) -> Option<&'a KeyValue> {
    span.attributes
        .iter()
        .find(|attribute| attribute.key == key)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The child's output, kept to explain a failure.
fn drain(stream: impl Read + Send + 'static, output: Arc<Mutex<Vec<String>>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            output
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(line);
        }
    });
}

/// The server process, ended (SIGTERM, then SIGKILL) when dropped.
struct ServerProcess {
    child: Child,
    output: Arc<Mutex<Vec<String>>>,
}

impl ServerProcess {
    fn start(database_url: &str, port: u16, collector: &str) -> Self {
        let executable = crate::support::this_test_binary();
        let mut child = Command::new(executable)
            .args([
                CHILD_TEST,
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_VARIABLE, "1")
            .env("LEVIER_DATABASE_URL", database_url)
            .env("LEVIER_BIND", format!("127.0.0.1:{port}"))
            .env("LEVIER_WORKERS", "1")
            .env("LEVIER_SHUTDOWN_TIMEOUT_SECONDS", "5")
            .env("LEVIER_LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", collector)
            .env("OTEL_SERVICE_NAME", SERVICE_NAME)
            .env_remove("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            .env_remove("OTEL_EXPORTER_OTLP_PROTOCOL")
            // No export before the server stops: what arrives comes from the flush at shutdown.
            .env("OTEL_BSP_SCHEDULE_DELAY", "600000")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        drain(child.stdout.take().unwrap(), output.clone());
        drain(child.stderr.take().unwrap(), output.clone());
        Self { child, output }
    }

    fn tail(&self) -> String {
        let output = self.output.lock().unwrap_or_else(PoisonError::into_inner);
        output[output.len().saturating_sub(40)..].join("\n")
    }

    /// Waits until the server accepts connections (its port is bound after migrations).
    async fn wait_listening(&mut self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(120);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the server exited ({status}):\n{}", self.tail());
            }
            assert!(
                Instant::now() < deadline,
                "the server did not start:\n{}",
                self.tail()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sends SIGTERM, as a service manager stops the server, and waits for it to exit.
    async fn stop(&mut self) -> std::process::ExitStatus {
        let signalled = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(signalled.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop:\n{}",
                self.tail()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[actix_web::test]
async fn one_request_is_one_trace_under_the_callers_span_without_its_values() {
    let received = Received::default();
    let collector = start_receiver(received.clone());
    let database_url = fresh_database_url().await;
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = ServerProcess::start(&database_url, port, &collector);
    server.wait_listening(port).await;

    // The caller's trace and span, and values that must not leave in a trace.
    let caller_trace = uuid::Uuid::now_v7().simple().to_string();
    let caller_span = &uuid::Uuid::now_v7().simple().to_string()[16..];
    let secret_name = format!("Zanzibar {}", uuid::Uuid::now_v7().simple());
    let secret_budget = "98765.43";
    let token = mint(&base_claims("otel", "admin"));
    let client = reqwest::Client::new();
    let response = client
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .bearer_auth(&token)
        .header("traceparent", format!("00-{caller_trace}-{caller_span}-01"))
        .json(&json!({
            "query": "mutation CreateTracedPlan($input: CreatePlanInput!) { createPlan(input: $input) { \
                      plan { id name budget personas { name } campaigns(first: 5) { totalCount } } \
                      userErrors { field code } } }",
            "variables": { "input": {
                "name": secret_name, "periodStart": "2027-01-01", "periodEnd": "2027-12-31",
                "budget": secret_budget,
            } },
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["data"]["createPlan"]["plan"]["name"], secret_name,
        "{body}"
    );
    drop(client);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty(),
        "nothing is exported before the batch delay or the shutdown"
    );

    let status = server.stop().await;
    assert!(status.success(), "{status}:\n{}", server.tail());
    let spans: Vec<(String, Span)> =
        std::mem::take(&mut *received.lock().unwrap_or_else(PoisonError::into_inner));
    let report = || {
        spans
            .iter()
            .map(|(_, span)| {
                format!(
                    "{} trace={} id={} parent={}",
                    span.name,
                    hex(&span.trace_id),
                    hex(&span.span_id),
                    hex(&span.parent_span_id)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        !spans.is_empty(),
        "no span flushed at shutdown:\n{}",
        server.tail()
    );

    // One trace: the caller's. (Start-up statements run outside any request and make none.)
    for (service, span) in &spans {
        assert_eq!(service, SERVICE_NAME);
        assert_eq!(
            hex(&span.trace_id),
            caller_trace,
            "{}:\n{}",
            span.name,
            report()
        );
    }
    // Its root is the request's span, a child of the caller's; every other span's parent is
    // a span of the trace.
    let ids: HashSet<String> = spans.iter().map(|(_, span)| hex(&span.span_id)).collect();
    let roots: Vec<&Span> = spans
        .iter()
        .map(|(_, span)| span)
        .filter(|span| !ids.contains(&hex(&span.parent_span_id)))
        .collect();
    assert_eq!(roots.len(), 1, "{}", report());
    assert_eq!(roots[0].name, "POST /graphql");
    assert_eq!(hex(&roots[0].parent_span_id), caller_span);

    let names: HashMap<&str, usize> = spans.iter().fold(HashMap::new(), |mut names, (_, span)| {
        *names.entry(span.name.as_str()).or_default() += 1;
        names
    });
    for step in ["graphql.parse", "graphql.validate", "graphql.execute"] {
        assert_eq!(names.get(step), Some(&1), "{step}:\n{}", report());
    }
    assert!(
        names.contains_key("Mutation.createPlan"),
        "a resolver's span:\n{}",
        report()
    );
    let statements: Vec<&Span> = spans
        .iter()
        .map(|(_, span)| span)
        .filter(|span| attribute(span, "db.system").is_some())
        .collect();
    assert!(
        statements.iter().any(|span| text(
            attribute(span, "db.statement").and_then(|a| a.value.as_ref())
        )
        .starts_with("INSERT INTO \"plans\"")),
        "the plan's INSERT has a span:\n{}",
        report()
    );
    let system = if std::env::var(POSTGRES_URL_VARIABLE).is_ok_and(|url| !url.trim().is_empty()) {
        "postgresql"
    } else {
        "sqlite"
    };
    for statement in &statements {
        assert_eq!(
            text(attribute(statement, "db.system").and_then(|a| a.value.as_ref())),
            system
        );
        assert!(statement.end_time_unix_nano >= statement.start_time_unix_nano);
    }

    // No value of the request anywhere: attributes, events, their attributes.
    let budget_micros = "98765430000";
    for (_, span) in &spans {
        let texts = span
            .attributes
            .iter()
            .chain(span.events.iter().flat_map(|event| &event.attributes))
            .map(|attribute| text(attribute.value.as_ref()))
            .chain(span.events.iter().map(|event| event.name.clone()))
            .chain([span.name.clone()]);
        for text in texts {
            for value in [
                secret_name.as_str(),
                "Zanzibar",
                secret_budget,
                budget_micros,
            ] {
                assert!(
                    !text.contains(value),
                    "{} carries {value:?}: {text}",
                    span.name
                );
            }
        }
    }
}

/// The server process of the test above, which starts this test binary again on this test
/// alone: runs `levier serve` (the command line's `run`, as `main` does) until SIGTERM.
#[actix_web::test]
#[ignore = "the OTLP test's server process: that test starts it; alone it returns at once"]
async fn otel_server_process() {
    use clap::Parser;
    if std::env::var(CHILD_VARIABLE).is_err() {
        return;
    }
    let cli = levier::cli::Cli::parse_from(["levier", "serve"]);
    levier::cli::run(cli)
        .await
        .unwrap_or_else(|error| panic!("levier serve: {error:#}"));
}
