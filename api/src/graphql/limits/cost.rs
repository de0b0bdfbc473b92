//! The cost of an operation, computed before it runs: about the number of objects its answer
//! may hold, each list counted at the most it may return. A document is priced after its
//! shape is admitted (so the walk is bounded by the field budget), with its fragments
//! expanded, for the operation that runs; an operation that costs more than `max_cost` (or a
//! batch whose operations together do) is refused with `QUERY_TOO_COMPLEX`.
//!
//! # The model
//!
//! - A field returning a scalar or an enum (or a list of them) costs 0; `__typename` too.
//! - A field returning an object costs 1.
//! - A connection costs its page size: `first` or `last` (capped at 100 as the resolvers cap
//!   it; 20 when neither is given; 0 when negative, which is refused anyway). Its `edges`,
//!   `nodes`, `node` and `pageInfo` are that page and cost nothing more.
//! - Any other list of objects costs its bound: `nodes(ids:)` the number of IDs; the lists the
//!   domain bounds their bound (`bounds.rs`: `kpiSeries` 10,000 points, `calendar` and
//!   `budgetReport.byMonth` 121 months, one per lever or per mix dimension…); lists of rows
//!   the tenant wrote (a plan's personas, a campaign's children…) 20, like a connection
//!   without `first`.
//! - Whatever is selected under a list or connection counts once per item it may return: the
//!   costs multiply along the path.
//! - A root `__schema` or `__type` costs [`INTROSPECTION_COST`], whatever it selects (the
//!   schema is small and fixed, and introspection has bounds of its own).
//! - On an interface (`node`, `nodes`), fragments on different object types are alternatives:
//!   the costliest counts, with the fields every object shares. Fragments on an abstract type
//!   that is not the field's own count in full, a slight overestimate.
//! - `@skip` and `@include` are honoured; variables take the request's values, then their
//!   defaults.
//!
//! Worked examples (the README's, under "Query cost"):
//!
//! - "Read it all back": `{ viewer { subject role tenant { key } } plans(first: 10) {
//!   totalCount pageInfo { … } nodes { name budget personas { name } objectives { title
//!   target } campaigns(first: 10) { totalCount nodes { name … } } } } }` costs 2 (`viewer`,
//!   `tenant`) + 10 plans + 10 × 20 personas + 10 × 20 objectives + 10 × 10 campaigns = 512.
//! - "Review": `plan` 1, its `actions` 20, `calendar(groupBy: MONTH)` 121 with 121 × 20
//!   actions, `budgetReport` 1 with `byLever` 13; `arbitrage` 1 with `kept` and `cut` (1 each)
//!   and their `actions` (20 each): 2,619.
//! - `{ plans(first: 100) { nodes { campaigns(first: 100) { nodes { actions(first: 100)
//!   { nodes { title } } } } } } }`: 100 plans, 100 × 100 campaigns, 100 × 100 × 100
//!   actions, 1,010,100: refused under the default maximum of 50,000.
//!
//! The figure is what [`Cost::requested`] reports in each answer's `extensions.cost`.

mod arguments;
mod bounds;
mod table;

use std::collections::HashMap;

use async_graphql::{
    Name, Positioned, Value as ConstValue, Variables,
    parser::types::{
        DocumentOperations, ExecutableDocument, Field, FragmentDefinition, OperationDefinition,
        Selection, SelectionSet,
    },
};

use crate::graphql::connection::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use arguments::{Argument, Values};
pub use table::CostTable;
use table::{ListBound, Relation, Shape};

/// What a root `__schema` or `__type` costs, whatever it selects.
pub const INTROSPECTION_COST: u64 = 10;

/// The cost of an operation, as its answer's `extensions.cost` reports it (camelCase in
/// JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// What the model says the operation may cost, computed before it runs.
    pub requested: u64,
    /// What remains of the caller's rate-limit budgets once the request was charged (the lower
    /// of the credential's and the tenant's; `crate::ratelimit`), when it was.
    pub budget_remaining: Option<u64>,
}

impl Cost {
    /// The cost `requested`, not yet charged.
    pub fn requested(requested: u64) -> Self {
        Self {
            requested,
            budget_remaining: None,
        }
    }

    /// The value of `extensions.cost`: `{"requested": N}`, with `"budgetRemaining": R` once
    /// charged.
    pub fn to_value(self) -> ConstValue {
        let mut object = async_graphql::indexmap::IndexMap::new();
        object.insert(
            Name::new("requested"),
            ConstValue::Number(self.requested.into()),
        );
        if let Some(remaining) = self.budget_remaining {
            object.insert(
                Name::new("budgetRemaining"),
                ConstValue::Number(remaining.into()),
            );
        }
        ConstValue::Object(object)
    }
}

