//! Mutations of the KPI aggregate: tenant KPI definitions and measurement batches.

pub mod custom;
pub mod measurement;
