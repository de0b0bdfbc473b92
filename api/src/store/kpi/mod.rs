//! Reads and writes of the KPI aggregate: the catalogue (built-in and tenant definitions), the
//! references to a tenant's KPIs, measurements, the grouped series, objectives' aggregates, and
//! the keyset pages of raw measurements for exports.

pub mod catalogue;
pub mod custom;
pub mod export;
pub mod measurement;
pub mod progress;
pub mod series;