/// The cost of the operation of `document` that runs: the one named `operation`, or the only
/// one; the costliest when that is unclear (the engine then refuses the request anyway).
pub fn price(
    document: &ExecutableDocument,
    operation: Option<&str>,
    variables: &Variables,
    table: &CostTable,
) -> u64 {
    let price_one = |definition: &OperationDefinition| {
        let walk = Walk {
            table,
            fragments: &document.fragments,
            values: Values {
                variables,
                operation: definition,
            },
        };
        table
            .root(definition.ty)
            .map_or(0, |root| walk.set(&definition.selection_set.node, root, 1))
    };
    if let (DocumentOperations::Multiple(operations), Some(name)) =
        (&document.operations, operation)
        && let Some(definition) = operations.get(name)
    {
        return price_one(&definition.node);
    }
    document
        .operations
        .iter()
        .map(|(_, definition)| price_one(&definition.node))
        .max()
        .unwrap_or(0)
}

/// The walk over one operation's selections. Its recursion is as deep as the selections are
/// nested, which the admission bounded before.
struct Walk<'a> {
    table: &'a CostTable,
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    values: Values<'a>,
}

/// What the selections on one type add up to: what every object of it costs, and what the
/// fragments on each of its object types add for that type.
#[derive(Default)]
struct Sum<'d> {
    common: u64,
    by_type: HashMap<&'d str, u64>,
}

impl<'a> Walk<'a> {
    /// The cost of `set`, selected on type `on`, `times` times (once per item of the lists
    /// above it).
    fn set(&self, set: &'a SelectionSet, on: &str, times: u64) -> u64 {
        let mut sum = Sum::default();
        self.collect(set, on, times, &mut sum);
        let costliest = sum.by_type.values().max().copied().unwrap_or(0);
        sum.common.saturating_add(costliest)
    }

    /// Adds the selections of `set` on `on` to `sum`, fragments that always apply expanded
    /// in place.
    fn collect(&self, set: &'a SelectionSet, on: &str, times: u64, sum: &mut Sum<'a>) {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) if !self.values.skipped(&field.node.directives) => {
                    sum.common = sum
                        .common
                        .saturating_add(self.field(&field.node, on, times));
                }
                Selection::InlineFragment(fragment)
                    if !self.values.skipped(&fragment.node.directives) =>
                {
                    let condition = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map(|condition| condition.node.on.node.as_str());
                    self.fragment(&fragment.node.selection_set.node, condition, on, times, sum);
                }
                Selection::FragmentSpread(spread)
                    if !self.values.skipped(&spread.node.directives) =>
                {
                    if let Some(fragment) = self.fragments.get(&spread.node.fragment_name.node) {
                        let condition = fragment.node.type_condition.node.on.node.as_str();
                        let set = &fragment.node.selection_set.node;
                        self.fragment(set, Some(condition), on, times, sum);
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds a fragment on `condition` (none: the type it stands on) to the sum of `on`.
    fn fragment(
        &self,
        set: &'a SelectionSet,
        condition: Option<&'a str>,
        on: &str,
        times: u64,
        sum: &mut Sum<'a>,
    ) {
        let Some(condition) = condition else {
            return self.collect(set, on, times, sum);
        };
        match self.table.relation(on, condition) {
            Relation::Always => self.collect(set, on, times, sum),
            Relation::Narrows => {
                let cost = self.set(set, condition, times);
                let entry = sum.by_type.entry(condition).or_default();
                *entry = entry.saturating_add(cost);
            }
            Relation::Overlaps => {
                sum.common = sum.common.saturating_add(self.set(set, condition, times));
            }
            Relation::Never => {}
        }
    }

    /// The cost of `field` selected on `on`, `times` times.
    fn field(&self, field: &'a Field, on: &str, times: u64) -> u64 {
        let name = field.name.node.as_str();
        if matches!(name, "__schema" | "__type") {
            return INTROSPECTION_COST;
        }
        let Some(definition) = self.table.field(on, name) else {
            // `__typename`, or a field validation will refuse.
            return 0;
        };
        let children = &field.selection_set.node;
        let ty = definition.type_name.as_str();
        let items = match &definition.shape {
            Shape::Leaf => return 0,
            Shape::PagePart => return self.set(children, ty, times),
            Shape::Object => 1,
            Shape::List(bound) => self.list_length(*bound, field),
            Shape::Connection => self.page_size(field),
        };
        let count = times.saturating_mul(items);
        count.saturating_add(self.set(children, ty, count))
    }

    /// The most items a list may return.
    fn list_length(&self, bound: ListBound, field: &Field) -> u64 {
        match bound {
            ListBound::Fixed(count) => count,
            ListBound::LengthOf { argument, max } => {
                let length = match self.values.argument(field, argument) {
                    Some(Argument::List(length)) => length,
                    _ => max,
                };
                length.min(max)
            }
        }
    }

    /// The page size of a connection, as `PageArgs` computes it (both `first` and `last` are
    /// refused when it runs; the larger counts).
    fn page_size(&self, field: &Field) -> u64 {
        let size = |name: &str| match self.values.argument(field, name) {
            Some(Argument::Integer(size)) => Some(u64::try_from(size).unwrap_or(0)),
            _ => None,
        };
        match (size("first"), size("last")) {
            (None, None) => DEFAULT_PAGE_SIZE,
            (first, last) => first.max(last).unwrap_or(0).min(MAX_PAGE_SIZE),
        }
    }
}

#[cfg(test)]
mod tests;
