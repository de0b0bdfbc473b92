//! Unit tests of document admission, and the proof of the stack margins claimed in the
//! module's documentation.

use async_graphql::{BatchRequest, EmptyMutation, EmptySubscription, Json, Object, Schema};

use super::introspection::tests::STANDARD_DOCUMENTS;
use super::*;
use crate::config::{MAX_QUERY_DEPTH_CEILING, MAX_QUERY_NESTING, QueryLimits};

fn limits() -> QueryLimits {
    QueryLimits {
        max_depth: 3,
        max_fields: 10,
        max_directives: 2,
        max_nesting: 6,
        max_tokens: 200,
        max_bytes: 1_000,
        max_cost: 1_000,
    }
}

/// Admits `query` alone under [`limits`]; the refusal's message when refused.
fn verdict(query: &str) -> Result<(), String> {
    verdict_with(query, &mut Budget::for_request(limits()))
}

fn verdict_with(query: &str, budget: &mut Budget) -> Result<(), String> {
    admit_document(query, budget)
        .map(|_| ())
        .map_err(|refusal| ServerError::from(refusal).message)
}

/// The code of the error a refusal answers.
fn code_of(refusal: Refusal) -> Option<String> {
    let error = ServerError::from(refusal);
    match error.extensions.as_ref().and_then(|e| e.get("code")) {
        Some(async_graphql::Value::String(code)) => Some(code.clone()),
        _ => None,
    }
}

#[test]
fn accepts_small_queries() {
    assert_eq!(verdict("{ a { b { c } } }"), Ok(()));
    assert_eq!(
        verdict("query Q($v: Int @d) @d { a(x: [{y: [1]}]) ...F } fragment F on Q { b }"),
        Ok(())
    );
}

#[test]
fn refuses_depth_aliases_and_directives() {
    assert!(verdict("{ a { b { c { d } } } }").is_err());
    assert!(
        verdict("{ a1: a a2: a a3: a a4: a a5: a a6: a a7: a a8: a a9: a a10: a a11: a }").is_err()
    );
    assert!(verdict("{ a @skip(if: false) b @skip(if: false) c @skip(if: false) }").is_err());
}

#[test]
fn expands_fragments_without_exploding() {
    let bomb = "query { ...F0 } fragment F0 on Q { ...F1 ...F1 } fragment F1 on Q { ...F2 ...F2 } \
                fragment F2 on Q { ...F3 ...F3 } fragment F3 on Q { a b c }";
    assert!(verdict(bomb).is_err());
}

#[test]
fn refuses_the_text_before_parsing_it() {
    // Seven brackets deep, of any kind, over a bound of six.
    let refused = [
        "{ a(x: [[[[[1]]]]]) }",
        "{ a(x: {b: {c: {d: {e: {f: 1}}}}}) }",
        "query($v: [ID] = [[[[[[1]]]]]]) { a }",
        "query($v: [[[[[[[ID]]]]]]]) { a }",
        "{ a { b { ... on Q { ... on Q { ... on Q { ... on Q { c } } } } } } }",
    ];
    for query in refused {
        let message = verdict(query).err().unwrap_or_default();
        assert!(message.contains("deeper than 6"), "{query}: {message}");
    }
    assert!(verdict("{ a(x: [[[[1]]]]) }").is_ok());
    let message = verdict(&format!("{{ {} }}", "a ".repeat(199)))
        .err()
        .unwrap_or_default();
    assert!(message.contains("more than 200 tokens"), "{message}");
    // Bytes first, even where there are few tokens: a comment, a string.
    let long = format!("{{ a }} #{}", "x".repeat(1_000));
    let message = verdict(&long).err().unwrap_or_default();
    assert_eq!(message, "the query is longer than 1000 bytes");
    let string = format!("{{ a(s: \"{}\") }}", "x".repeat(900));
    assert_eq!(verdict(&string), Ok(()));
    let name = format!("{{ {} }}", "a".repeat(MAX_WORD_BYTES + 1));
    let long_name = admit_document(
        &name,
        &mut Budget::for_request(QueryLimits {
            max_bytes: 10_000,
            ..limits()
        }),
    );
    assert_eq!(
        long_name.err().and_then(code_of).as_deref(),
        Some("QUERY_TOO_COMPLEX")
    );
}

