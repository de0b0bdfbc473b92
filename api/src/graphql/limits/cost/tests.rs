//! Unit tests of the cost model, on the API's own schema (and on a small one for unions and
//! abstract fragments, which the API does not have).

use async_graphql::{Request, Variables, parser::parse_query};
use serde_json::{Value as Json, json};

use super::bounds::Declared;
use super::table::{ListBound, Relation, Shape};
use super::*;
use crate::graphql::{
    cost_table,
    limits::{Budget, Refusal, admit, introspection::tests::STANDARD_DOCUMENTS},
};

/// The cost of the operation `operation` (or the only one) of `query` with `variables`.
fn cost_named(query: &str, operation: Option<&str>, variables: Json) -> u64 {
    let document = parse_query(query).unwrap_or_else(|error| panic!("{error}: {query}"));
    price(
        &document,
        operation,
        &Variables::from_json(variables),
        cost_table(),
    )
}

fn cost(query: &str) -> u64 {
    cost_named(query, None, json!({}))
}

fn cost_with(query: &str, variables: Json) -> u64 {
    cost_named(query, None, variables)
}

/// The million-node query of issue 11, and the README's.
pub(crate) const MILLION: &str = "{ plans(first: 100) { nodes { campaigns(first: 100) { nodes { \
     actions(first: 100) { nodes { title } } } } } } }";

#[test]
fn the_table_reads_the_schema() {
    let table = cost_table();
    let shape = |owner: &str, field: &str| table.field(owner, field).map(|f| f.shape.clone());
    assert_eq!(shape("Query", "plans"), Some(Shape::Connection));
    assert_eq!(shape("Plan", "campaigns"), Some(Shape::Connection));
    assert_eq!(shape("PlanConnection", "nodes"), Some(Shape::PagePart));
    assert_eq!(shape("PlanConnection", "pageInfo"), Some(Shape::PagePart));
    assert_eq!(shape("PlanEdge", "node"), Some(Shape::PagePart));
    assert_eq!(shape("PlanConnection", "totalCount"), Some(Shape::Leaf));
    assert_eq!(shape("Plan", "name"), Some(Shape::Leaf));
    // A list of enums costs nothing.
    assert_eq!(shape("Campaign", "levers"), Some(Shape::Leaf));
    assert_eq!(shape("Query", "viewer"), Some(Shape::Object));
    let list = |count| Some(Shape::List(ListBound::Fixed(count)));
    assert_eq!(shape("Plan", "personas"), list(20));
    assert_eq!(shape("Plan", "marketingMix"), list(10));
    assert_eq!(shape("Plan", "leverAllocations"), list(13));
    assert_eq!(shape("Plan", "calendar"), list(121));
    assert_eq!(shape("Query", "kpiSeries"), list(10_000));
    assert_eq!(shape("BudgetReport", "warnings"), list(2));
    assert_eq!(shape("CreateCampaignPayload", "warnings"), list(2));
    assert_eq!(
        shape("Query", "nodes"),
        Some(Shape::List(ListBound::LengthOf {
            argument: "ids",
            max: 100
        }))
    );
    assert_eq!(table.relation("Node", "Plan"), Relation::Narrows);
    assert_eq!(table.relation("Plan", "Node"), Relation::Always);
    assert_eq!(table.relation("Plan", "Campaign"), Relation::Never);
    assert_eq!(table.relation("Node", "Nope"), Relation::Never);
}

