//! Introspection as tools do it: the standard introspection documents of graphql-js 16 and 17
//! and of graphql-core 3.3, verbatim from `tests/fixtures/introspection` (what GraphiQL,
//! graphql-codegen, graphql-inspector and Python gql send), are answered whole with the
//! default limits and without a token. Introspection still has bounds: hostile shapes of it
//! are refused with `QUERY_TOO_COMPLEX`, quickly, and the server goes on answering.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::query_shapes::{assert_alive, assert_refused, nested, send};
use crate::support::TestApp;

/// Where the standard documents are kept, with a README saying how they were generated.
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/introspection");

/// Every `.graphql` file of the fixtures, by name, sorted.
fn standard_documents() -> Vec<(String, String)> {
    let entries = std::fs::read_dir(FIXTURES).unwrap_or_else(|e| panic!("{FIXTURES}: {e}"));
    let mut documents: Vec<(String, String)> = entries
        .map(|entry| entry.unwrap_or_else(|e| panic!("{FIXTURES}: {e}")).path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "graphql"))
        .map(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (name.into_owned(), text)
        })
        .collect();
    documents.sort();
    assert_eq!(documents.len(), 6, "the fixtures: {documents:?}");
    documents
}

/// The type named `name` in an introspection answer.
fn type_named<'a>(schema: &'a Value, name: &str) -> &'a Value {
    schema["types"]
        .as_array()
        .and_then(|types| types.iter().find(|t| t["name"] == name))
        .unwrap_or_else(|| panic!("no type {name}"))
}

#[tokio::test]
async fn the_standard_introspection_documents_are_answered_whole() {
    let app = TestApp::spawn().await;
    for (name, text) in standard_documents() {
        assert_eq!(text.matches("ofType").count(), 9, "{name}");
        // As GraphiQL sends it: named, without a token.
        let (status, body) = app
            .post(
                None,
                &[],
                &json!({ "query": text, "operationName": "IntrospectionQuery" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
        assert!(body.get("errors").is_none(), "{name}: {}", body["errors"]);
        // Introspection costs a small fixed amount (README, "Query cost").
        assert_eq!(body["extensions"]["cost"]["requested"], 10, "{name}");
        let schema = &body["data"]["__schema"];
        assert_eq!(schema["queryType"]["name"], "Query", "{name}");
        assert_eq!(schema["mutationType"]["name"], "Mutation", "{name}");
        assert_eq!(schema["subscriptionType"]["name"], "Subscription", "{name}");
        // Types come whole: `Plan`'s `id` is an `ID!`, its fields documented.
        let plan = type_named(schema, "Plan");
        assert_eq!(plan["kind"], "OBJECT", "{name}");
        let id = plan["fields"]
            .as_array()
            .and_then(|fields| fields.iter().find(|field| field["name"] == "id"))
            .unwrap_or_else(|| panic!("{name}: Plan has no id"));
        assert_eq!(id["type"]["kind"], "NON_NULL", "{name}");
        assert_eq!(id["type"]["ofType"]["name"], "ID", "{name}");
        assert!(plan["description"].is_string(), "{name}");
        assert!(!schema["directives"].as_array().is_none_or(Vec::is_empty));
        if name.contains("all-options") {
            assert!(schema["description"].is_string(), "{name}");
            assert!(
                schema["directives"][0]["isRepeatable"].is_boolean(),
                "{name}"
            );
            let input = type_named(schema, "CreatePlanInput");
            assert!(
                input["inputFields"][0]["isDeprecated"].is_boolean(),
                "{name}"
            );
        }
    }
}

#[tokio::test]
async fn hostile_introspection_is_refused_quickly() {
    let app = TestApp::spawn().await;
    let on_plan = |inner: &str| format!("{{ __type(name: \"Plan\") {{ {inner} }} }}");
    let aliases = |count: usize| {
        let selections: Vec<String> = (0..count)
            .map(|index| format!("s{index}: __schema {{ types {{ name }} }}"))
            .collect();
        format!("{{ {} }}", selections.join(" "))
    };
    let cases = [
        (
            "`fields { type { … } }` twenty deep under __type",
            on_plan(&nested("fields { type { ", "name", " } }", 20)),
            "nests `fields`",
        ),
        (
            "`fields { type { … } }` three deep under __schema's types",
            format!(
                "{{ __schema {{ types {{ {} }} }} }}",
                nested("fields { type { ", "name", " } }", 3)
            ),
            "nests `fields`",
        ),
        (
            "`interfaces { possibleTypes { … } }` ten deep",
            on_plan(&nested("interfaces { possibleTypes { ", "name", " } }", 10)),
            "nests `fields`",
        ),
        (
            "3,000 aliased `__schema { types { name } }`",
            aliases(3_000),
            "more than 10000 tokens",
        ),
        (
            "167 aliased `__schema { types { name } }`",
            aliases(167),
            "selects more than 500 fields",
        ),
        (
            "`ofType` 40 deep",
            on_plan(&nested("ofType { ", "name", " }", 40)),
            "introspection query is nested deeper than 16 levels",
        ),
        (
            "`ofType` 5,000 deep",
            on_plan(&nested("ofType { ", "name", " }", 5_000)),
            "brackets or selections deeper than 64",
        ),
    ];
    for (case, query, message) in cases {
        let answer = send(&app, &query).await;
        assert_refused(&answer, "QUERY_TOO_COMPLEX", case);
        let said = answer.body["errors"][0]["message"].as_str().unwrap_or("");
        assert!(said.contains(message), "{case}: {said}");
    }
    // What the standard documents do, aliased twice, fits in the budget and is answered.
    let twice = "{ a: __schema { types { name fields { name type { name ofType { name } } } } } \
                 b: __schema { types { name } } }";
    let answer = send(&app, twice).await;
    assert!(answer.body.get("errors").is_none(), "{}", answer.body);
    assert_eq!(
        answer.body["data"]["a"]["types"].as_array().map(Vec::len),
        answer.body["data"]["b"]["types"].as_array().map(Vec::len)
    );
    assert_alive(&app).await;
}