#[test]
fn spreads_and_inline_fragments_nest() {
    // A chain of spreads is one bracket deep in the text, seven selections deep expanded.
    let chain = "{ ...A } fragment A on Q { ...B } fragment B on Q { ...C } \
                 fragment C on Q { ...D } fragment D on Q { ...E } fragment E on Q { ...F } \
                 fragment F on Q { x }";
    let message = verdict(chain).err().unwrap_or_default();
    assert!(message.contains("deeper than 6"), "{message}");
    let shorter = "{ ...A } fragment A on Q { ...B } fragment B on Q { ...C } \
                   fragment C on Q { ...D } fragment D on Q { ...E } fragment E on Q { x }";
    assert_eq!(verdict(shorter), Ok(()));
    // Inline fragments nest without deepening fields: depth 3 holds, nesting 6 does not.
    assert_eq!(
        verdict("{ a { ... on Q { ... on Q { b { c } } } } }"),
        Ok(())
    );
}

#[test]
fn counts_directives_wherever_they_stand() {
    for query in [
        "query($v: Int @a @b @c) { x }",
        "query($v: Int @a, $w: Int @b) @c { x }",
        "query @a @b @c { x }",
        "{ ... on Q @a @b @c { x } }",
        "{ ...F @a @b @c } fragment F on Q { x }",
        "{ ...F } fragment F on Q @a @b @c { x }",
        // A fragment's own directives count at each spread.
        "{ ...F y: x ...F } fragment F on Q @a @b { x }",
    ] {
        let message = verdict(query).err().unwrap_or_default();
        assert!(
            message.contains("more than 2 directives"),
            "{query}: {message}"
        );
    }
    assert_eq!(verdict("query($v: Int @a) @b { x }"), Ok(()));
}

#[test]
fn refuses_unused_fragments_in_one_error() {
    // Used through another fragment is used.
    assert_eq!(
        verdict("{ ...A } fragment A on Q { ...B } fragment B on Q { x }"),
        Ok(())
    );
    let refusal = admit_document(
        "{ x } fragment A on Q { ...B } fragment B on Q { ...A } fragment C on Q { x }",
        &mut Budget::for_request(limits()),
    )
    .err();
    let message = refusal
        .clone()
        .map(|r| ServerError::from(r).message)
        .unwrap_or_default();
    assert!(
        message.contains("3 fragment(s)") && message.contains("A, B, C"),
        "{message}"
    );
    assert_eq!(refusal.and_then(code_of).as_deref(), Some("BAD_USER_INPUT"));
    // Many are named by their first five.
    let many: String = (0..9)
        .map(|index| format!(" fragment F{index} on Q {{ x }}"))
        .collect();
    let message = verdict(&format!("{{ x }}{many}")).err().unwrap_or_default();
    assert!(message.contains("(F0, F1, F2, F3, F4, …)"), "{message}");
}

#[test]
fn caps_fragments_and_operations() {
    let generous = QueryLimits {
        max_fields: 10_000,
        max_tokens: 100_000,
        max_bytes: 1_000_000,
        ..limits()
    };
    let fragments = |count: usize| {
        let spreads: String = (0..count).map(|index| format!(" ...F{index}")).collect();
        let definitions: String = (0..count)
            .map(|index| format!(" fragment F{index} on Q {{ x }}"))
            .collect();
        format!("{{{spreads} }}{definitions}")
    };
    let admit_alone = |query: &str| admit_document(query, &mut Budget::for_request(generous)).err();
    assert!(admit_alone(&fragments(MAX_FRAGMENTS)).is_none());
    let refusal = admit_alone(&fragments(MAX_FRAGMENTS + 1));
    assert_eq!(
        refusal.and_then(code_of).as_deref(),
        Some("QUERY_TOO_COMPLEX")
    );
    let operations = |count: usize| -> String {
        (0..count)
            .map(|index| format!("query Q{index} {{ x }} "))
            .collect()
    };
    assert!(admit_alone(&operations(MAX_OPERATIONS)).is_none());
    let refusal = admit_alone(&operations(MAX_OPERATIONS + 1));
    assert_eq!(
        refusal.and_then(code_of).as_deref(),
        Some("QUERY_TOO_COMPLEX")
    );
}