#[test]
fn a_bound_that_names_no_list_of_objects_is_an_error() {
    let sdl = "type Query { a: [A!]! b: A n: [Int] } type A { x: Int } enum E { P Q }";
    let fixed = Declared::Fixed(3);
    assert!(CostTable::with_bounds(sdl, &[("Query", "a", fixed)], &[]).is_ok());
    for (field, why) in [("b", "one object"), ("n", "integers"), ("z", "no field")] {
        let refused = CostTable::with_bounds(sdl, &[("Query", field, fixed)], &[]);
        assert!(refused.is_err(), "{why}");
    }
    let unknown_enum = Declared::ValuesOf("F");
    assert!(CostTable::with_bounds(sdl, &[("Query", "a", unknown_enum)], &[]).is_err());
    let table = CostTable::with_bounds(sdl, &[], &[("A", Declared::ValuesOf("E"))]);
    assert_eq!(
        table
            .ok()
            .and_then(|t| t.field("Query", "a").map(|f| f.shape.clone())),
        Some(Shape::List(ListBound::Fixed(2)))
    );
}

#[test]
fn pages_multiply_along_the_path() {
    assert_eq!(cost(MILLION), 100 + 100 * 100 + 100 * 100 * 100);
    // Edges and nodes are the same page; page info and counts cost nothing more.
    let page = "{ plans(first: 5) { totalCount pageInfo { endCursor } \
                edges { cursor node { name } } } }";
    assert_eq!(cost(page), 5);
    assert_eq!(cost("{ plans { nodes { id } } }"), 20);
    assert_eq!(cost("{ plans(first: 1000) { nodes { id } } }"), 100);
    assert_eq!(cost("{ plans(last: 7) { nodes { id } } }"), 7);
    assert_eq!(cost("{ plans(first: -1) { nodes { id } } }"), 0);
    assert_eq!(cost("{ __typename plans(first: 0) { totalCount } }"), 0);
}

#[test]
fn the_readme_examples_cost_what_it_says() {
    // "Read it all back".
    let read_back = "{ viewer { subject role tenant { key } } plans(first: 10) { totalCount \
        pageInfo { hasNextPage endCursor } nodes { name budget personas { name } objectives { \
        title target } campaigns(first: 10) { totalCount nodes { name levers startDate endDate \
        budget status } } } } }";
    assert_eq!(cost(read_back), 2 + 10 + 10 * 20 + 10 * 20 + 10 * 10);
    assert_eq!(cost(read_back), 512);
    // The model's worked examples.
    let small = "{ viewer { tenant { key } } plans(first: 10) { nodes { personas { name } \
        campaigns(first: 10) { nodes { name } } } } }";
    assert_eq!(cost(small), 312);
    let calendar = "query($plan: ID!) { node(id: $plan) { ... on Plan { calendar(groupBy: MONTH) \
        { actions { title } } } ... on Campaign { name } } }";
    assert_eq!(cost(calendar), 1 + 121 + 121 * 20);
    assert_eq!(cost(calendar), 2542);
    // "Review": plan, its actions (a page of 20), its calendar by month with its actions, the
    // budget report by lever, an arbitrage with its kept and cut actions.
    let review = "query Review($plan: ID!) { plan(id: $plan) { actions(orderBy: {field: \
        PRIORITY, direction: DESC}) { nodes { title iceScore phase journeyStep } } \
        calendar(groupBy: MONTH) { month planned actual actions { title } } budgetReport { \
        byLever { lever planned actual variance } } } arbitrage(input: {planId: $plan, \
        ceiling: \"10000\"}) { kept { count budget actions { title } } cut { actions { title } } \
        remaining planVersion } }";
    let plan = 1 + 20 + (121 + 121 * 20) + (1 + 13);
    let arbitrage = 1 + (1 + 20) + (1 + 20);
    assert_eq!(cost(review), plan + arbitrage);
    assert_eq!(cost(review), 2619);
    // A mutation: its payload, the plan, a default page of user errors.
    let create = "mutation { createPlan(input: {name: \"P\", periodStart: \"2027-01-01\", \
        periodEnd: \"2027-12-31\", budget: \"1\"}) { plan { id } userErrors { field code } } }";
    assert_eq!(cost(create), 22);
}

