//! What is told of each SQL statement the server runs: a warning when it is slow, and a span
//! when traces are exported. Both carry the statement's *shape* — its SQL text with
//! placeholders, literals masked, long lists collapsed and the whole bounded in length — its
//! duration and its parameter count, never a value: values are tenants' data, and a
//! 1,000-row INSERT with its values inlined is 320 KB of log.

use std::time::{Duration, SystemTime};

use opentelemetry::{
    KeyValue,
    trace::{SpanKind, Status, TraceContextExt, Tracer},
};
use sea_orm::{DbBackend, Statement, metric::Info};
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// Statements that take longer are logged at `warn`.
pub const SLOW_STATEMENT: Duration = Duration::from_millis(200);

/// The longest shape logged, in characters (what follows is cut and counted).
pub const MAX_SHAPE_CHARS: usize = 1_000;

/// Placeholders in a row beyond this count (an `IN (…)` list) are collapsed.
const MAX_PLACEHOLDER_RUN: usize = 10;

/// Tells of one statement that has run: a `warn` line when it was slow, a span under the
/// current request's when traces are exported. Called by the database's metric callback
/// (`db::connect`), in the task that ran the statement.
pub fn observe(info: &Info<'_>) {
    if info.elapsed > SLOW_STATEMENT {
        tracing::warn!(
            elapsed_ms = u64::try_from(info.elapsed.as_millis()).unwrap_or(u64::MAX),
            parameters = parameter_count(info.statement),
            sql = %shape(&info.statement.sql),
            "slow statement"
        );
    }
    if let Some(tracer) = super::otlp::tracer() {
        record_span(tracer, info);
    }
}

/// How many values are bound to the statement.
pub fn parameter_count(statement: &Statement) -> usize {
    statement.values.as_ref().map_or(0, |values| values.0.len())
}

/// A span for the statement, started `elapsed` ago and ended now, as a child of the current
/// tracing span — the resolver, or the request — when that span is part of a trace.
/// Statements outside a request (migrations, the notification listener) get none: a trace of
/// their own for each would bury the requests'.
fn record_span(tracer: &opentelemetry_sdk::trace::SdkTracer, info: &Info<'_>) {
    let parent = tracing::Span::current().context();
    if !parent.span().span_context().is_valid() {
        return;
    }
    let end = SystemTime::now();
    let start = end.checked_sub(info.elapsed).unwrap_or(end);
    let shape = shape(&info.statement.sql);
    let operation = operation(&shape);
    let system = match info.statement.db_backend {
        DbBackend::Postgres => "postgresql",
        DbBackend::Sqlite => "sqlite",
        _ => "other_sql",
    };
    let mut span = tracer
        .span_builder(format!("{operation} {system}"))
        .with_kind(SpanKind::Client)
        .with_start_time(start)
        .with_attributes([
            KeyValue::new("db.system", system),
            KeyValue::new("db.operation", operation),
            KeyValue::new("db.statement", shape),
            KeyValue::new(
                "db.parameter_count",
                i64::try_from(parameter_count(info.statement)).unwrap_or(i64::MAX),
            ),
        ])
        .start_with_context(tracer, &parent);
    if info.failed {
        opentelemetry::trace::Span::set_status(&mut span, Status::error("statement failed"));
    }
    opentelemetry::trace::Span::end_with_timestamp(&mut span, end);
}

/// The statement's first keyword (`SELECT`, `INSERT`, …), upper-cased.
fn operation(shape: &str) -> String {
    shape
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|word| !word.is_empty())
        .unwrap_or("SQL")
        .to_ascii_uppercase()
}

/// The statement's shape: `sql` with every literal masked as `?`, a multi-row `VALUES` list
/// reduced to its first row and a count, a long run of placeholders to its first three and a
/// count, and the whole cut at [`MAX_SHAPE_CHARS`].
pub fn shape(sql: &str) -> String {
    truncate(&collapse_placeholder_runs(&collapse_values(
        &mask_literals(sql),
    )))
}

/// True for a character that continues an identifier or a placeholder (`$1`).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// Masks string and number literals as `?`. Quoted identifiers are kept; so are numbered
/// placeholders (`$1`), whose digits follow a `$`.
fn mask_literals(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len().min(MAX_SHAPE_CHARS * 2));
    let mut chars = sql.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                // A string literal; '' inside it is an escaped quote.
                while let Some(inner) = chars.next() {
                    if inner == '\'' {
                        if chars.peek() == Some(&'\'') {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
                out.push('?');
                previous = '?';
            }
            '"' => {
                out.push('"');
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == '"' {
                        break;
                    }
                }
                previous = '"';
            }
            c if c.is_ascii_digit() && !is_word(previous) => {
                while chars
                    .peek()
                    .is_some_and(|next| next.is_ascii_alphanumeric() || *next == '.')
                {
                    chars.next();
                }
                out.push('?');
                previous = '?';
            }
            c => {
                out.push(c);
                previous = c;
            }
        }
    }
    out
}

