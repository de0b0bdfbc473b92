//! The GraphQL layer: it translates between GraphQL and the domain, and holds no rule.

pub mod connection;
pub mod context;
pub mod errors;
pub mod ids;
pub mod inputs;
pub mod limits;
pub mod loaders;
pub mod mutation;
pub mod node;
pub mod nulls;
pub mod query;
pub mod scalars;
pub mod sdl;
pub mod subscription;
pub mod types;

use async_graphql::Schema;

use crate::config::QueryLimits;

/// The schema type served by the API.
pub type LevierSchema =
    Schema<query::QueryRoot, mutation::MutationRoot, subscription::SubscriptionRoot>;

/// Builds the schema with its limits and extensions. Introspection stays on: the schema is
/// public documentation (API.md lets it and GraphiQL be reached without a token).
pub fn build_schema(limits: QueryLimits) -> LevierSchema {
    Schema::build(
        query::QueryRoot::default(),
        mutation::MutationRoot::default(),
        subscription::SubscriptionRoot,
    )
    .extension(errors::ErrorCodes)
    .extension(limits::QueryShapeLimits(limits))
    .extension(nulls::NullPropagation)
    // A second, engine-level bound on the same shape, in case a future field is costed
    // differently than a plain selection.
    .limit_depth(limits.max_depth + 4)
    .limit_recursive_depth(64)
    .limit_directives(limits.max_directives)
    .finish()
}
