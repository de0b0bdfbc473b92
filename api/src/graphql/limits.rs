//! The query-shape extension: before anything runs, it bounds a query's depth, its total field
//! selections (aliases and fragment spreads expanded) and its directives, and refuses what is
//! over with `QUERY_TOO_COMPLEX`. The walk stops as soon as a limit is passed, so even a query
//! built to explode through nested fragments costs at most the limit's worth of work.
//!
//! It runs when the request is prepared, before the engine parses the query: the engine's own
//! checks (recursion depth, directives per field) expand every fragment spread without bound,
//! so a fragment bomb must be refused before they see it. The checked document is handed to the
//! engine, which then does not parse it again.

use std::{collections::HashMap, sync::Arc};

use async_graphql::Name;
use async_graphql::{
    ErrorExtensionValues, Request, ServerError, ServerResult,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest},
    parser::{
        self,
        types::{ExecutableDocument, FragmentDefinition, Selection, SelectionSet},
    },
};

use super::errors::ErrorCode;
use crate::config::QueryLimits;

/// Factory of the query-shape extension.
pub struct QueryShapeLimits(pub QueryLimits);

impl ExtensionFactory for QueryShapeLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(QueryShapeExtension(self.0))
    }
}

struct QueryShapeExtension(QueryLimits);

#[async_trait::async_trait]
impl Extension for QueryShapeExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let document = match parser::parse_query(&request.query) {
            Ok(document) => document,
            // The parser's own nesting bounds: a shape problem, not a syntax error.
            Err(parser::Error::RecursionLimitExceeded) => {
                return Err(too_complex(format!(
                    "the query is nested deeper than {} levels",
                    self.0.max_depth
                )));
            }
            Err(parser::Error::Syntax { message, .. })
                if message.ends_with("stack limit reached") =>
            {
                return Err(too_complex(format!(
                    "the query is nested deeper than {} levels",
                    self.0.max_depth
                )));
            }
            Err(error) => return Err(error.into()),
        };
        check(&document, &self.0).map_err(too_complex)?;
        request.set_parsed_query(document);
        next.run(ctx, request).await
    }
}

fn too_complex(message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", ErrorCode::QueryTooComplex.as_str());
    error.extensions = Some(extensions);
    error
}

struct Walker<'a> {
    fragments: &'a HashMap<Name, async_graphql::Positioned<FragmentDefinition>>,
    limits: QueryLimits,
    fields: usize,
    directives: usize,
}

impl Walker<'_> {
    fn walk(&mut self, set: &SelectionSet, depth: usize) -> Result<(), String> {
        if depth > self.limits.max_depth {
            return Err(format!(
                "the query is nested deeper than {} levels",
                self.limits.max_depth
            ));
        }
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    self.fields += 1;
                    self.count_directives(field.node.directives.len())?;
                    if self.fields > self.limits.max_fields {
                        return Err(format!(
                            "the query selects more than {} fields",
                            self.limits.max_fields
                        ));
                    }
                    if !field.node.selection_set.node.items.is_empty() {
                        self.walk(&field.node.selection_set.node, depth + 1)?;
                    }
                }
                Selection::InlineFragment(fragment) => {
                    self.count_directives(fragment.node.directives.len())?;
                    self.walk(&fragment.node.selection_set.node, depth)?;
                }
                Selection::FragmentSpread(spread) => {
                    self.count_directives(spread.node.directives.len())?;
                    // Every spread costs a unit, so that spreads of empty or unknown fragments
                    // cannot make the walk unbounded either.
                    self.fields += 1;
                    if self.fields > self.limits.max_fields {
                        return Err(format!(
                            "the query selects more than {} fields",
                            self.limits.max_fields
                        ));
                    }
                    if let Some(fragment) = self.fragments.get(&spread.node.fragment_name.node) {
                        self.count_directives(fragment.node.directives.len())?;
                        self.walk(&fragment.node.selection_set.node, depth)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn count_directives(&mut self, count: usize) -> Result<(), String> {
        self.directives += count;
        if self.directives > self.limits.max_directives {
            Err(format!(
                "the query uses more than {} directives",
                self.limits.max_directives
            ))
        } else {
            Ok(())
        }
    }
}

/// Checks every operation of a document against the limits.
pub fn check(document: &ExecutableDocument, limits: &QueryLimits) -> Result<(), String> {
    let mut walker = Walker {
        fragments: &document.fragments,
        limits: *limits,
        fields: 0,
        directives: 0,
    };
    for (_, operation) in document.operations.iter() {
        walker.count_directives(operation.node.directives.len())?;
        walker.walk(&operation.node.selection_set.node, 1)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> QueryLimits {
        QueryLimits {
            max_depth: 3,
            max_fields: 10,
            max_directives: 2,
        }
    }

    fn verdict(query: &str) -> Result<(), String> {
        let document =
            async_graphql::parser::parse_query(query).map_err(|error| error.to_string())?;
        check(&document, &limits())
    }

    #[test]
    fn accepts_small_queries() {
        assert_eq!(verdict("{ a { b { c } } }"), Ok(()));
    }

    #[test]
    fn refuses_depth_aliases_and_directives() {
        assert!(verdict("{ a { b { c { d } } } }").is_err());
        assert!(
            verdict("{ a1: a a2: a a3: a a4: a a5: a a6: a a7: a a8: a a9: a a10: a a11: a }")
                .is_err()
        );
        assert!(verdict("{ a @skip(if: false) b @skip(if: false) c @skip(if: false) }").is_err());
    }

    #[test]
    fn expands_fragments_without_exploding() {
        let bomb = "query { ...F0 } fragment F0 on Q { ...F1 ...F1 } fragment F1 on Q { ...F2 ...F2 } \
                    fragment F2 on Q { ...F3 ...F3 } fragment F3 on Q { a b c }";
        assert!(verdict(bomb).is_err());
    }
}
