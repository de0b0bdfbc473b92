//! What an arbitrage is computed from: the candidate actions, the committed spend and the
//! per-lever bounds ([`ArbitrageRequest`]).

use chrono::NaiveDate;
use entity::enums::Lever;
use uuid::Uuid;

/// An action that may be kept or cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The action's id (the last tie-breaker).
    pub id: Uuid,
    /// Its lever.
    pub lever: Lever,
    /// Its planned budget in micros (not negative).
    pub cost_micros: i64,
    /// Its ICE score (1 to 1000).
    pub ice_score: i32,
    /// Its due date (the first tie-breaker).
    pub due_date: NaiveDate,
}

/// Spending bounds for one lever, in micros; `None` is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeverBound {
    /// The lever.
    pub lever: Lever,
    /// Spend the lever should reach (committed plus kept), if the ceiling allows.
    pub min_micros: Option<i64>,
    /// Spend the lever must not exceed (committed plus kept).
    pub max_micros: Option<i64>,
}

/// Spend already committed on a lever (DONE actions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    /// The lever.
    pub lever: Lever,
    /// The planned budget of its DONE actions, in micros.
    pub micros: i64,
}

/// What an arbitrage is computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArbitrageRequest {
    /// The budget ceiling in micros (not negative).
    pub ceiling_micros: i64,
    /// Per-lever bounds (at most one per lever).
    pub bounds: Vec<LeverBound>,
    /// Already committed spend, per lever (may repeat a lever; amounts add up).
    pub committed: Vec<Committed>,
    /// The candidate actions, in any order.
    pub candidates: Vec<Candidate>,
}
