//! The schema as documentation: the checked-in `schema.graphql` is exactly what the code
//! exports, and every type, field, argument, input field and enum value has a description.

use serde_json::{Value, json};

use crate::support::TestApp;

/// The checked-in SDL, at the workspace root.
const SCHEMA_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");

/// Set to `1` to rewrite `schema.graphql` from the code instead of failing on a difference.
const UPDATE_VARIABLE: &str = "UPDATE_SCHEMA";

#[test]
fn the_checked_in_schema_is_the_one_the_code_exports() {
    let exported = levier::graphql::sdl::export(&levier::graphql::build_schema(
        levier::Config::development("sqlite::memory:").query_limits,
    ));
    assert!(
        exported.contains("type Query") && exported.contains("type Mutation"),
        "the export looks empty:\n{exported}"
    );
    if std::env::var(UPDATE_VARIABLE).is_ok_and(|value| value == "1") {
        std::fs::write(SCHEMA_FILE, &exported)
            .unwrap_or_else(|e| panic!("cannot write {SCHEMA_FILE}: {e}"));
        return;
    }
    let checked_in = std::fs::read_to_string(SCHEMA_FILE)
        .unwrap_or_else(|e| panic!("cannot read {SCHEMA_FILE}: {e}"));
    if checked_in != exported {
        let first_difference = checked_in
            .lines()
            .zip(exported.lines())
            .enumerate()
            .find(|(_, (old, new))| old != new)
            .map(|(index, (old, new))| {
                format!(
                    "first difference at line {}:\n  checked in: {old}\n  exported:   {new}",
                    index + 1
                )
            })
            .unwrap_or_else(|| {
                format!(
                    "one is a prefix of the other ({} lines checked in, {} exported)",
                    checked_in.lines().count(),
                    exported.lines().count()
                )
            });
        panic!(
            "schema.graphql is out of date with the code; regenerate it with \
             `UPDATE_SCHEMA=1 cargo test -p levier-tests -- schema::` (or `cargo run -- export-schema`) \
             and commit it.\n{first_difference}"
        );
    }
}

/// Everything introspection says about the schema's descriptions.
const INTROSPECTION: &str = "{
  __schema {
    types {
      name
      kind
      description
      fields(includeDeprecated: true) { name description args { name description } }
      inputFields { name description }
      enumValues(includeDeprecated: true) { name description }
    }
  }
}";

/// Types the GraphQL specification defines, which are not ours to document.
const BUILT_IN_SCALARS: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];

fn undocumented(value: &Value) -> bool {
    value["description"]
        .as_str()
        .is_none_or(|text| text.trim().is_empty())
}

/// Lists what has no description: `Type`, `Type.field`, `Type.field(argument)`,
/// `Input.field`, `Enum.VALUE`.
fn missing_descriptions(schema: &Value) -> Vec<String> {
    let types = schema["types"].as_array().expect("a list of types");
    let mut missing = Vec::new();
    for object in types {
        let name = object["name"].as_str().expect("a type name");
        if name.starts_with("__") || BUILT_IN_SCALARS.contains(&name) {
            continue;
        }
        if undocumented(object) {
            missing.push(format!("type {name}"));
        }
        for field in object["fields"].as_array().into_iter().flatten() {
            let field_name = field["name"].as_str().unwrap_or("?");
            if undocumented(field) {
                missing.push(format!("field {name}.{field_name}"));
            }
            for argument in field["args"].as_array().into_iter().flatten() {
                if undocumented(argument) {
                    missing.push(format!(
                        "argument {name}.{field_name}({})",
                        argument["name"].as_str().unwrap_or("?")
                    ));
                }
            }
        }
        for input_field in object["inputFields"].as_array().into_iter().flatten() {
            if undocumented(input_field) {
                missing.push(format!(
                    "input field {name}.{}",
                    input_field["name"].as_str().unwrap_or("?")
                ));
            }
        }
        for value in object["enumValues"].as_array().into_iter().flatten() {
            if undocumented(value) {
                missing.push(format!(
                    "enum value {name}.{}",
                    value["name"].as_str().unwrap_or("?")
                ));
            }
        }
    }
    missing
}

#[tokio::test]
async fn every_part_of_the_schema_has_a_description() {
    let app = TestApp::spawn().await;
    // Introspection is public: no token.
    let (status, body) = app
        .post(None, &[], &json!({ "query": INTROSPECTION }))
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let schema = &body["data"]["__schema"];
    let names: Vec<&str> = schema["types"]
        .as_array()
        .expect("a list of types")
        .iter()
        .filter_map(|object| object["name"].as_str())
        .collect();
    // The walk sees the schema of API.md, not an empty one.
    for expected in [
        "Query",
        "Mutation",
        "Node",
        "Plan",
        "Persona",
        "KpiDefinition",
        "Viewer",
        "Role",
        "PlanStatus",
        "CreatePlanInput",
        "UserError",
        "PageInfo",
        "Date",
        "DateTime",
        "Decimal",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }

    let missing = missing_descriptions(schema);
    assert!(
        missing.is_empty(),
        "{} parts of the schema have no description:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}

#[test]
fn the_description_check_catches_what_is_missing() {
    // The checker itself, on a hand-written introspection answer.
    let schema = json!({ "types": [
        { "name": "__Type", "description": null, "fields": [] },
        { "name": "String", "description": null },
        { "name": "Thing", "description": "A thing.", "fields": [
            { "name": "good", "description": "Documented.", "args": [] },
            { "name": "bare", "description": "", "args": [
                { "name": "first", "description": null },
                { "name": "after", "description": "A cursor." },
            ] },
        ] },
        { "name": "ThingInput", "description": " ", "inputFields": [
            { "name": "name", "description": null },
        ] },
        { "name": "Colour", "description": "A colour.", "enumValues": [
            { "name": "RED", "description": "Red." },
            { "name": "BLUE", "description": null },
        ] },
    ] });
    assert_eq!(
        missing_descriptions(&schema),
        vec![
            "field Thing.bare",
            "argument Thing.bare(first)",
            "type ThingInput",
            "input field ThingInput.name",
            "enum value Colour.BLUE",
        ]
    );
}
