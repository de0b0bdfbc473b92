//! What every answer must satisfy, and the collection of the failures found: deduplicated by
//! what went wrong and the error message (or the logged cause of an internal error), each kept
//! with the first request that showed it, for a report a person can act on.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt::Write as _,
    time::Duration,
};

use serde_json::Value;

use super::generate::Shape;

/// The codes API.md allows in `extensions.code`.
pub const CODES: [&str; 9] = [
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "BAD_USER_INPUT",
    "CONFLICT",
    "QUERY_TOO_COMPLEX",
    "RATE_LIMITED",
    "SERVICE_UNAVAILABLE",
    "INTERNAL_SERVER_ERROR",
];

/// Bounds an answer must keep whatever the request.
pub struct Bounds {
    /// Slower than this is a failure (generous: the slow refusals took seconds).
    pub slow: Duration,
    /// More errors than this in one answer is a failure (the issue asks for a cap around 20).
    pub max_errors: usize,
    /// A larger answer is a failure: the seeded data is tiny, so only amplification gets there.
    pub max_bytes: usize,
    /// Larger `errors` (serialized) are a failure: many errors, or messages echoing input.
    pub max_error_bytes: usize,
    /// A longer list anywhere in `data` is a failure (computed lists must be bounded).
    pub max_list_items: usize,
}

/// An HTTP answer.
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: String,
    /// The body (at most the read cap).
    pub body: Vec<u8>,
    /// Whether the body was longer than the read cap.
    pub truncated: bool,
    /// How long it took.
    pub elapsed: Duration,
    /// The `x-request-id` header.
    pub request_id: Option<String>,
}

/// One thing wrong with an answer.
#[derive(Debug)]
pub struct Problem {
    /// What kind of failure (`HTTP 500`, `INTERNAL_SERVER_ERROR`, `null in a non-null field`…).
    pub what: String,
    /// The detail that tells failures of the same kind apart (an error message).
    pub message: String,
    /// Where it showed, for the report (not part of what tells failures apart).
    pub detail: String,
}

fn problem(what: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        what: what.into(),
        message: message.into(),
        detail: String::new(),
    }
}

fn detailed(what: &str, message: &str, detail: String) -> Problem {
    Problem {
        what: what.to_owned(),
        message: message.to_owned(),
        detail,
    }
}

/// Whether a field left out of an answer is a failure. async-graphql 7 stops null propagation
/// at a failed non-null field: it leaves the field out (or answers null in its non-null
/// position) instead of nulling the nearest nullable parent as the GraphQL specification says.
/// Issue 8 (item 7) asks that non-null lists never carry null; the same repair answers both.
const MISSING_FIELDS_FAIL: bool = true;

/// Checks one answer. `graphql` says whether it answers `/graphql` (a JSON body in every
/// case); `shape` is what the data of a generated operation looks like.
pub fn check(
    answer: &Answer,
    graphql: bool,
    shape: Option<&Shape>,
    bounds: &Bounds,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let text = String::from_utf8_lossy(&answer.body);
    if answer.status >= 500 && !(answer.status == 503 && text.contains("SERVICE_UNAVAILABLE")) {
        problems.push(problem(
            format!("HTTP {}", answer.status),
            excerpt(&text, 200),
        ));
    }
    if answer.elapsed > bounds.slow {
        problems.push(problem(
            format!("slower than {} s", bounds.slow.as_secs()),
            format!("answered in {:.1} s", answer.elapsed.as_secs_f64()),
        ));
    }
    if answer.truncated || answer.body.len() > bounds.max_bytes {
        problems.push(problem(
            "answer too large",
            format!(
                "{}{} bytes (bound {})",
                if answer.truncated { "over " } else { "" },
                answer.body.len(),
                bounds.max_bytes
            ),
        ));
    }
    let json_expected = graphql || answer.content_type.starts_with("application/json");
    if !json_expected || answer.truncated {
        return problems;
    }
    let body: Value = match serde_json::from_slice(&answer.body) {
        Ok(body) => body,
        Err(error) => {
            problems.push(problem(
                "answer is not JSON",
                format!("HTTP {}: {error}: {}", answer.status, excerpt(&text, 200)),
            ));
            return problems;
        }
    };
    match &body {
        Value::Array(batch) if graphql => {
            for single in batch {
                check_graphql(single, None, bounds, &mut problems);
            }
        }
        single => check_graphql(
            single,
            if answer.status == 200 { shape } else { None },
            bounds,
            &mut problems,
        ),
    }
    problems
}