#[test]
fn a_batch_spends_one_budget() {
    let mut batch = Budget::for_batch(limits());
    assert_eq!(verdict_with("{ a b c d e f }", &mut batch), Ok(()));
    let message = verdict_with("{ a b c d e f }", &mut batch)
        .err()
        .unwrap_or_default();
    assert_eq!(
        message,
        "the batch selects more than 10 fields in all its operations"
    );
    // Bytes too: 15 + 15 fit in 30, 15 more do not.
    let mut batch = Budget::for_batch(QueryLimits {
        max_bytes: 30,
        max_fields: 100,
        ..limits()
    });
    for _ in 0..2 {
        assert_eq!(verdict_with("{ a b c d e f }", &mut batch), Ok(()));
    }
    let message = verdict_with("{ a b c d e f }", &mut batch)
        .err()
        .unwrap_or_default();
    assert_eq!(
        message,
        "the batch is longer than 30 bytes in all its operations"
    );
    // Tokens too: 8 + 8 fit in 16, 8 more do not.
    let mut batch = Budget::for_batch(QueryLimits {
        max_tokens: 16,
        max_fields: 100,
        ..limits()
    });
    for _ in 0..2 {
        assert_eq!(verdict_with("{ a b c d e f }", &mut batch), Ok(()));
    }
    let message = verdict_with("{ a b c d e f }", &mut batch)
        .err()
        .unwrap_or_default();
    assert!(message.contains("more than 16 tokens in all"), "{message}");
    // Alone, each request has its own.
    for _ in 0..3 {
        assert_eq!(verdict("{ a b c d e f }"), Ok(()));
    }
}

#[test]
fn syntax_errors_are_invalid_input_not_shape_refusals() {
    for query in ["{ a ", "{ a(x: ) }", "", "query A { a } query A { b }"] {
        let refusal = admit_document(query, &mut Budget::for_request(limits())).err();
        assert!(matches!(refusal, Some(Refusal::Invalid(_))), "{query}");
        assert_eq!(refusal.and_then(code_of).as_deref(), Some("BAD_USER_INPUT"));
    }
}

/// A schema with an endless chain of objects and lists, to run selections nested as deep as
/// the bounds allow (every field of the API's own schema needs a database and a session).
struct Chain;

#[Object]
impl Chain {
    /// The next link.
    async fn next(&self) -> Chain {
        Chain
    }

    /// The next links, as a list of one.
    async fn list(&self) -> Vec<Chain> {
        vec![Chain]
    }

    /// The end of a path, with any JSON value.
    async fn end(&self, value: Option<Json<serde_json::Value>>) -> bool {
        value.is_none()
    }
}

/// The limits at their highest: fields as deep as configuration allows, and the nesting bound.
fn highest() -> QueryLimits {
    QueryLimits {
        max_depth: MAX_QUERY_DEPTH_CEILING,
        max_fields: 500,
        max_directives: 50,
        max_nesting: MAX_QUERY_NESTING,
        max_tokens: 10_000,
        max_bytes: 131_072,
        max_cost: 50_000,
    }
}

/// Among the documents `make(levels)`, the most deeply nested one admitted (the next level
/// being refused).
fn deepest_admitted(make: impl Fn(usize) -> String) -> String {
    let admitted =
        |levels: usize| admit_document(&make(levels), &mut Budget::for_request(highest())).is_ok();
    let levels = (1..=MAX_QUERY_NESTING)
        .rev()
        .find(|levels| admitted(*levels))
        .unwrap_or_else(|| panic!("no level admitted: {}", make(1)));
    assert!(!admitted(levels + 1), "not the deepest: {}", make(levels));
    make(levels)
}

/// Among the requests `make(levels)`, the most deeply nested one that decodes as the HTTP
/// handler decodes a POST.
fn deepest_json(make: impl Fn(usize) -> String) -> String {
    let decodes = |levels: usize| serde_json::from_str::<BatchRequest>(&make(levels)).is_ok();
    let levels = (1..=256)
        .rev()
        .find(|levels| decodes(*levels))
        .unwrap_or_else(|| panic!("no level decodes: {}", make(1)));
    assert!(levels > 100, "{levels}");
    make(levels)
}

fn nested(open: &str, middle: &str, close: &str, levels: usize) -> String {
    format!("{}{middle}{}", open.repeat(levels), close.repeat(levels))
}