#[test]
fn fragments_count_where_they_are_spread() {
    let spread = "{ plans(first: 10) { nodes { ...P } } } \
                  fragment P on Plan { campaigns(first: 10) { nodes { ...C } } } \
                  fragment C on Campaign { personas { name } }";
    assert_eq!(cost(spread), 10 + 100 + 100 * 20);
    let inline = "{ plans(first: 10) { nodes { ... on Plan { campaigns(first: 10) { nodes { \
                  ... { personas { name } } } } } } } }";
    assert_eq!(cost(inline), cost(spread));
    // Spread twice, counted twice (the answer holds both).
    let twice =
        "{ plans(first: 10) { nodes { ...P ...P } } } fragment P on Plan { personas { id } }";
    assert_eq!(cost(twice), 10 + 2 * 10 * 20);
    // On an interface the object implements: always applies.
    assert_eq!(
        cost("{ plans(first: 3) { nodes { ... on Node { ... on Plan { personas { id } } } } } }"),
        3 + 3 * 20
    );
}

#[test]
fn fragments_on_the_types_of_an_interface_are_alternatives() {
    let node = "{ node(id: \"x\") { id ... on Plan { campaigns(first: 100) { nodes { id } } } \
                ... on Campaign { actions(first: 50) { nodes { id } } } ...F } } \
                fragment F on Campaign { personas { id } }";
    // The node, then the costlier of Plan (100) and Campaign (50 + 20).
    assert_eq!(cost(node), 1 + 100);
    let nodes = "{ nodes(ids: [\"a\", \"b\", \"c\"]) { ... on Campaign { actions(first: 50) { \
                 nodes { id } } ...F } } } fragment F on Campaign { personas { id } }";
    assert_eq!(cost(nodes), 3 + 3 * (50 + 20));
    // A fragment on a type that is never the one selected adds nothing.
    assert_eq!(
        cost("{ plans(first: 2) { nodes { ... on Campaign { personas { id } } } } }"),
        2
    );
}

#[test]
fn abstract_fragments_and_unions_on_a_small_schema() {
    let sdl = "type Query { one: U many: [I!]! } union U = A | B \
               interface I { id: ID } interface J { id: ID } \
               type A implements I & J { id: ID a: [A!]! } type B implements I { id: ID b: [B!]! } \
               type C implements J { id: ID }";
    let table = CostTable::with_bounds(sdl, &[], &[]).unwrap_or_else(|e| panic!("{e}"));
    let cost = |query: &str| {
        let document = parse_query(query).unwrap_or_else(|e| panic!("{e}"));
        price(&document, None, &Variables::default(), &table)
    };
    assert_eq!(table.relation("U", "A"), Relation::Narrows);
    assert_eq!(table.relation("I", "J"), Relation::Overlaps);
    assert_eq!(table.relation("U", "C"), Relation::Never);
    assert_eq!(
        cost("{ one { ... on A { a { id } } ... on B { b { id } } } }"),
        1 + 20
    );
    // A fragment on another abstract type counts in full for every object.
    assert_eq!(
        cost("{ many { ... on J { ... on A { a { id } } } ... on B { b { id } } } }"),
        20 + 20 * 20 + 20 * 20
    );
}

#[test]
fn variables_take_the_request_s_values_then_their_defaults() {
    let query = "query($n: Int = 5) { plans(first: $n) { nodes { id } } }";
    assert_eq!(cost_with(query, json!({ "n": 100 })), 100);
    assert_eq!(cost_with(query, json!({ "n": 1_000 })), 100);
    assert_eq!(cost_with(query, json!({})), 5);
    assert_eq!(cost_with(query, json!({ "n": null })), 20);
    let ids = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }";
    assert_eq!(cost_with(ids, json!({ "ids": ["a", "b"] })), 2);
    assert_eq!(cost_with(ids, json!({ "ids": vec!["a"; 500] })), 100);
    // Unknown: the most the resolver accepts.
    assert_eq!(cost_with(ids, json!({})), 100);
    assert_eq!(cost("{ nodes(ids: [\"a\", \"b\", \"c\"]) { id } }"), 3);
}

