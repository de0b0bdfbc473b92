//! Hostile GraphQL documents, sent without any token: each is refused with a coded error, in
//! bounded time, and the process survives to answer the next request. The shapes come from
//! issue 8: literals, variable defaults and types nested thousands deep (each once overflowed
//! a worker's stack and aborted the server), long chains of unused fragments, fragments
//! spreading each other, piles of inline fragments, aliases and directives, a body of 80,000
//! tokens, and batches whose operations only add up to too much.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, error_code};

/// Far more than any refusal may take, even in a debug build: the shapes below cost seconds
/// (or the whole process) before they were bounded.
const GENEROUS: Duration = Duration::from_secs(3);

/// An HTTP answer to a POST of `/graphql`, and how long it took.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: Value,
    pub(crate) elapsed: Duration,
}

/// POSTs `body` (a GraphQL request, or a batch) as JSON, without a token.
async fn post(app: &TestApp, body: &Value) -> Answer {
    let started = Instant::now();
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(body)
        .send()
        .await
        .unwrap_or_else(|error| panic!("the server does not answer: {error}"));
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let elapsed = started.elapsed();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        body,
        elapsed,
    }
}

/// POSTs one GraphQL document without a token.
pub(crate) async fn send(app: &TestApp, query: &str) -> Answer {
    post(app, &json!({ "query": query })).await
}

/// Asserts that `answer` refuses the document with `code` and no data, quickly, in one error.
#[track_caller]
pub(crate) fn assert_refused(answer: &Answer, code: &str, case: &str) {
    assert_eq!(
        error_code(&answer.body),
        Some(code),
        "{case}: {}",
        shorten(&answer.body)
    );
    assert!(
        answer.body["data"].is_null(),
        "{case}: {}",
        shorten(&answer.body)
    );
    let errors = answer.body["errors"].as_array().map_or(0, Vec::len);
    assert_eq!(
        errors,
        1,
        "{case}: one error, not one per offending part: {}",
        shorten(&answer.body)
    );
    assert!(
        answer.elapsed < GENEROUS,
        "{case}: refused in {:?}",
        answer.elapsed
    );
}

/// The start of a body, for failure messages that stay readable.
fn shorten(body: &Value) -> String {
    let text = body.to_string();
    match text.char_indices().nth(600) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Asserts that the server still answers a plain query.
pub(crate) async fn assert_alive(app: &TestApp) {
    let answer = send(app, "{ __typename }").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        answer.body["data"]["__typename"], "Query",
        "{}",
        answer.body
    );
}

/// `text` nested `levels` deep between `open` and `close`.
pub(crate) fn nested(open: &str, text: &str, close: &str, levels: usize) -> String {
    format!("{}{text}{}", open.repeat(levels), close.repeat(levels))
}

#[tokio::test]
async fn a_list_literal_nested_thousands_deep_is_refused() {
    let app = TestApp::spawn().await;
    for levels in [2_000, 20_000] {
        let query = format!(
            "{{ nodes(ids: {}) {{ id }} }}",
            nested("[", "\"x\"", "]", levels)
        );
        assert_refused(
            &send(&app, &query).await,
            "QUERY_TOO_COMPLEX",
            &format!("a list {levels} deep"),
        );
    }
    assert_alive(&app).await;
}

#[tokio::test]
async fn an_object_literal_nested_thousands_deep_is_refused() {
    let app = TestApp::spawn().await;
    let input = nested("{a: ", "1", "}", 2_500);
    let query = format!("mutation {{ createPlan(input: {input}) {{ plan {{ id }} }} }}");
    assert_refused(
        &send(&app, &query).await,
        "QUERY_TOO_COMPLEX",
        "an object 2,500 deep",
    );
    assert_alive(&app).await;
}

#[tokio::test]
async fn a_variable_default_or_type_nested_thousands_deep_is_refused() {
    let app = TestApp::spawn().await;
    let default = format!(
        "query($v: [ID!] = {}) {{ __typename }}",
        nested("[", "\"x\"", "]", 2_500)
    );
    assert_refused(
        &send(&app, &default).await,
        "QUERY_TOO_COMPLEX",
        "a default 2,500 deep",
    );
    let list_type = format!(
        "query($v: {}) {{ __typename }}",
        nested("[", "ID", "]", 2_500)
    );
    assert_refused(
        &send(&app, &list_type).await,
        "QUERY_TOO_COMPLEX",
        "a type 2,500 deep",
    );
    assert_alive(&app).await;
}