/// The deepest documents admitted on every axis of nesting, with the API's schema: literals,
/// variable defaults and types, inline fragments, chains of fragments, JSON variables.
fn deepest_api_documents() -> Vec<String> {
    vec![
        deepest_admitted(|n| {
            format!(
                "{{ nodes(ids: {}) {{ id }} }}",
                nested("[", "\"x\"", "]", n)
            )
        }),
        deepest_admitted(|n| {
            format!(
                "mutation {{ createPlan(input: {}) {{ plan {{ id }} }} }}",
                nested("{a: ", "1", "}", n)
            )
        }),
        deepest_admitted(|n| {
            format!(
                "query($v: [ID!] = {}) {{ __typename }}",
                nested("[", "\"x\"", "]", n)
            )
        }),
        deepest_admitted(|n| format!("query($v: {}) {{ __typename }}", nested("[", "ID", "]", n))),
        deepest_admitted(|n| format!("{{ {} }}", nested("... on Query { ", "__typename", " }", n))),
        deepest_admitted(|n| {
            let mut chain = String::from("{ ...F0 }");
            for index in 0..n {
                chain.push_str(&format!(
                    " fragment F{index} on Query {{ ...F{} }}",
                    index + 1
                ));
            }
            chain + &format!(" fragment F{n} on Query {{ __typename }}")
        }),
        // The request of a POST, with variables as deep as `serde_json` reads them.
        deepest_json(|n| {
            format!(
                r#"{{"query": "query($v: [ID!]) {{ nodes(ids: $v) {{ id }} }}", "variables": {{"v": {}}}}}"#,
                nested("[", "\"x\"", "]", n)
            )
        }),
    ]
}

/// The deepest documents admitted that run to their end: fields, lists and inline fragments
/// as deep as allowed, and values as deep as allowed taken in by a resolver.
fn deepest_chain_documents() -> Vec<String> {
    vec![
        deepest_admitted(|n| nested("{ next ", "{ end }", " }", n)),
        deepest_admitted(|n| nested("{ list { next ", "{ end }", " } }", n)),
        deepest_admitted(|n| {
            format!(
                "{{ next {{ {} }} }}",
                nested("... on Chain { next { ", "end", " } }", n)
            )
        }),
        deepest_admitted(|n| format!("{{ end(value: {}) }}", nested("[", "1", "]", n))),
        deepest_admitted(|n| format!("{{ end(value: {}) }}", nested("{a: ", "1", "}", n))),
    ]
}

#[test]
fn the_deepest_admitted_documents_fit_a_small_stack() {
    let api_documents = deepest_api_documents();
    let chain_documents = deepest_chain_documents();
    let api = crate::graphql::build_schema(highest());
    let chain = crate::graphql::with_limits(
        Schema::build(Chain, EmptyMutation, EmptySubscription),
        highest(),
    )
    .finish();
    // Admission, parsing, validation, execution, serialisation and drop, all on the thread.
    let run = move || {
        let mut answers = Vec::new();
        for document in api_documents {
            let request = if document.starts_with("{\"query\"") {
                serde_json::from_str::<BatchRequest>(&document)
                    .and_then(|batch| batch.into_single().map_err(serde::de::Error::custom))
                    .unwrap_or_else(|e| panic!("{e}: {document}"))
            } else {
                Request::new(document)
            };
            let response = futures::executor::block_on(api.execute(request));
            answers.push(serde_json::to_string(&response).unwrap_or_default());
        }
        // The standard introspection documents, which run deeper than the data may.
        for (name, document) in STANDARD_DOCUMENTS {
            let response = futures::executor::block_on(api.execute(document));
            assert!(response.errors.is_empty(), "{name}: {:?}", response.errors);
            let answer = serde_json::to_string(&response).unwrap_or_default();
            assert!(answer.contains("\"name\":\"Plan\""), "{name}");
        }
        for document in chain_documents {
            let response = futures::executor::block_on(chain.execute(document.as_str()));
            assert!(
                response.errors.is_empty(),
                "{document}: {:?}",
                response.errors
            );
            answers.push(serde_json::to_string(&response).unwrap_or_default());
        }
        answers
    };
    // A stack overflow aborts the whole test binary: that is this test failing.
    let answers = std::thread::Builder::new()
        .name("small-stack".to_owned())
        .stack_size(PROVEN_STACK_BYTES)
        .spawn(run)
        .unwrap_or_else(|error| panic!("no thread: {error}"))
        .join()
        .unwrap_or_else(|_| panic!("the run on a small stack panicked"));
    // Every document was answered, none refused as too complex, nor by pest's stack guard.
    assert_eq!(answers.len(), 12);
    for answer in answers {
        assert!(!answer.contains("QUERY_TOO_COMPLEX"), "{answer}");
        assert!(!answer.contains("limit reached"), "{answer}");
    }
}
