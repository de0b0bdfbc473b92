//! KPIs: the catalogue, the measurements recorded against it and what is computed from them.
//!
//! Where a KPI's number comes from, CPA for example:
//! - its **definition** is a catalogue row: the built-in ones are seeded by the migration
//!   `m20261126_000002_seed_kpi_catalogue` (`cpa` = `spend / conversions`, scale 1, offset 0),
//!   a tenant's own are created in [`custom`]; [`catalogue`] reads both as one list;
//! - its **inputs** are measurements of the base KPIs (`spend`, `conversions`), recorded in
//!   [`measurement`];
//! - its **value** is computed in [`series`]: the database sums numerator and denominator per
//!   bucket and group, and [`series::ratio_value`] divides them (`scale × num / den + offset`).
//!   Objectives' current values ([`progress`]) and the CSV export of series use the same function.
//!
//! [`export`] streams raw measurements; [`feed`] is what a subscriber sees of new ones.

pub mod catalogue;
pub mod custom;
pub mod export;
pub mod feed;
pub mod measurement;
pub mod progress;
pub mod series;