/// The end of the bracketed group that opens at `start` (a `(`), skipping quoted identifiers.
fn group_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quoted = false;
    for (offset, byte) in bytes.iter().enumerate().skip(start) {
        match byte {
            b'"' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return Some(offset);
                }
            }
            _ => {}
        }
    }
    None
}

/// The index of the first byte at or after `at` that is not ASCII whitespace.
fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// Reduces every `VALUES (…), (…), …` list to its first row, followed by the number of rows
/// left out.
fn collapse_values(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len().min(MAX_SHAPE_CHARS * 2));
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = sql[search..]
        .char_indices()
        .find(|(offset, _)| {
            let at = search + offset;
            sql.get(at..at + 6)
                .is_some_and(|word| word.eq_ignore_ascii_case("values"))
                && (at == 0 || !is_word(char::from(bytes[at - 1])) && bytes[at - 1] != b'"')
                && bytes
                    .get(at + 6)
                    .is_none_or(|next| !is_word(char::from(*next)))
        })
        .map(|(offset, _)| search + offset)
    {
        let first_start = skip_spaces(bytes, found + 6);
        let Some(first_end) = (bytes.get(first_start) == Some(&b'('))
            .then(|| group_end(bytes, first_start))
            .flatten()
        else {
            search = found + 6;
            continue;
        };
        let mut rows = 1usize;
        let mut last_end = first_end;
        loop {
            let comma = skip_spaces(bytes, last_end + 1);
            if bytes.get(comma) != Some(&b',') {
                break;
            }
            let next = skip_spaces(bytes, comma + 1);
            match (bytes.get(next) == Some(&b'('))
                .then(|| group_end(bytes, next))
                .flatten()
            {
                Some(end) => {
                    rows += 1;
                    last_end = end;
                }
                None => break,
            }
        }
        out.push_str(&sql[copied..=first_end]);
        if rows > 1 {
            out.push_str(&format!(" /* +{} rows */", rows - 1));
        }
        copied = last_end + 1;
        search = copied;
    }
    out.push_str(&sql[copied..]);
    out
}

/// Collapses a run of more than [`MAX_PLACEHOLDER_RUN`] comma-separated placeholders (`?` or
/// `$n`) to its first three and the number left out.
fn collapse_placeholder_runs(sql: &str) -> String {
    let bytes = sql.as_bytes();
    // The placeholder that starts at `at`, as its end.
    let placeholder = |at: usize| -> Option<usize> {
        match bytes.get(at) {
            Some(b'?') => Some(at + 1),
            Some(b'$') => {
                let digits = bytes[at + 1..]
                    .iter()
                    .take_while(|byte| byte.is_ascii_digit())
                    .count();
                (digits > 0).then_some(at + 1 + digits)
            }
            _ => None,
        }
    };
    let mut out = String::with_capacity(sql.len().min(MAX_SHAPE_CHARS * 2));
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        let starts_run =
            (at == 0 || !is_word(char::from(bytes[at - 1]))) && placeholder(at).is_some();
        if !starts_run {
            at += 1;
            continue;
        }
        // The ends of the run's placeholders.
        let mut ends = Vec::new();
        let mut cursor = at;
        while let Some(end) = placeholder(cursor) {
            ends.push(end);
            let comma = skip_spaces(bytes, end);
            if bytes.get(comma) != Some(&b',') {
                break;
            }
            cursor = skip_spaces(bytes, comma + 1);
        }
        let last = ends.last().copied().unwrap_or(at + 1);
        if ends.len() > MAX_PLACEHOLDER_RUN {
            out.push_str(&sql[copied..ends[2]]);
            out.push_str(&format!(", … /* +{} */", ends.len() - 3));
            copied = last;
        }
        at = last;
    }
    out.push_str(&sql[copied..]);
    out
}

/// `text` cut at [`MAX_SHAPE_CHARS`] characters, with the number of characters cut.
fn truncate(text: &str) -> String {
    match text.char_indices().nth(MAX_SHAPE_CHARS) {
        None => text.to_owned(),
        Some((cut, _)) => format!(
            "{}… /* {} more characters */",
            &text[..cut],
            text[cut..].chars().count()
        ),
    }
}

#[cfg(test)]
mod tests;