#[test]
fn skipped_selections_cost_nothing() {
    let query = "query($big: Boolean!) { plans(first: 100) @include(if: $big) { nodes { id } } \
                 personas(first: 3) @skip(if: false) { nodes { id } } }";
    assert_eq!(cost_with(query, json!({ "big": true })), 103);
    assert_eq!(cost_with(query, json!({ "big": false })), 3);
    assert_eq!(
        cost(
            "{ ... @skip(if: true) { plans { nodes { id } } } ...P @include(if: false) } \
              fragment P on Query { personas { nodes { id } } }"
        ),
        0
    );
}

#[test]
fn introspection_costs_a_small_fixed_amount() {
    for (name, document) in STANDARD_DOCUMENTS {
        assert_eq!(cost(document), INTROSPECTION_COST, "{name}");
    }
    assert_eq!(cost("{ __typename }"), 0);
    assert_eq!(
        cost("{ a: __schema { queryType { name } } b: __type(name: \"Plan\") { name } }"),
        2 * INTROSPECTION_COST
    );
}

#[test]
fn the_operation_that_runs_is_priced() {
    let document = "query Small { plans(first: 1) { nodes { id } } } \
                    query Large { plans(first: 50) { nodes { id } } }";
    assert_eq!(cost_named(document, Some("Small"), json!({})), 1);
    assert_eq!(cost_named(document, Some("Large"), json!({})), 50);
    // Unclear (the engine refuses it): the costliest.
    assert_eq!(cost_named(document, None, json!({})), 50);
    assert_eq!(cost_named(document, Some("Other"), json!({})), 50);
}

#[test]
fn admission_refuses_a_costly_query_with_its_figure() {
    let limits = crate::config::Config::development("sqlite::memory:").query_limits;
    let refusal = admit(&Request::new(MILLION), &mut Budget::for_request(limits)).err();
    let message = match refusal {
        Some(Refusal::TooComplex(message)) => message,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        message,
        "the query may cost 1010100 (more than 50000): ask for smaller pages or fewer nested lists"
    );
    let admitted = admit(
        &Request::new("{ plans(first: 100) { nodes { id } } }"),
        &mut Budget::for_request(limits),
    );
    assert_eq!(admitted.ok().map(|a| a.cost()), Some(Cost::requested(100)));
    // A batch spends one budget: 30,000 and 30,000 are more than 50,000 together.
    let thirty = Request::new(
        "{ a: kpiSeries(input: {kpiKeys: [\"ctr\"], from: \"2027-01-01\", \
        to: \"2027-01-31\", grain: DAY}) { value } b: kpiSeries(input: {kpiKeys: [\"ctr\"], \
        from: \"2027-01-01\", to: \"2027-01-31\", grain: DAY}) { value } c: kpiSeries(input: \
        {kpiKeys: [\"ctr\"], from: \"2027-01-01\", to: \"2027-01-31\", grain: DAY}) { value } }",
    );
    let mut batch = Budget::for_batch(limits);
    assert_eq!(
        admit(&thirty, &mut batch).ok().map(|a| a.cost().requested),
        Some(30_000)
    );
    match admit(&thirty, &mut batch).err() {
        Some(Refusal::TooComplex(message)) => assert!(
            message.starts_with("the batch may cost 60000 (more than 50000) in all its operations"),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_cost_reads_as_extensions_want_it() {
    let value = Cost::requested(512).to_value().into_json().ok();
    assert_eq!(value, Some(json!({ "requested": 512 })));
    let charged = Cost {
        budget_remaining: Some(99),
        ..Cost::requested(512)
    };
    assert_eq!(
        charged.to_value().into_json().ok(),
        Some(json!({ "requested": 512, "budgetRemaining": 99 }))
    );
}
