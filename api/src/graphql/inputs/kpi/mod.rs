//! Inputs of the KPI aggregate: tenant KPI definitions, measurement batches and series requests.

pub mod custom;
pub mod measurement;
pub mod series;