#[tokio::test]
async fn selections_nested_past_the_bound_are_refused_at_any_depth() {
    let app = TestApp::spawn().await;
    for levels in [65, 200, 5_000] {
        let inline = format!(
            "{{ {} }}",
            nested("... on Query { ", "__typename", " }", levels)
        );
        assert_refused(
            &send(&app, &inline).await,
            "QUERY_TOO_COMPLEX",
            &format!("{levels} nested inline fragments"),
        );
        let fields = nested("{ viewer ", "{ subject }", " }", levels);
        assert_refused(
            &send(&app, &fields).await,
            "QUERY_TOO_COMPLEX",
            &format!("{levels} nested fields"),
        );
    }
    assert_alive(&app).await;
}

/// A chain of `count` fragments that no operation uses: `fragment F0 on Query { ...F1 } …`.
fn unused_chain(count: usize) -> String {
    let mut query = String::from("{ __typename }\n");
    for index in 0..count {
        let next = index + 1;
        query.push_str(&format!("fragment F{index} on Query {{ ...F{next} }}\n"));
    }
    query.push_str(&format!("fragment F{count} on Query {{ __typename }}\n"));
    query
}

#[tokio::test]
async fn chains_of_unused_fragments_are_refused_with_one_error() {
    let app = TestApp::spawn().await;
    // Thousands: over the token bound, and once an abort or seconds of validation.
    for count in [3_000, 10_000] {
        assert_refused(
            &send(&app, &unused_chain(count)).await,
            "QUERY_TOO_COMPLEX",
            &format!("{count} chained unused fragments"),
        );
    }
    // A few: a plain validation error, one for all of them.
    let answer = send(&app, &unused_chain(40)).await;
    assert_refused(&answer, "BAD_USER_INPUT", "40 unused fragments");
    let message = answer.body["errors"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("41"), "{message}");
    // One unused fragment beside a used one.
    let answer = send(
        &app,
        "{ ...Used } fragment Used on Query { __typename } fragment Spare on Query { __typename }",
    )
    .await;
    assert_refused(&answer, "BAD_USER_INPUT", "one unused fragment");
    assert!(
        answer.body["errors"][0]["message"]
            .as_str()
            .is_some_and(|message| message.contains("Spare")),
        "{}",
        answer.body
    );
    assert_alive(&app).await;
}

