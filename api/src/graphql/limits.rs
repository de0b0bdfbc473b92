//! Admission of GraphQL documents: every bound on a document, checked before the engine's
//! recursive parser and validation see it. A document over a bound is refused with
//! `QUERY_TOO_COMPLEX`, in one error, after work proportional to the bound rather than to the
//! document. In order, cheapest first, each step stopping at the first bound passed:
//!
//! 1. the text: at most `max_bytes` long (the parser takes about 100 ns a byte, and quotes a
//!    line in its syntax errors), then ([`document_scan`]) at most `max_tokens` tokens, names
//!    and numbers at most [`MAX_WORD_BYTES`] long, brackets nested at most `max_nesting` deep
//!    (list and object literals, variable defaults and list types, arguments, selection sets).
//!    Only then is the text parsed, once (or its document copied from an earlier parse of the
//!    same text: [`parsed`]).
//! 2. the definitions: at most [`MAX_OPERATIONS`] operations and [`MAX_FRAGMENTS`] fragments.
//! 3. every operation, walked with its fragments expanded: at most `max_depth` nested fields,
//!    `max_nesting` nested selections (a field, an inline fragment or a fragment spread each
//!    adds a level, so a chain of fragments spreading each other is nested too), `max_fields`
//!    field selections and fragment spreads (a fragment bomb costs the walk at most this
//!    much), and `max_directives` directives wherever they stand: on operations, variable
//!    definitions, fields, inline fragments, spreads and fragment definitions (a fragment's own
//!    count again at each spread). Under a root `__schema` or `__type`, fields may nest
//!    [`MAX_INTROSPECTION_DEPTH`] deep even where `max_depth` is lower, but the type lists
//!    (`fields`, `inputFields`, `interfaces`, `possibleTypes`) at most
//!    [`MAX_INTROSPECTION_LISTS`] deep along one path (`limits/introspection.rs`): the
//!    standard introspection documents of graphql-js and graphql-core pass with the default
//!    limits, and the field budget counts their fields like any other.
//! 4. no fragment defined but unused (the specification's "No Unused Fragments"), refused with
//!    `BAD_USER_INPUT` in one error naming them. The engine's validation walks every fragment
//!    definition, recursively along its spreads, and answered one error per unused fragment;
//!    with this rule every definition was bounded by step 3.
//! 5. the cost of the operation that runs (`limits/cost.rs`, which states the model): about
//!    the objects its answer may hold, each page or list counted at the most it may return,
//!    at most `max_cost`. The refusal gives the figure. It reads the request's variables
//!    (`first: $n`) and its operation name, and the types of the schema from a
//!    [`CostTable`] built once from the API's SDL ([`crate::graphql::cost_table`]).
//!
//! Bytes, tokens, fields, directives and cost are a [`Budget`]: one per request, or one for
//! all the operations of a batch. The HTTP handler admits every document (a batch's together)
//! before running any (`graphql::admission`, which also resolves persisted queries). The parsed
//! document travels on in the request ([`Admitted::hand_over`]) with its [`Cost`]: the engine
//! does not parse it again, and the extension does not check it again. Requests that arrive
//! otherwise (operations over WebSocket, and documents the HTTP handler found invalid) are
//! admitted by the extension, with a budget of their own. The extension then reports the cost
//! in every answer it executes, as `extensions.cost` (`{"requested": N}`, with `budgetRemaining`
//! once the rate limits charged the request, `crate::ratelimit`), subscription events
//! included (`limits/extension.rs`): an extension that is there anyway, rather than one more
//! on the engine's path.
//!
//! # Stack margins
//!
//! What the engine does recursively recurses once per level of nesting: the parser, the
//! validation, the expansion of fragments and the drop of documents and values once per level
//! of brackets or selections, and the execution once per level of fields (each level of fields
//! costs far more stack than a level of brackets). Every one of them is bounded before any of
//! it runs: brackets and selections by [`MAX_QUERY_NESTING`] (64, also the parser's own bound
//! on nested selection sets), the JSON of variables by `serde_json`'s 128 levels, fields by
//! `max_depth` (12 by default, at most [`MAX_QUERY_DEPTH_CEILING`], 24; introspection
//! [`MAX_INTROSPECTION_DEPTH`], 16, within the same ceiling). The test
//! `the_deepest_admitted_documents_fit_a_small_stack` builds the deepest documents admitted on
//! every axis under the highest settings allowed, with the standard introspection documents,
//! and admits, validates, runs, serialises and drops them on a thread of
//! [`PROVEN_STACK_BYTES`] (1 MiB) in a debug build. They need about 870 KiB there (about
//! 24 KiB per level of fields, 6 KiB per level of brackets, and the 64 KiB that `pest`'s stack
//! guard keeps free), and about 370 KiB in a release build. The worker threads that run
//! requests are actix-web's, spawned by `std::thread` with Rust's default stack of 2 MiB (more
//! if `RUST_MIN_STACK` says so): twice the proven need of a debug build, five times that of a
//! release build.

