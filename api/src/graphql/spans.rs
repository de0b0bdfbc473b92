//! Spans of the GraphQL engine's steps — parse, validate, execute — and of the resolvers of
//! fields that return objects or lists of them (those that load something), registered only
//! when traces are exported: any extension sends the engine down a slower path for every
//! field.
//!
//! Not async-graphql's own `Tracing` extension: its parse span records the document with the
//! request's variables written into it, and tenants' data must not leave in traces. These
//! spans carry names and types only: the operation's name and type, a field's path and types.

use std::sync::Arc;

use async_graphql::{
    ServerError, ServerResult, ValidationResult, Value, Variables,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextResolve,
        NextValidation, ResolveInfo,
    },
    parser::types::{ExecutableDocument, OperationType},
    registry::MetaTypeName,
};
use tracing::{Instrument, field::Empty, info_span};

/// The extension (see the module doc).
pub struct Spans;

impl ExtensionFactory for Spans {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(SpansExtension)
    }
}

struct SpansExtension;

/// `query`, `mutation` or `subscription`.
fn operation_type(document: &ExecutableDocument) -> Option<&'static str> {
    document
        .operations
        .iter()
        .next()
        .map(|(_, operation)| match operation.node.ty {
            OperationType::Query => "query",
            OperationType::Mutation => "mutation",
            OperationType::Subscription => "subscription",
        })
}

#[async_trait::async_trait]
impl Extension for SpansExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let span = info_span!("graphql.parse", graphql.operation.type = Empty);
        let parsed = next
            .run(ctx, query, variables)
            .instrument(span.clone())
            .await;
        if let Some(kind) = parsed.as_ref().ok().and_then(operation_type) {
            span.record("graphql.operation.type", kind);
        }
        parsed
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx)
            .instrument(info_span!("graphql.validate"))
            .await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> async_graphql::Response {
        let span = info_span!(
            "graphql.execute",
            graphql.operation.name = operation_name.unwrap_or("anonymous"),
            graphql.errors = Empty,
        );
        let response = next.run(ctx, operation_name).instrument(span.clone()).await;
        if !response.errors.is_empty() {
            span.record("graphql.errors", response.errors.len());
        }
        response
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        // Scalars and enums are read from what their parent loaded: a span each would
        // multiply the spans of a page by its columns and say nothing.
        let leaf = ctx
            .schema_env
            .registry
            .types
            .get(MetaTypeName::concrete_typename(info.return_type))
            .is_none_or(|meta| meta.is_leaf());
        if leaf || info.is_for_introspection {
            return next.run(ctx, info).await;
        }
        let span = info_span!(
            "graphql.resolve",
            otel.name = %format_args!("{}.{}", info.parent_type, info.name),
            graphql.field.path = %info.path_node,
            graphql.field.type = info.return_type,
        );
        next.run(ctx, info).instrument(span).await
    }
}
