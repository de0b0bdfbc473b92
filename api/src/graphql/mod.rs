//! The GraphQL layer: it translates between GraphQL and the domain, and holds no rule.

pub mod admission;
pub mod connection;
pub mod context;
pub mod document_scan;
pub mod errors;
pub mod execution;
pub mod inputs;
pub mod limits;
pub mod loaders;
pub mod mutation;
pub mod node;
pub mod nulls;
pub mod persisted;
pub mod plain;
pub mod query;
pub mod scalars;
pub mod sdl;
pub mod spans;
pub mod streamed;
pub mod subscription;
pub mod types;
pub mod user_error_code;

use std::sync::LazyLock;

use async_graphql::{ObjectType, Schema, SchemaBuilder, SubscriptionType};

use crate::config::QueryLimits;
use limits::CostTable;

/// The schema type served by the API.
pub type LevierSchema =
    Schema<query::QueryRoot, mutation::MutationRoot, subscription::SubscriptionRoot>;

/// Builds the schema with its limits and extensions. Introspection stays on: the schema is
/// public documentation (API.md lets it and GraphiQL be reached without a token).
pub fn build_schema(limits: QueryLimits) -> LevierSchema {
    build_schema_traced(limits, false)
}

/// [`build_schema`], with spans of the engine's steps and resolvers when `traced` (only when
/// traces are exported: see [`spans`]).
pub fn build_schema_traced(limits: QueryLimits, traced: bool) -> LevierSchema {
    // Built now rather than on the first request: a table that cannot be built stops the
    // server at its start.
    cost_table();
    plain::shapes();
    let builder = Schema::build(
        query::QueryRoot::default(),
        mutation::MutationRoot::default(),
        subscription::SubscriptionRoot,
    );
    // First, so that its spans enclose what the other extensions do in each step.
    let builder = if traced {
        builder.extension(spans::Spans)
    } else {
        builder
    };
    with_limits(builder, limits).finish()
}

/// The schema that queries and mutations admitted over HTTP run on when traces are not
/// exported: the same types and engine limits, without extensions (`plain` does their work
/// around the engine, which then takes its faster path for every field).
pub fn build_plain_schema(limits: QueryLimits) -> LevierSchema {
    engine_limits(
        Schema::build(
            query::QueryRoot::default(),
            mutation::MutationRoot::default(),
            subscription::SubscriptionRoot,
        ),
        limits,
    )
    .data(WithoutExtensions)
    .finish()
}

/// In the data of the schema [`build_plain_schema`] builds, and of no other: resolvers that
/// write a list without the engine's per-field steps (`types::kpi::point_list`) do so only
/// where no extension expects to see each field (async-graphql does not tell its resolvers).
pub struct WithoutExtensions;

/// The schema's types alone, for what is read from its SDL.
fn bare_schema() -> LevierSchema {
    Schema::build(
        query::QueryRoot::default(),
        mutation::MutationRoot::default(),
        subscription::SubscriptionRoot,
    )
    .finish()
}

/// What the cost model (`limits::cost`) knows of the API's schema, read once from its SDL:
/// the types are the code's, the same for every schema this process builds.
pub fn cost_table() -> &'static CostTable {
    static TABLE: LazyLock<CostTable> = LazyLock::new(|| {
        // Only a change to the code can break this, and the unit tests build the table.
        CostTable::from_sdl(&bare_schema().sdl())
            .unwrap_or_else(|error| panic!("the schema's cost table: {error}"))
    });
    &TABLE
}

/// Adds the extensions and limits every schema of the API runs with (the tests of
/// `limits` build a schema of their own with them).
fn with_limits<Query, Mutation, Subscription>(
    builder: SchemaBuilder<Query, Mutation, Subscription>,
    limits: QueryLimits,
) -> SchemaBuilder<Query, Mutation, Subscription>
where
    Query: ObjectType + 'static,
    Mutation: ObjectType + 'static,
    Subscription: SubscriptionType + 'static,
{
    engine_limits(
        builder
            .extension(errors::ErrorCodes)
            .extension(limits::QueryShapeLimits(limits))
            .extension(nulls::NullPropagation),
        limits,
    )
}

/// The engine's own limits, which every schema of the API has.
fn engine_limits<Query, Mutation, Subscription>(
    builder: SchemaBuilder<Query, Mutation, Subscription>,
    limits: QueryLimits,
) -> SchemaBuilder<Query, Mutation, Subscription>
where
    Query: ObjectType + 'static,
    Mutation: ObjectType + 'static,
    Subscription: SubscriptionType + 'static,
{
    builder
        // Second, engine-level bounds on the same shape, behind the admission of documents
        // (whose depth bound is higher under `__schema` and `__type`).
        .limit_depth(limits.max_depth.max(limits::MAX_INTROSPECTION_DEPTH) + 4)
        .limit_recursive_depth(limits.max_nesting)
        .limit_directives(limits.max_directives)
        // The engine suggests a spelling for every unknown field by comparing its name with
        // every field of the type, at a cost of (name length × the type's field names) per
        // field: 500 unknown fields of 250 characters on Mutation took 435 ms to refuse.
        // GraphiQL completes names from the schema instead.
        .disable_suggestions()
}
