//! What an arbitrage answers: the [`Proposal`] (kept and cut actions, totals per lever) and its
//! warnings.

use entity::enums::Lever;

use super::input::{Candidate, LeverBound};

/// Why a warning was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningCode {
    /// A lever's minimum spend is not reached by the proposal.
    LeverMinNotMet,
    /// The committed spend alone exceeds the ceiling: only zero-cost actions can be kept.
    CommittedExceedsCeiling,
    /// A lever's committed spend alone exceeds its maximum.
    CommittedExceedsLeverMax,
}

/// Something the proposal could not do, for a person and a program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What happened.
    pub code: WarningCode,
    /// The lever concerned, if any.
    pub lever: Option<Lever>,
    /// By how much, in micros (the shortfall or the excess).
    pub gap_micros: i128,
}

/// Totals of a set of actions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// How many actions.
    pub count: usize,
    /// Their planned budget, in micros.
    pub cost_micros: i128,
    /// Their total ICE score.
    pub ice_score: i64,
}

impl Totals {
    pub(super) fn add(&mut self, candidate: &Candidate) {
        self.count += 1;
        self.cost_micros += i128::from(candidate.cost_micros);
        self.ice_score += i64::from(candidate.ice_score);
    }
}

/// One lever's side of the proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeverTotals {
    /// The lever.
    pub lever: Lever,
    /// Its bounds, if any were given.
    pub bound: Option<LeverBound>,
    /// Its committed spend.
    pub committed_micros: i128,
    /// Its kept actions.
    pub kept: Totals,
    /// Its cut actions.
    pub cut: Totals,
}

/// The proposal: which candidates to keep and to cut, with totals. Changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// The ceiling it was computed for.
    pub ceiling_micros: i64,
    /// Total committed spend.
    pub committed_micros: i128,
    /// Kept actions, in rank order.
    pub kept: Vec<Candidate>,
    /// Cut actions, in rank order.
    pub cut: Vec<Candidate>,
    /// Totals of the kept actions.
    pub kept_totals: Totals,
    /// Totals of the cut actions.
    pub cut_totals: Totals,
    /// Ceiling minus committed minus kept (negative when the committed spend exceeds it).
    pub remaining_micros: i128,
    /// Per-lever totals, for every lever that has a candidate, a commitment or a bound, in
    /// lever order.
    pub levers: Vec<LeverTotals>,
    /// What could not be satisfied.
    pub warnings: Vec<Warning>,
    /// True when a run starting with a larger action beat the plain ranking.
    pub started_with_larger_action: bool,
}
