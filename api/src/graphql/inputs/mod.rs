//! GraphQL input types, one file per aggregate; each converts into the domain's own input.

pub mod action;
pub mod analysis;
pub mod api_key;
pub mod arbitrage;
pub mod attribution;
pub mod brand;
pub mod campaign;
pub mod content;
pub mod kpi;
pub mod lever;
pub mod market;
pub mod measurement;
pub mod objective;
pub mod persona;
pub mod plan;
pub mod plan_copy;
pub mod segment;