fn check_graphql(
    body: &Value,
    shape: Option<&Shape>,
    bounds: &Bounds,
    problems: &mut Vec<Problem>,
) {
    let Some(object) = body.as_object() else {
        problems.push(problem(
            "answer is not a GraphQL response",
            excerpt(&body.to_string(), 200),
        ));
        return;
    };
    if !object.contains_key("data") && !object.contains_key("errors") {
        problems.push(problem(
            "answer has neither data nor errors",
            excerpt(&body.to_string(), 200),
        ));
    }
    let errors = object
        .get("errors")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if errors.len() > bounds.max_errors {
        problems.push(problem(
            "too many errors in one answer",
            format!("{} errors (bound {})", errors.len(), bounds.max_errors),
        ));
    }
    if !errors.is_empty() {
        let bytes = serde_json::to_string(errors)
            .map(|text| text.len())
            .unwrap_or(0);
        if bytes > bounds.max_error_bytes {
            problems.push(problem(
                "errors too large",
                format!("{bytes} bytes of errors (bound {})", bounds.max_error_bytes),
            ));
        }
    }
    if let Some(data) = object.get("data")
        && let Some((path, items)) = longest_list(data, "data")
        && items > bounds.max_list_items
    {
        problems.push(problem(
            "list too long",
            format!("{path} has {items} items (bound {})", bounds.max_list_items),
        ));
    }
    let mut uncoded = 0;
    for error in errors.iter().take(100) {
        let message = error["message"].as_str().unwrap_or("");
        match error["extensions"]["code"].as_str() {
            Some(code) if CODES.contains(&code) => {}
            Some(code) => problems.push(problem(format!("unknown error code {code}"), message)),
            None if uncoded == 0 => {
                uncoded += 1;
                problems.push(problem("error without extensions.code", message));
            }
            None => {}
        }
    }
    let mut internal = Vec::new();
    find_internal(body, &mut internal);
    for message in internal.into_iter().take(3) {
        problems.push(problem("INTERNAL_SERVER_ERROR", message));
    }
    if let (Some(shape), Some(data)) = (shape, object.get("data").and_then(Value::as_object)) {
        let mut path = Vec::new();
        check_object(data, shape, &mut path, problems);
    }
}

/// The longest list in `value` (its path, with indexes blurred, and its length).
fn longest_list(value: &Value, path: &str) -> Option<(String, usize)> {
    let mut best: Option<(String, usize)> = None;
    let mut consider = |found: Option<(String, usize)>| {
        if let Some((path, items)) = found
            && best.as_ref().is_none_or(|(_, most)| items > *most)
        {
            best = Some((path, items));
        }
    };
    match value {
        Value::Array(items) => {
            consider(Some((path.to_owned(), items.len())));
            for item in items {
                consider(longest_list(item, &format!("{path}.#")));
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                consider(longest_list(item, &format!("{path}.{key}")));
            }
        }
        _ => {}
    }
    best
}

/// Every place that carries `"code": "INTERNAL_SERVER_ERROR"` (an error's extensions or a
/// payload's user error), with its message.
fn find_internal(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            let coded = fields.get("code").and_then(Value::as_str) == Some("INTERNAL_SERVER_ERROR")
                || fields
                    .get("extensions")
                    .and_then(|extensions| extensions.get("code"))
                    .and_then(Value::as_str)
                    == Some("INTERNAL_SERVER_ERROR");
            if coded {
                let message = fields.get("message").and_then(Value::as_str).unwrap_or("");
                let path = fields.get("path").map(Value::to_string).unwrap_or_default();
                found.push(format!("{message} at {path}"));
            }
            fields
                .values()
                .for_each(|value| find_internal(value, found));
        }
        Value::Array(items) => items.iter().for_each(|item| find_internal(item, found)),
        _ => {}
    }
}

