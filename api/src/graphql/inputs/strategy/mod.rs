//! Inputs of the strategy layer's mutations: one file per concept, as in `domain::strategy`.

pub mod brand;
pub mod competitor;
pub mod market;
pub mod mix;
pub mod persona;
pub mod pest;
pub mod segment;
pub mod swot;
