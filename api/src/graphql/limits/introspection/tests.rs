//! Unit tests of introspection's own bound, with the standard introspection documents that
//! `tests/fixtures/introspection` keeps verbatim.

use super::super::{Budget, admit_document};
use super::*;
use crate::config::Config;

/// Each standard document, by its file's name.
macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../tests/fixtures/introspection/",
                $name,
                ".graphql"
            )),
        )
    };
}

/// The standard introspection documents: name and text.
pub(in crate::graphql::limits) const STANDARD_DOCUMENTS: [(&str, &str); 6] = [
    fixture!("graphql-js-16"),
    fixture!("graphql-js-16-all-options"),
    fixture!("graphql-js-17"),
    fixture!("graphql-js-17-all-options"),
    fixture!("graphql-core-3.3"),
    fixture!("graphql-core-3.3-all-options"),
];

fn defaults() -> QueryLimits {
    Config::development("sqlite::memory:").query_limits
}

/// Admits `query` alone under `limits`; the refusal's message when refused.
fn verdict(query: &str, limits: QueryLimits) -> Result<(), String> {
    admit_document(query, &mut Budget::for_request(limits))
        .map(|_| ())
        .map_err(|refusal| async_graphql::ServerError::from(refusal).message)
}

fn refusal(query: &str, limits: QueryLimits) -> String {
    verdict(query, limits)
        .err()
        .unwrap_or_else(|| panic!("admitted: {query}"))
}

fn nested(open: &str, middle: &str, close: &str, levels: usize) -> String {
    format!("{}{middle}{}", open.repeat(levels), close.repeat(levels))
}

/// `inner` selected on `__type(name: "Plan")`.
fn on_plan(inner: &str) -> String {
    format!("{{ __type(name: \"Plan\") {{ {inner} }} }}")
}

#[test]
fn the_standard_documents_pass_with_the_default_limits() {
    for (name, text) in STANDARD_DOCUMENTS {
        assert_eq!(verdict(text, defaults()), Ok(()), "{name}");
        // Their bound is introspection's own: a low `max_depth` lets them through too.
        let shallow = QueryLimits {
            max_depth: 3,
            ..defaults()
        };
        assert_eq!(verdict(text, shallow), Ok(()), "{name}");
        // They nest fields 15 deep, which the data's default of 12 would refuse.
        let as_data = text.replace("__schema", "schema");
        let deep = |max_depth| QueryLimits {
            max_depth,
            ..defaults()
        };
        assert_eq!(verdict(&as_data, deep(15)), Ok(()), "{name}");
        let message = refusal(&as_data, deep(14));
        assert_eq!(
            message, "the query is nested deeper than 14 levels",
            "{name}"
        );
        // Their fields spend the budget like any other: 230 to 239 selections and spreads.
        let budget = |max_fields| QueryLimits {
            max_fields,
            ..defaults()
        };
        assert_eq!(verdict(text, budget(239)), Ok(()), "{name}");
        let message = refusal(text, budget(229));
        assert_eq!(message, "the query selects more than 229 fields", "{name}");
    }
}

#[test]
fn introspection_has_a_depth_bound_of_its_own() {
    // `__type` and its set are two levels: fourteen `ofType` make sixteen.
    let chain = |levels| on_plan(&nested("ofType { ", "name", " }", levels));
    assert_eq!(verdict(&chain(14), defaults()), Ok(()));
    for levels in [15, 40] {
        assert_eq!(
            refusal(&chain(levels), defaults()),
            "the introspection query is nested deeper than 16 levels"
        );
    }
    // Far beyond, the brackets give out first, before the text is parsed.
    let message = refusal(&chain(500), defaults());
    assert!(message.contains("brackets"), "{message}");
    // A higher `max_depth` holds for introspection too.
    let deeper = QueryLimits {
        max_depth: 20,
        ..defaults()
    };
    assert_eq!(verdict(&chain(18), deeper), Ok(()));
    assert!(verdict(&chain(19), deeper).is_err());
    // Only the operation's own `__schema` and `__type` open it, aliased or spread, not one
    // standing deeper (which validation refuses anyway).
    let shallow = QueryLimits {
        max_depth: 3,
        ..defaults()
    };
    let schema = "__schema { types { fields { args { type { name } } } } }";
    assert_eq!(verdict(&format!("{{ s: {schema} }}"), shallow), Ok(()));
    let spread = format!("{{ ...F }} fragment F on Query {{ ... on Query {{ {schema} }} }}");
    assert_eq!(verdict(&spread, shallow), Ok(()));
    assert_eq!(
        refusal(&format!("{{ viewer {{ {schema} }} }}"), shallow),
        "the query is nested deeper than 3 levels"
    );
}

#[test]
fn type_lists_nest_at_most_twice_along_a_path() {
    let too_deep = format!(
        "the introspection query nests `fields`, `inputFields`, `interfaces` and \
         `possibleTypes` more than {MAX_INTROSPECTION_LISTS} deep along one path"
    );
    for admitted in [
        on_plan("fields { type { fields { name } } }"),
        on_plan("inputFields { type { interfaces { name } } }"),
        // Side by side, each path has two.
        on_plan(
            "fields { args { type { inputFields { name } } } type { fields { name } } } \
             interfaces { possibleTypes { name } } possibleTypes { fields { name } }",
        ),
        // `types` is the list of all types, once, not a way back to them.
        "{ __schema { types { fields { type { fields { type { name } } } } } } }".to_owned(),
    ] {
        assert_eq!(verdict(&admitted, defaults()), Ok(()), "{admitted}");
    }
    for refused in [
        on_plan("fields { type { fields { type { fields { name } } } } }"),
        on_plan("fields { args { type { inputFields { type { possibleTypes { name } } } } } }"),
        on_plan("interfaces { possibleTypes { interfaces { name } } }"),
        "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
            .to_owned(),
        // Counted through fragments, expanded.
        "{ __type(name: \"Plan\") { ...A } } fragment A on __Type { fields { type { ...B } } } \
         fragment B on __Type { fields { type { ...C } } } fragment C on __Type { interfaces { name } }"
            .to_owned(),
        // Twenty deep: refused at the third, long before the depth bound.
        on_plan(&nested("fields { type { ", "name", " } }", 20)),
    ] {
        assert_eq!(refusal(&refused, defaults()), too_deep, "{refused}");
    }
    // Names of the data are the data's: nothing but the depth bounds them.
    assert_eq!(
        verdict("{ fields { fields { fields { name } } } }", defaults()),
        Ok(())
    );
}

#[test]
fn aliased_introspection_spends_the_field_budget() {
    let aliases = |count: usize| {
        let selections: Vec<String> = (0..count)
            .map(|index| format!("s{index}: __schema {{ types {{ name }} }}"))
            .collect();
        format!("{{ {} }}", selections.join(" "))
    };
    // Three selections each: 166 fit in 500, 167 do not.
    assert_eq!(verdict(&aliases(166), defaults()), Ok(()));
    assert_eq!(
        refusal(&aliases(167), defaults()),
        "the query selects more than 500 fields"
    );
    // Thousands are more tokens than the text may have.
    let message = refusal(&aliases(3_000), defaults());
    assert_eq!(message, "the query has more than 10000 tokens");
}
