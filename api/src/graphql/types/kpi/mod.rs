//! Object types of the KPI aggregate: catalogue definitions, series points, measurements and the
//! live feed's events.

pub mod catalogue;
pub mod feed;
pub mod measurement;
pub mod point_list;
pub mod series;