fn check_object(
    data: &serde_json::Map<String, Value>,
    shape: &Shape,
    path: &mut Vec<String>,
    problems: &mut Vec<Problem>,
) {
    for (key, value) in data {
        if let Some(entry) = shape.get(key) {
            path.push(key.clone());
            check_value(value, &entry.ty, entry.sub.as_ref(), path, problems);
            path.pop();
        }
    }
    // Every field asked for answers, if only with null (and an error).
    if let Some(missing) = shape
        .0
        .iter()
        .find(|entry| MISSING_FIELDS_FAIL && !entry.conditional && !data.contains_key(&entry.key))
    {
        path.push(missing.key.clone());
        problems.push(detailed(
            "field missing from the answer",
            "a field asked for is left out (a failed non-null field instead of null propagation)",
            format!("{} of type {}", path.join("."), missing.ty),
        ));
        path.pop();
    }
}

fn check_value(
    value: &Value,
    ty: &async_graphql::parser::types::Type,
    sub: Option<&Shape>,
    path: &mut Vec<String>,
    problems: &mut Vec<Problem>,
) {
    use async_graphql::parser::types::BaseType;
    if value.is_null() {
        if !ty.nullable {
            problems.push(detailed(
                "null where the schema promises a value",
                "null in a non-null position (null propagation stopped short)",
                format!("{} of type {ty}", path.join(".")),
            ));
        }
        return;
    }
    match (&ty.base, value) {
        (BaseType::List(inner), Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                path.push(index.to_string());
                check_value(item, inner, sub, path, problems);
                path.pop();
            }
        }
        (BaseType::List(_), other) => problems.push(problem(
            "not a list where the schema says list",
            format!("{} = {}", path.join("."), excerpt(&other.to_string(), 80)),
        )),
        (BaseType::Named(_), Value::Object(fields)) => {
            if let Some(sub) = sub {
                check_object(fields, sub, path, problems);
            }
        }
        (BaseType::Named(_), _) => {}
    }
}

/// The first `limit` characters of `text`, on one line.
pub fn excerpt(text: &str, limit: usize) -> String {
    let mut flat = String::new();
    for c in text.chars().take(limit) {
        match c {
            '\n' | '\r' | '\t' => flat.push(' '),
            c if c.is_control() => {
                let _ = write!(flat, "\\u{{{:x}}}", c as u32);
            }
            c => flat.push(c),
        }
    }
    if text.chars().count() > limit {
        format!("{flat}… ({} bytes)", text.len())
    } else {
        flat
    }
}

