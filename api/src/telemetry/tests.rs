//! Unit tests of the log output: colour only where a person reads it, JSON one object a line.

use std::sync::{Arc, Mutex, PoisonError};

use tracing_subscriber::{fmt::MakeWriter, prelude::*};

use super::*;

/// Log output captured in memory.
#[derive(Clone, Default)]
pub(super) struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// What was written, as text.
    pub(super) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }

    /// Runs `emit` with a subscriber that logs into this buffer, as the server would.
    pub(super) fn run(&self, format: LogFormat, colour: bool, emit: impl FnOnce()) {
        let subscriber =
            tracing_subscriber::registry().with(log_layer(format, colour, self.clone()));
        tracing::subscriber::with_default(subscriber, emit);
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'writer> MakeWriter<'writer> for Captured {
    type Writer = Self;

    fn make_writer(&'writer self) -> Self::Writer {
        self.clone()
    }
}

/// An access line inside a request span, as the server writes them.
fn request_with_access_line() {
    let request = tracing::info_span!(
        "HTTP request",
        request_id = "0192-request",
        http.route = "/graphql"
    );
    let _entered = request.enter();
    tracing::info!(
        status = 200,
        latency_ms = 12,
        operation = "PlanList",
        "access"
    );
    tracing::warn!(elapsed_ms = 250, "slow statement");
}

#[test]
fn colour_only_on_a_terminal_and_never_under_no_color() {
    assert!(use_colour(false, true));
    assert!(!use_colour(false, false), "a file or a pipe gets no colour");
    assert!(!use_colour(true, true), "NO_COLOR wins over the terminal");
    assert!(!use_colour(true, false));
}

#[test]
fn text_lines_carry_colour_codes_only_when_asked() {
    let plain = Captured::default();
    plain.run(LogFormat::Text, false, request_with_access_line);
    let plain = plain.text();
    assert!(plain.contains(r#"request_id="0192-request""#), "{plain}");
    assert!(plain.contains("status=200"), "{plain}");
    assert!(
        !plain.contains('\u{1b}'),
        "no escape code without colour: {plain:?}"
    );

    let coloured = Captured::default();
    coloured.run(LogFormat::Text, true, request_with_access_line);
    assert!(
        coloured.text().contains('\u{1b}'),
        "the switch is what turns colour on"
    );
}

#[test]
fn json_is_one_object_a_line_with_the_span_fields() {
    let captured = Captured::default();
    captured.run(LogFormat::Json, true, request_with_access_line);
    let text = captured.text();
    assert!(
        !text.contains('\u{1b}'),
        "JSON never carries colour codes: {text:?}"
    );
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line}"))
        })
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    let access = &lines[0];
    // The event's fields at the top level, the request's under `span` and `spans`.
    assert_eq!(access["message"], "access");
    assert_eq!(access["status"], 200);
    assert_eq!(access["operation"], "PlanList");
    assert_eq!(access["level"], "INFO");
    assert_eq!(access["span"]["request_id"], "0192-request");
    assert_eq!(access["spans"][0]["request_id"], "0192-request");
    assert_eq!(lines[1]["level"], "WARN");
    assert_eq!(lines[1]["span"]["request_id"], "0192-request");
}

#[test]
fn the_request_span_leaves_the_query_string_out() {
    let request = actix_web::test::TestRequest::get()
        .uri("/graphql?query=query($n:String){x}&variables=%7B%22n%22%3A%22Client%20secret%22%7D")
        .insert_header(("user-agent", "curl/8"))
        .to_srv_request();
    let captured = Captured::default();
    captured.run(LogFormat::Json, false, || {
        let span = <RequestSpan as tracing_actix_web::RootSpanBuilder>::on_request_start(&request);
        let _entered = span.enter();
        tracing::info!("inside");
    });
    let line: serde_json::Value = serde_json::from_str(captured.text().trim())
        .unwrap_or_else(|error| panic!("{error}: {}", captured.text()));
    let span = &line["span"];
    assert_eq!(span["name"], "HTTP request");
    assert_eq!(span["http.method"], "GET");
    assert_eq!(span["http.target"], "/graphql");
    assert_eq!(span["http.user_agent"], "curl/8");
    assert_eq!(span["otel.kind"], "server");
    assert!(!captured.text().contains("secret"), "{}", captured.text());
}
