//! Queries of the strategy layer: personas (the rest of the strategy is read through `Plan`).

pub mod persona;
