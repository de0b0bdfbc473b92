//! GraphQL input types, one file per aggregate; each converts into the domain's own input.

pub mod campaign;
pub mod lever;
pub mod objective;
pub mod persona;
pub mod plan;