#[tokio::test]
async fn too_many_fragments_or_operations_are_refused() {
    let app = TestApp::spawn().await;
    // 100 fragments, all used: accepted.
    let fragments = |count: usize| {
        let spreads: Vec<String> = (0..count).map(|index| format!("...F{index}")).collect();
        let mut query = format!("{{ {} }}\n", spreads.join(" "));
        for index in 0..count {
            query.push_str(&format!("fragment F{index} on Query {{ __typename }}\n"));
        }
        query
    };
    let answer = send(&app, &fragments(100)).await;
    assert_eq!(
        answer.body["data"]["__typename"], "Query",
        "{}",
        answer.body
    );
    assert_refused(
        &send(&app, &fragments(101)).await,
        "QUERY_TOO_COMPLEX",
        "101 fragments",
    );

    // 300 fragments that each spread every one after them: 45,450 spreads.
    let mut web = String::from("{ ...F0 }\n");
    for index in 0..300 {
        let spreads: Vec<String> = (index + 1..300).map(|next| format!("...F{next}")).collect();
        web.push_str(&format!(
            "fragment F{index} on Query {{ __typename {} }}\n",
            spreads.join(" ")
        ));
    }
    assert!(web.len() < 1_048_576, "{} bytes", web.len());
    assert_refused(
        &send(&app, &web).await,
        "QUERY_TOO_COMPLEX",
        "300 fragments spreading each other",
    );

    // Operations: 50 accepted (the one named runs), 51 refused.
    let operations = |count: usize| {
        (0..count)
            .map(|index| format!("query Q{index} {{ __typename }}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let answer = post(
        &app,
        &json!({ "query": operations(50), "operationName": "Q49" }),
    )
    .await;
    assert_eq!(
        answer.body["data"]["__typename"], "Query",
        "{}",
        answer.body
    );
    let answer = post(
        &app,
        &json!({ "query": operations(51), "operationName": "Q50" }),
    )
    .await;
    assert_refused(&answer, "QUERY_TOO_COMPLEX", "51 operations");
    assert_alive(&app).await;
}

#[tokio::test]
async fn directives_count_wherever_they_stand() {
    let app = TestApp::spawn().await;
    let pile = |count: usize| " @include(if: true)".repeat(count);
    // The default limit is 50 directives in a document.
    let answer = send(
        &app,
        &format!(
            "query($v: Boolean{}) {{ __typename }}",
            " @deprecated".repeat(50)
        ),
    )
    .await;
    assert_ne!(
        error_code(&answer.body),
        Some("QUERY_TOO_COMPLEX"),
        "50 directives are within the limit: {}",
        shorten(&answer.body)
    );
    for (case, query) in [
        (
            "51 on a variable definition",
            format!(
                "query($v: Boolean{}) {{ __typename }}",
                " @deprecated".repeat(51)
            ),
        ),
        (
            "5,000 on a variable definition",
            format!("query($v: Boolean{}) {{ __typename }}", " @a".repeat(5_000)),
        ),
        (
            "20,000 on a variable definition",
            format!(
                "query($v: Boolean{}) {{ __typename }}",
                " @a".repeat(20_000)
            ),
        ),
        (
            "51 on the operation",
            format!("query Q{} {{ __typename }}", pile(51)),
        ),
        (
            "51 on an inline fragment",
            format!("{{ ... on Query{} {{ __typename }} }}", pile(51)),
        ),
        (
            "51 on a spread",
            format!(
                "{{ ...F{} }} fragment F on Query {{ __typename }}",
                pile(51)
            ),
        ),
        (
            "51 on a fragment definition",
            format!(
                "{{ ...F }} fragment F on Query{} {{ __typename }}",
                pile(51)
            ),
        ),
        (
            "30 on a fragment spread twice",
            format!(
                "{{ ...F a: __typename ...F }} fragment F on Query{} {{ __typename }}",
                pile(30)
            ),
        ),
    ] {
        assert_refused(&send(&app, &query).await, "QUERY_TOO_COMPLEX", case);
    }
    assert_alive(&app).await;
}

#[tokio::test]
async fn piles_of_tokens_aliases_and_inline_fragments_are_refused() {
    let app = TestApp::spawn().await;
    // 80,000 selections of `__typename` fit under the 1 MiB body cap.
    let typenames = format!("{{ {} }}", "__typename ".repeat(80_000));
    assert!(typenames.len() < 1_048_576);
    assert_refused(
        &send(&app, &typenames).await,
        "QUERY_TOO_COMPLEX",
        "80,000 __typename",
    );
    // 3,000 inline fragments, each with an alias.
    let inline: Vec<String> = (0..3_000)
        .map(|index| format!("... on Query {{ a{index}: __typename }}"))
        .collect();
    assert_refused(
        &send(&app, &format!("{{ {} }}", inline.join(" "))).await,
        "QUERY_TOO_COMPLEX",
        "3,000 inline fragments with aliases",
    );
    // The same inside a fragment no operation uses.
    assert_refused(
        &send(
            &app,
            &format!(
                "{{ __typename }} fragment Spare on Query {{ {} }}",
                inline.join(" ")
            ),
        )
        .await,
        "QUERY_TOO_COMPLEX",
        "3,000 inline fragments in an unused fragment",
    );
    // Comments, commas and strings are not tokens of their own, but cannot hide brackets.
    let quiet = format!(
        "{{ __typename # {}\n a: __typename, b: __typename }}",
        "{[(".repeat(10_000)
    );
    let answer = send(&app, &quiet).await;
    assert!(
        answer.body.get("errors").is_none(),
        "{}",
        shorten(&answer.body)
    );
    let block = format!(
        "{{ nodes(ids: [\"\"\"{}\\\"\"\" ]\"\"\"]) {{ id }} }}",
        "[".repeat(10_000)
    );
    let answer = send(&app, &block).await;
    assert_ne!(
        error_code(&answer.body),
        Some("QUERY_TOO_COMPLEX"),
        "brackets inside a block string: {}",
        shorten(&answer.body)
    );
    assert_alive(&app).await;
}

#[tokio::test]
async fn long_texts_are_refused_before_the_parser_reads_them() {
    let app = TestApp::spawn().await;
    // 1 MiB of comment, white space or string: no tokens to speak of, but the parser reads
    // every byte (and quotes the line in a syntax error).
    let comment = format!("{{ __typename }} #{}\n }}", "x".repeat(1_000_000));
    assert_refused(
        &send(&app, &comment).await,
        "QUERY_TOO_COMPLEX",
        "a 1 MB comment",
    );
    let spaces = format!("{{ __typename {} }}", " ".repeat(1_000_000));
    assert_refused(
        &send(&app, &spaces).await,
        "QUERY_TOO_COMPLEX",
        "1 MB of spaces",
    );
    // Under the 128 KiB bound, a syntax error after a long string answers a short message.
    let string = format!("{{ __typename(a: \"{}\") }} }}", "x".repeat(120_000));
    let answer = send(&app, &string).await;
    assert_refused(
        &answer,
        "BAD_USER_INPUT",
        "a syntax error after a long string",
    );
    let length = answer.body.to_string().len();
    assert!(length < 5_000, "an answer of {length} bytes");
    // A name longer than 1,024 characters.
    let name = format!("{{ a{} }}", "x".repeat(1_024));
    let answer = send(&app, &name).await;
    assert_refused(&answer, "QUERY_TOO_COMPLEX", "a long name");
    assert!(
        answer.body.to_string().len() < 1_000,
        "{}",
        shorten(&answer.body)
    );
    assert_alive(&app).await;

    let app = TestApp::spawn_with(|config| config.query_limits.max_bytes = 20).await;
    let answer = send(&app, "{ a: __typename }").await;
    assert_eq!(answer.body["data"]["a"], "Query", "{}", answer.body);
    assert_refused(
        &send(&app, "{ a: __typename b: __typename }").await,
        "QUERY_TOO_COMPLEX",
        "31 bytes over 20",
    );
}

#[tokio::test]
async fn unknown_names_are_refused_without_spelling_suggestions() {
    let app = TestApp::spawn().await;
    // 450 unknown fields of 250 characters on the type with the most fields: the engine's
    // suggestions compared each with the name of every mutation (435 ms in a release build).
    let unknown: Vec<String> = (0..450)
        .map(|index| format!("f{index}{}", "x".repeat(250)))
        .collect();
    // First a near miss, which the engine answered with "Did you mean \"createPlan\"?".
    let query = format!("mutation {{ createPlann {} }}", unknown.join(" "));
    assert!(query.len() < 131_072);
    let answer = send(&app, &query).await;
    let errors = answer.body["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(errors.len(), 21, "{}", shorten(&answer.body));
    assert!(
        errors.iter().all(|error| {
            error["extensions"]["code"] == "BAD_USER_INPUT"
                && !error["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("Did you mean")
        }),
        "{}",
        shorten(&answer.body)
    );
    assert!(answer.elapsed < GENEROUS, "refused in {:?}", answer.elapsed);
    assert_alive(&app).await;
}

#[tokio::test]
async fn the_token_bound_is_configurable() {
    let app = TestApp::spawn_with(|config| config.query_limits.max_tokens = 10).await;
    // `{ a: __typename b: __typename }`: 8 tokens.
    let answer = send(&app, "{ a: __typename b: __typename }").await;
    assert_eq!(answer.body["data"]["b"], "Query", "{}", answer.body);
    assert_refused(
        &send(&app, "{ a: __typename b: __typename c: __typename }").await,
        "QUERY_TOO_COMPLEX",
        "11 tokens over 10",
    );
}

/// `count` selections of `viewer { subject }` under aliases.
fn viewers(count: usize) -> String {
    let fields: Vec<String> = (0..count)
        .map(|index| format!("v{index}: viewer {{ subject }}"))
        .collect();
    format!("{{ {} }}", fields.join(" "))
}

#[tokio::test]
async fn errors_are_capped_in_every_answer() {
    let app = TestApp::spawn_with(|config| config.allow_batching = true).await;
    // 30 unknown fields: 30 validation errors, of which 20 are shown.
    let unknown: Vec<String> = (0..30)
        .map(|index| format!("f{index}: nope{index}"))
        .collect();
    let query = format!("{{ {} }}", unknown.join(" "));
    let assert_capped = |body: &Value| {
        let errors = body["errors"].as_array().cloned().unwrap_or_default();
        assert_eq!(errors.len(), 21, "{}", shorten(body));
        assert!(
            errors
                .iter()
                .all(|error| error["extensions"]["code"] == "BAD_USER_INPUT"),
            "{}",
            shorten(body)
        );
        let last = errors[20]["message"].as_str().unwrap_or("");
        assert!(
            last.contains("too many errors") && last.contains("10 more"),
            "{last}"
        );
    };
    assert_capped(&send(&app, &query).await.body);
    let answer = post(&app, &json!([{ "query": query }, { "query": query }])).await;
    let answers = answer.body.as_array().cloned().unwrap_or_default();
    assert_eq!(answers.len(), 2, "{}", shorten(&answer.body));
    answers.iter().for_each(assert_capped);

    // Resolver errors are capped too: 30 selections of `viewer` without a token.
    let answer = send(&app, &viewers(30)).await;
    let errors = answer.body["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(errors.len(), 21, "{}", shorten(&answer.body));
    assert_eq!(error_code(&answer.body), Some("UNAUTHENTICATED"));
    assert_eq!(errors[20]["extensions"]["code"], "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_batch_counts_its_operations_against_one_budget() {
    let app = TestApp::spawn_with(|config| config.allow_batching = true).await;
    let token = app.token("acme", "admin");
    let create = json!({ "query": "mutation { createPlan(input: { name: \"Batched\", periodStart: \"2027-01-01\", periodEnd: \"2027-12-31\", budget: \"1\" }) { plan { id } } }" });
    let post_as = |body: Value| {
        let request = app
            .client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&token)
            .json(&body);
        async move {
            let response = request.send().await.expect("an answer");
            let status = response.status();
            (status, response.json::<Value>().await.expect("JSON"))
        }
    };
    let plans = || async {
        app.data(&token, "{ plans { totalCount } }", json!({}))
            .await["plans"]["totalCount"]
            .as_i64()
    };

    // 300 selections pass alone; a plan and 2 × 300 do not fit 500 together, and nothing runs.
    let (_, body) = post_as(json!([create, { "query": viewers(150) }])).await;
    assert_eq!(
        body[1]["data"]["v149"]["subject"],
        "acme-admin-user",
        "{}",
        shorten(&body)
    );
    assert_eq!(plans().await, Some(1));
    let (status, body) =
        post_as(json!([create, { "query": viewers(150) }, { "query": viewers(150) }])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{}", shorten(&body));
    assert_eq!(
        error_code(&body),
        Some("QUERY_TOO_COMPLEX"),
        "{}",
        shorten(&body)
    );
    assert_eq!(plans().await, Some(1), "a refused batch ran an operation");

    // 11 operations are over the default cap of 10.
    let mut eleven = vec![create.clone()];
    eleven.extend((0..10).map(|_| json!({ "query": "{ __typename }" })));
    let (status, body) = post_as(Value::Array(eleven)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{}", shorten(&body));
    assert_eq!(
        error_code(&body),
        Some("QUERY_TOO_COMPLEX"),
        "{}",
        shorten(&body)
    );
    assert_eq!(plans().await, Some(1), "a refused batch ran an operation");

    // A syntax error answers its own operation; the others run.
    let (status, body) = post_as(
        json!([{ "query": "{ viewer { subject }" }, { "query": "{ viewer { subject } }" }]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", shorten(&body));
    assert_eq!(
        body[0]["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert_eq!(
        body[1]["data"]["viewer"]["subject"], "acme-admin-user",
        "{body}"
    );
}

#[tokio::test]
async fn a_batch_of_hundreds_of_operations_is_refused_before_anything_runs() {
    // With the operation cap raised out of the way, the shared budget still refuses
    // 200 operations × 480 fields.
    // 200 × 480 selections take more than the default 1 MiB body cap.
    let app = TestApp::spawn_with(|config| {
        config.allow_batching = true;
        config.max_batch_operations = 200;
        config.max_body_bytes = 4 * 1_048_576;
    })
    .await;
    let one: Vec<String> = (0..480)
        .map(|index| format!("a{index}: __typename"))
        .collect();
    let one = format!("{{ {} }}", one.join(" "));
    let batch: Vec<Value> = (0..200).map(|_| json!({ "query": one })).collect();
    let answer = post(&app, &Value::Array(batch)).await;
    assert_eq!(
        answer.status,
        StatusCode::BAD_REQUEST,
        "{}",
        shorten(&answer.body)
    );
    assert_refused(&answer, "QUERY_TOO_COMPLEX", "200 × 480 fields");

    // The default cap of 10 refuses it first.
    let app = TestApp::spawn_with(|config| {
        config.allow_batching = true;
        config.max_body_bytes = 4 * 1_048_576;
    })
    .await;
    let batch: Vec<Value> = (0..200).map(|_| json!({ "query": one })).collect();
    let answer = post(&app, &Value::Array(batch)).await;
    assert_refused(&answer, "QUERY_TOO_COMPLEX", "200 operations");
    assert_alive(&app).await;
}
