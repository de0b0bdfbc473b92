//! The demo plan's content: Maison Lumière, a small candle and home-fragrance workshop in Lyon,
//! and its digital-marketing action plan for one calendar year, drawn from the two source
//! documents (seed 000: the action plan, its levers and the funnel; seed 003: personas, the
//! buying journey in nine steps, SWOT, PEST, brand). English text with the French source terms
//! where they help.
//!
//! Dates are `(month, day)` in the plan's year; other rows refer to personas, objectives,
//! campaigns and actions by their index in these tables.
//!
//! One file per section of the plan: personas, strategy, objectives, levers, campaigns,
//! actions (by phase of the buying journey) and content.

mod actions;
mod campaigns;
mod content;
mod levers;
mod objectives;
mod personas;
mod strategy;

pub use actions::*;
pub use campaigns::*;
pub use content::*;
pub use levers::*;
pub use objectives::*;
pub use personas::*;
pub use strategy::*;

/// A day of the plan's year.
pub type Day = (u32, u32);

/// Every demo plan's name starts with this; it is how an existing demo plan is recognised.
pub const PLAN_NAME_PREFIX: &str = "Maison Lumière — digital-marketing action plan";

/// The plan's description.
pub const PLAN_DESCRIPTION: &str = "The yearly plan d'actions marketing digital of Maison \
Lumière, a workshop of eight people in Lyon that makes natural-wax candles and home fragrances \
and sells them on its e-shop, in its workshop-boutique and through about thirty concept stores. \
Strategy first (market, SWOT, PEST, brand, the ten P's of the mix), then SMART objectives, the \
levers and their budgets, the campaigns (notoriété, trafic, conversion, fidélisation) and the \
actions along the nine steps of the buying journey. A demo seeded by `levier seed-demo`.";

/// The plan's total budget, in euros.
pub const PLAN_BUDGET_EUROS: i64 = 60_000;
