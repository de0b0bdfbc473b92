//! How long the schema's lists of objects can be, where the domain says so. Connections need no
//! entry (their page size is their bound), nor do lists of scalars and enums (they cost
//! nothing); every other list of objects counts as a page of the default size,
//! [`DEFAULT_PAGE_SIZE`], unless it is named here. Each bound comes from the constant that
//! enforces it, or from an enum of the schema whose values key the list, so that it follows
//! the code. The table is checked against the schema when the cost table is built: an entry
//! naming a field that is not a list of objects (after a rename, say) fails the unit tests.

use crate::domain::{
    kpi::{measurement::MAX_BATCH_ROWS, series::MAX_POINTS},
    plan::calendar::MAX_MONTHS,
};
use crate::graphql::{connection::DEFAULT_PAGE_SIZE, query::node::MAX_NODES};

/// How long a list may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Declared {
    /// At most this many items.
    Fixed(u64),
    /// At most one item per value of this enum of the schema.
    ValuesOf(&'static str),
    /// One item per element of this list argument, at most `max`.
    LengthOf {
        /// The argument whose elements the list answers.
        argument: &'static str,
        /// The most elements the resolver accepts.
        max: u64,
    },
}

/// The bound of a list of objects that neither a constant nor an argument bounds: rows the
/// tenant wrote (a plan's personas, a campaign's children…), counted like a connection without
/// `first`.
pub(super) const UNBOUNDED_LIST: u64 = DEFAULT_PAGE_SIZE;

/// Lists bounded field by field: `(type, field, bound)`.
pub(super) const BY_FIELD: &[(&str, &str, Declared)] = &[
    // A series is refused beyond its points bound.
    ("Query", "kpiSeries", Declared::Fixed(MAX_POINTS as u64)),
    (
        "Query",
        "nodes",
        Declared::LengthOf {
            argument: "ids",
            max: MAX_NODES as u64,
        },
    ),
    // Grouped by month (at most the months of a plan's period), by action type (one per
    // type) or by campaign (the plan's campaigns, not bounded): the first bound, the largest.
    ("Plan", "calendar", Declared::Fixed(MAX_MONTHS as u64)),
    // One entry per dimension of the mix, set or not.
    ("Plan", "marketingMix", Declared::ValuesOf("MixDimension")),
    // One allocation per lever (a unique index).
    ("Plan", "leverAllocations", Declared::ValuesOf("Lever")),
    ("BudgetReport", "byLever", Declared::ValuesOf("Lever")),
    (
        "BudgetReport",
        "byMonth",
        Declared::Fixed(MAX_MONTHS as u64),
    ),
    ("ArbitrageProposal", "levers", Declared::ValuesOf("Lever")),
    // One per row of the batch.
    (
        "RecordMeasurementsPayload",
        "measurements",
        Declared::Fixed(MAX_BATCH_ROWS as u64),
    ),
];

/// Lists bounded by what they hold, wherever they stand: `(item type, bound)`.
pub(super) const BY_ITEM: &[(&str, Declared)] = &[
    // A budget check warns at most once per kind of warning.
    ("PlanWarning", Declared::ValuesOf("PlanWarningCode")),
];