mod budget;
pub mod cost;
mod extension;
mod introspection;
mod parsed;
mod walk;

use async_graphql::{
    ErrorExtensionValues, Request, ServerError,
    parser::{self, types::ExecutableDocument},
};

use super::document_scan::{self, MAX_WORD_BYTES, ScanError};
use crate::error::ErrorCode;
use introspection::Scope;
use walk::{Walker, unused_fragments};

#[cfg(doc)]
use crate::config::{MAX_QUERY_DEPTH_CEILING, MAX_QUERY_NESTING};
pub use budget::Budget;
pub use cost::{Cost, CostTable};
pub use extension::QueryShapeLimits;
pub use introspection::{MAX_INTROSPECTION_DEPTH, MAX_INTROSPECTION_LISTS};

/// Most operations in one document (only the one named runs, but all are validated).
pub const MAX_OPERATIONS: usize = 50;

/// Most fragment definitions in one document.
pub const MAX_FRAGMENTS: usize = 100;

/// The thread stack on which the deepest admitted documents are proven to run (in a debug
/// build): see the module's "Stack margins".
pub const PROVEN_STACK_BYTES: usize = 1024 * 1024;

/// Why a document is not admitted.
#[derive(Debug, Clone)]
pub enum Refusal {
    /// Over a bound (`QUERY_TOO_COMPLEX`); in a batch, the whole batch is refused.
    TooComplex(String),
    /// Not a valid document: a syntax error or unused fragments (`BAD_USER_INPUT`, with the
    /// code set); in a batch, only this operation fails.
    Invalid(ServerError),
}

impl From<Refusal> for ServerError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::TooComplex(message) => {
                coded(ServerError::new(message, None), ErrorCode::QueryTooComplex)
            }
            Refusal::Invalid(error) => error,
        }
    }
}

fn coded(mut error: ServerError, code: ErrorCode) -> ServerError {
    error
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default)
        .set("code", code.as_str());
    error
}

/// A request's document within every bound, parsed, and its cost. Only [`admit`] makes one.
#[derive(Debug)]
pub struct Admitted {
    document: ExecutableDocument,
    cost: Cost,
}

/// Marks a request carrying an admitted document, for the extension to let it through and
/// report its cost.
struct AdmittedMark(Cost);

impl Admitted {
    /// The parsed document.
    pub fn document(&self) -> &ExecutableDocument {
        &self.document
    }

    /// What the operation that runs may cost.
    pub fn cost(&self) -> Cost {
        self.cost
    }

    /// Puts the document into `request` (the one it was admitted from), so that neither the
    /// engine nor the extension reads the text again.
    pub fn hand_over(self, mut request: Request) -> Request {
        request.set_parsed_query(self.document);
        request.data.insert(AdmittedMark(self.cost));
        request
    }
}

/// The cost of a request that carries an admitted document ([`Admitted::hand_over`]).
pub fn admitted_cost(request: &Request) -> Option<Cost> {
    request
        .data
        .get(&std::any::TypeId::of::<AdmittedMark>())
        .and_then(|mark| mark.downcast_ref::<AdmittedMark>())
        .map(|mark| mark.0)
}

/// Records in a request carrying an admitted document what remains of its caller's rate-limit
/// budgets, for its answer's `extensions.cost`.
pub fn report_remaining(request: &mut Request, remaining: u64) {
    if let Some(cost) = admitted_cost(request) {
        request.data.insert(AdmittedMark(Cost {
            budget_remaining: Some(remaining),
            ..cost
        }));
    }
}

