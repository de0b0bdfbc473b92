//! Object types of the strategy layer: market trends, competitors, SWOT, PEST, brand, marketing
//! mix, segments and personas.

pub mod brand;
pub mod competitor;
pub mod market;
pub mod mix;
pub mod persona;
pub mod pest;
pub mod segment;
pub mod swot;