/// `message` with what differs between instances of one failure (numbers, IDs, quoted input)
/// blurred, so that it can key the deduplication.
pub fn normalize(message: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.chars().any(|c| c.is_ascii_digit()) || word.len() >= 20 {
            out.push('#');
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in message.chars().take(300) {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    // Quoted input (`…`, "…") is the caller's, not the failure's.
    let mut blurred = String::new();
    let mut quote: Option<char> = None;
    for c in out.chars() {
        match quote {
            Some(open) if c == open => {
                blurred.push('…');
                blurred.push(c);
                quote = None;
            }
            Some(_) => {}
            None if c == '`' || c == '"' => {
                blurred.push(c);
                quote = Some(c);
            }
            None => blurred.push(c),
        }
    }
    blurred.chars().take(160).collect()
}

/// The request behind a failure, as the report shows it.
#[derive(Clone)]
pub struct Example {
    /// The case number (replay it with `LEVIER_FUZZ_CASE`).
    pub case: u64,
    /// The kind of case (`query`, `attack: deep list literal`…).
    pub kind: String,
    /// The credential sent.
    pub credential: String,
    /// Method and path.
    pub target: String,
    /// The GraphQL document, or the body when there is no document.
    pub document: String,
    /// The variables (JSON), if any.
    pub variables: String,
    /// The answer: status and body.
    pub answer: String,
    /// What the server logged while answering.
    pub logged: Vec<String>,
}

struct Entry {
    what: String,
    message: String,
    detail: String,
    count: usize,
    kinds: BTreeSet<String>,
    example: Example,
}

/// The failures of a run, deduplicated.
#[derive(Default)]
pub struct Failures {
    entries: Vec<Entry>,
    index: BTreeMap<String, usize>,
    /// Failing requests in all.
    pub failing_requests: usize,
}

impl Failures {
    /// Records one problem of a request.
    pub fn add(&mut self, problem: &Problem, example: &Example) {
        let key = format!("{}: {}", problem.what, normalize(&problem.message));
        match self.index.get(&key) {
            Some(&at) => {
                let entry = &mut self.entries[at];
                entry.count += 1;
                if entry.kinds.len() < 8 {
                    entry.kinds.insert(example.kind.clone());
                }
            }
            None => {
                self.index.insert(key, self.entries.len());
                self.entries.push(Entry {
                    what: problem.what.clone(),
                    message: problem.message.clone(),
                    detail: problem.detail.clone(),
                    count: 1,
                    kinds: BTreeSet::from([example.kind.clone()]),
                    example: example.clone(),
                });
            }
        }
    }

    /// Whether nothing failed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Distinct failures.
    pub fn distinct(&self) -> usize {
        self.entries.len()
    }

    /// The report: the first `shown` distinct failures in full (documents cut at
    /// `document_chars`), then one line for each of the others.
    pub fn report(&self, shown: usize, document_chars: usize) -> String {
        let mut out = String::new();
        for (number, entry) in self.entries.iter().enumerate() {
            if number == shown {
                let _ = writeln!(out, "\nand {} more:", self.entries.len() - shown);
            }
            if number >= shown {
                let _ = writeln!(
                    out,
                    "  - {} ×{}: {} (case {}, {})",
                    entry.what,
                    entry.count,
                    excerpt(&entry.message, 160),
                    entry.example.case,
                    entry.example.kind
                );
                continue;
            }
            let example = &entry.example;
            let _ = writeln!(
                out,
                "\n{}. {} ×{}: {}",
                number + 1,
                entry.what,
                entry.count,
                excerpt(&entry.message, 400)
            );
            if !entry.detail.is_empty() {
                let _ = writeln!(out, "   where: {}", excerpt(&entry.detail, 300));
            }
            let kinds: Vec<&str> = entry.kinds.iter().map(String::as_str).collect();
            let _ = writeln!(out, "   seen in: {}", kinds.join("; "));
            let _ = writeln!(
                out,
                "   first: case {} ({}), {} with {}",
                example.case, example.kind, example.target, example.credential
            );
            let _ = writeln!(
                out,
                "   document: {}",
                excerpt(&example.document, document_chars)
            );
            if !example.variables.is_empty() && example.variables != "{}" {
                let _ = writeln!(
                    out,
                    "   variables: {}",
                    excerpt(&example.variables, document_chars)
                );
            }
            let _ = writeln!(out, "   answer: {}", excerpt(&example.answer, 600));
            for line in example.logged.iter().take(4) {
                let _ = writeln!(out, "   server log: {}", excerpt(line, 600));
            }
        }
        out
    }

    /// Every failure in full (documents and variables uncut up to `limit` bytes each), for the
    /// repro file.
    pub fn full(&self, limit: usize) -> String {
        let mut out = String::new();
        for (number, entry) in self.entries.iter().enumerate() {
            let example = &entry.example;
            let cut = |text: &str| -> String {
                if text.len() <= limit {
                    text.to_owned()
                } else {
                    let mut end = limit;
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    format!("{}… ({} bytes in all)", &text[..end], text.len())
                }
            };
            let _ = writeln!(
                out,
                "=== {}. {} ×{}: {} {}\ncase {} ({}), {} with {}\n--- document\n{}\n--- variables\n{}\n--- answer\n{}\n--- server log\n{}\n",
                number + 1,
                entry.what,
                entry.count,
                entry.message,
                entry.detail,
                example.case,
                example.kind,
                example.target,
                example.credential,
                cut(&example.document),
                cut(&example.variables),
                cut(&example.answer),
                example.logged.join("\n")
            );
        }
        out
    }
}