/// Checks the document of `request` against every bound, spending from `budget`, parses it
/// once and prices the operation that runs (step 5), with the request's variables.
pub fn admit(request: &Request, budget: &mut Budget) -> Result<Admitted, Refusal> {
    let document = admit_document(&request.query, budget)?;
    let requested = cost::price(
        &document,
        request.operation_name.as_deref(),
        &request.variables,
        super::cost_table(),
    );
    budget.spend_cost(requested).map_err(Refusal::TooComplex)?;
    Ok(Admitted {
        document,
        cost: Cost::requested(requested),
    })
}

/// Checks `query` against every bound of its shape (steps 1 to 4), spending from `budget`,
/// and parses it once.
fn admit_document(query: &str, budget: &mut Budget) -> Result<ExecutableDocument, Refusal> {
    let limits = budget.limits;
    let too_deep = || {
        Refusal::TooComplex(format!(
            "the query nests brackets or selections deeper than {} levels",
            limits.max_nesting
        ))
    };
    budget.bytes += query.len();
    if budget.bytes > limits.max_bytes {
        return Err(Refusal::TooComplex(
            budget.over(format!("is longer than {} bytes", limits.max_bytes)),
        ));
    }
    let allowance = limits.max_tokens.saturating_sub(budget.tokens);
    match document_scan::scan(query, allowance, limits.max_nesting) {
        Ok(tokens) => budget.tokens += tokens,
        Err(ScanError::TooDeep) => return Err(too_deep()),
        Err(ScanError::TooLong) => {
            return Err(Refusal::TooComplex(format!(
                "the query has a name or number longer than {MAX_WORD_BYTES} characters"
            )));
        }
        Err(ScanError::TooManyTokens) => {
            return Err(Refusal::TooComplex(
                budget.over(format!("has more than {} tokens", limits.max_tokens)),
            ));
        }
    }
    let document = match parsed::ParsedDocuments::shared().parse(query) {
        Ok(document) => document,
        // The parser's own bounds (its recursion limit, pest's stack guard), a second line
        // behind the scan: a shape problem, not a syntax error.
        Err(parser::Error::RecursionLimitExceeded) => return Err(too_deep()),
        Err(parser::Error::Syntax { message, .. }) if message.ends_with("limit reached") => {
            return Err(too_deep());
        }
        Err(error) => {
            return Err(Refusal::Invalid(coded(
                error.into(),
                ErrorCode::BadUserInput,
            )));
        }
    };
    check(&document, budget)?;
    Ok(document)
}

/// Checks a parsed document's definitions and operations (steps 2 to 4 of the module's list).
fn check(document: &ExecutableDocument, budget: &mut Budget) -> Result<(), Refusal> {
    let operations = document.operations.iter().count();
    if operations > MAX_OPERATIONS {
        return Err(Refusal::TooComplex(format!(
            "the document defines {operations} operations; at most {MAX_OPERATIONS} are accepted"
        )));
    }
    if document.fragments.len() > MAX_FRAGMENTS {
        return Err(Refusal::TooComplex(format!(
            "the document defines {} fragments; at most {MAX_FRAGMENTS} are accepted",
            document.fragments.len()
        )));
    }
    let mut walker = Walker {
        fragments: &document.fragments,
        budget,
    };
    for (_, operation) in document.operations.iter() {
        let operation = &operation.node;
        let on_variables: usize = operation
            .variable_definitions
            .iter()
            .map(|variable| variable.node.directives.len())
            .sum();
        walker
            .budget
            .count_directives(operation.directives.len() + on_variables)
            .map_err(Refusal::TooComplex)?;
        walker
            .walk(&operation.selection_set.node, 1, 1, Scope::Data)
            .map_err(Refusal::TooComplex)?;
    }
    let unused = unused_fragments(document);
    if !unused.is_empty() {
        let shown: Vec<&str> = unused.iter().take(5).copied().collect();
        let more = if unused.len() > shown.len() {
            ", …"
        } else {
            ""
        };
        let message = format!(
            "the document defines {} fragment(s) that no operation uses ({}{more}): remove them",
            unused.len(),
            shown.join(", ")
        );
        return Err(Refusal::Invalid(coded(
            ServerError::new(message, None),
            ErrorCode::BadUserInput,
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
