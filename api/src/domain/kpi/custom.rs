//! Tenant-defined KPIs: a tenant adds base KPIs (summed, snapshot or non-additive) and derived
//! ratios to the built-in catalogue, changes and deletes them.
//!
//! The rules:
//! - a key matches `^[a-z][a-z0-9_]{0,63}$`, is not a built-in key and is unique within the
//!   tenant (another tenant may use the same key);
//! - a derived KPI (`RATIO`) is `scale × Σnumerator / Σdenominator + offset`, and both of its
//!   components must be *summed base KPIs* (aggregation `SUM`), built-in or the tenant's own.
//!   That single rule also rules out cycles: a component is never a ratio, so the graph of
//!   "is computed from" has depth one and no KPI can reach itself, not even directly (a KPI
//!   naming itself is reported as a `CYCLE`). A KPI used as a component cannot change its
//!   aggregation (see below), so the rule keeps holding after updates;
//! - a base KPI carries no numerator, denominator, scale or offset;
//! - once objectives, measurements or derived KPIs refer to a KPI (all by key), its key and its
//!   aggregation are fixed and it cannot be deleted (`IN_USE`);
//! - built-in KPIs are visible to every tenant and read-only to all: changing or deleting one
//!   is refused as a user error coded `BUILT_IN` on the `id` field (not `NOT_FOUND`, since the
//!   caller can see it, and not `FORBIDDEN`, which the API keeps for a caller's missing rights).
//!
//! The key rules are checked in `key.rs`, a ratio's formula in `formula.rs`; `write.rs` creates,
//! changes and deletes definitions, refusing what is built in or in use.

mod formula;
mod key;
mod write;

use entity::enums::{KpiAggregation, KpiDirection, KpiUnit};
use rust_decimal::Decimal;

pub use key::{MAX_KEY_CHARS, is_valid_key};
pub use write::{create, delete, update};

/// A new tenant KPI, as the caller sent it.
#[derive(Debug, Clone)]
pub struct NewKpi {
    /// Stable key.
    pub key: String,
    /// Display name.
    pub name: String,
    /// What it measures.
    pub description: Option<String>,
    /// Unit of its values.
    pub unit: KpiUnit,
    /// Whether higher or lower is better.
    pub direction: KpiDirection,
    /// How its values combine; `RATIO` for a derived KPI.
    pub aggregation: KpiAggregation,
    /// Numerator key (`RATIO` only).
    pub numerator_key: Option<String>,
    /// Denominator key (`RATIO` only).
    pub denominator_key: Option<String>,
    /// Multiplier of the ratio (`RATIO` only; 1 when omitted).
    pub scale: Option<Decimal>,
    /// Added to the scaled ratio (`RATIO` only; 0 when omitted).
    pub offset: Option<Decimal>,
}

/// Changes to a tenant KPI; `None` leaves a field as it is, `Some(None)` clears it (a scale or
/// offset cleared goes back to 1 or 0).
#[derive(Debug, Clone, Default)]
pub struct KpiChanges {
    /// New key (refused once the KPI is in use).
    pub key: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<Option<String>>,
    /// New unit.
    pub unit: Option<KpiUnit>,
    /// New direction.
    pub direction: Option<KpiDirection>,
    /// New aggregation (refused once the KPI is in use).
    pub aggregation: Option<KpiAggregation>,
    /// New numerator key.
    pub numerator_key: Option<Option<String>>,
    /// New denominator key.
    pub denominator_key: Option<Option<String>>,
    /// New scale.
    pub scale: Option<Option<Decimal>>,
    /// New offset.
    pub offset: Option<Option<Decimal>>,
}

#[cfg(test)]
mod tests;
