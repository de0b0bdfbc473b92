//! `ArbitrageProposal` and its parts: which actions to keep under a budget ceiling.

use async_graphql::{Enum, Object, SimpleObject};
use entity::enums::Lever;

use crate::graphql::types::{Action, Plan};
use crate::{
    domain::{
        plan::arbitrage::PlanArbitrage,
        plan::arbitrage::proposal::{Candidate, LeverTotals, Totals, Warning, WarningCode},
    },
    graphql::scalars::Decimal,
};

/// Micros (possibly summed beyond 64 bits) as an amount of `currency`, the plan's. The
/// proposal's sums add the 64-bit budgets of one plan's actions: far below 2^96 micros, which
/// a decimal holds exactly; never panics all the same (beyond, the decimal's largest magnitude
/// would be shown, which no plan can reach).
pub(crate) fn decimal(micros: i128, currency: &str) -> Decimal {
    Decimal::amount(micros, currency).unwrap_or(Decimal(if micros < 0 {
        rust_decimal::Decimal::MIN
    } else {
        rust_decimal::Decimal::MAX
    }))
}

pub(crate) fn count(value: usize) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// A proposal of which actions of a plan to keep under a budget ceiling. Computing it changes
/// nothing; `applyArbitrage` cancels the cut actions.
///
/// DONE actions are not candidates: their planned budget is already spent, so it counts
/// against the ceiling and against its lever's bounds (`committed`). CANCELLED actions count
/// for nothing. Every other action is a candidate, ranked zero-cost first (higher ICE score
/// first), then by ICE score per unit of planned budget (compared exactly, highest first); ties
/// go to the earlier due date, then to the older action (smaller ID). Levers with a `minSpend`
/// are served first with their own actions, then every action is kept in rank order when it
/// fits under the ceiling and its lever's `maxSpend`.
///
/// Ranking by ratio alone can be far from the best total ICE score (a ceiling of 100, an action
/// costing 1 scoring 2, another costing 100 scoring 100: the first is kept and the second no
/// longer fits). So the ranking is also run starting with each action in turn, and the run
/// that best meets the minimums, then has the highest total ICE score, wins
/// (`startedWithLargerAction`). Without lever bounds the total ICE score is then at least half
/// the best possible one; with bounds no such guarantee holds.
pub struct ArbitrageProposal(pub PlanArbitrage);

/// A proposal of which actions of a plan to keep under a budget ceiling (see the `arbitrage`
/// query for the rule). Computing it changes nothing.
#[Object]
impl ArbitrageProposal {
    /// The plan.
    async fn plan(&self) -> Plan {
        Plan(self.0.plan.clone())
    }

    /// A fingerprint of what the proposal was computed from (the plan's and every action's
    /// version, the ceiling and the bounds); pass it as `fingerprint` to `applyArbitrage`.
    async fn plan_version(&self) -> &str {
        &self.0.plan_version
    }

    /// The budget ceiling.
    async fn ceiling(&self) -> Decimal {
        Decimal::stored_amount(self.0.proposal.ceiling_micros, self.currency())
    }

    /// The planned budget of DONE actions, already spent: counted against the ceiling.
    async fn committed(&self) -> Decimal {
        decimal(self.0.proposal.committed_micros, self.currency())
    }

    /// The actions to keep, in rank order, with their totals.
    async fn kept(&self) -> ArbitrageSelection {
        self.selection(&self.0.proposal.kept, self.0.proposal.kept_totals)
    }

    /// The actions to cut, in rank order, with their totals.
    async fn cut(&self) -> ArbitrageSelection {
        self.selection(&self.0.proposal.cut, self.0.proposal.cut_totals)
    }

    /// The ceiling minus the committed budget minus the kept actions' budget (negative when
    /// the committed budget alone exceeds the ceiling).
    async fn remaining(&self) -> Decimal {
        decimal(self.0.proposal.remaining_micros, self.currency())
    }

    /// Totals per lever, for every lever with a candidate, a committed budget or a bound, in
    /// the order of the `Lever` enum.
    async fn levers(&self) -> Vec<ArbitrageLeverTotals> {
        self.0
            .proposal
            .levers
            .iter()
            .map(|totals| ArbitrageLeverTotals::of(totals, self.currency()))
            .collect()
    }

    /// What the proposal could not satisfy (an unreachable minimum, a committed budget over
    /// the ceiling or over a lever's maximum). Empty when everything was met.
    async fn warnings(&self) -> Vec<ArbitrageWarning> {
        self.0
            .proposal
            .warnings
            .iter()
            .map(|warning| ArbitrageWarning::of(warning, self.currency()))
            .collect()
    }

    /// True when the run starting with one larger action beat the plain ranking by ICE score
    /// per unit of cost.
    async fn started_with_larger_action(&self) -> bool {
        self.0.proposal.started_with_larger_action
    }
}

impl ArbitrageProposal {
    /// The plan's currency, which every amount of the proposal is in.
    fn currency(&self) -> &str {
        &self.0.plan.currency
    }

    fn selection(&self, candidates: &[Candidate], totals: Totals) -> ArbitrageSelection {
        ArbitrageSelection {
            actions: self.0.rows(candidates).into_iter().map(Action).collect(),
            count: count(totals.count),
            budget: decimal(totals.cost_micros, self.currency()),
            ice_score: totals.ice_score,
        }
    }
}

/// A set of actions of a proposal (kept or cut) with its totals.
#[derive(SimpleObject)]
pub struct ArbitrageSelection {
    /// The actions, in rank order.
    pub actions: Vec<Action>,
    /// How many.
    pub count: i32,
    /// Their total planned budget.
    pub budget: Decimal,
    /// Their total ICE score.
    pub ice_score: i64,
}

/// Totals of a set of actions.
#[derive(SimpleObject)]
pub struct ArbitrageTotals {
    /// How many.
    pub count: i32,
    /// Their total planned budget.
    pub budget: Decimal,
    /// Their total ICE score.
    pub ice_score: i64,
}

impl ArbitrageTotals {
    /// `totals`, amounts in `currency`.
    pub(crate) fn of(totals: Totals, currency: &str) -> Self {
        Self {
            count: count(totals.count),
            budget: decimal(totals.cost_micros, currency),
            ice_score: totals.ice_score,
        }
    }
}

/// One lever's side of a proposal.
#[derive(SimpleObject)]
pub struct ArbitrageLeverTotals {
    /// The lever.
    pub lever: Lever,
    /// Its minimum spend, if one was given.
    pub min_spend: Option<Decimal>,
    /// Its maximum spend, if one was given.
    pub max_spend: Option<Decimal>,
    /// The planned budget of its DONE actions.
    pub committed: Decimal,
    /// Its kept actions.
    pub kept: ArbitrageTotals,
    /// Its cut actions.
    pub cut: ArbitrageTotals,
    /// Committed plus kept: what the lever spends if the proposal is applied.
    pub spend: Decimal,
}

impl ArbitrageLeverTotals {
    /// `totals`, amounts in `currency`.
    pub(crate) fn of(totals: &LeverTotals, currency: &str) -> Self {
        let stored = |micros: i64| Decimal::stored_amount(micros, currency);
        Self {
            lever: totals.lever,
            min_spend: totals.bound.and_then(|b| b.min_micros).map(stored),
            max_spend: totals.bound.and_then(|b| b.max_micros).map(stored),
            committed: decimal(totals.committed_micros, currency),
            kept: ArbitrageTotals::of(totals.kept, currency),
            cut: ArbitrageTotals::of(totals.cut, currency),
            spend: decimal(totals.committed_micros + totals.kept.cost_micros, currency),
        }
    }
}

/// What a proposal warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ArbitrageWarningCode {
    /// The lever's minimum spend is not reached: its actions do not fit (ceiling or maximum).
    LeverMinNotMet,
    /// The DONE actions' budgets alone exceed the ceiling: only zero-cost actions are kept.
    CommittedExceedsCeiling,
    /// The lever's DONE actions' budgets alone exceed its maximum.
    CommittedExceedsLeverMax,
}

/// Something a proposal could not satisfy; reported, never hidden.
#[derive(SimpleObject)]
pub struct ArbitrageWarning {
    /// What it is about, for programs.
    pub code: ArbitrageWarningCode,
    /// The lever concerned; null for the ceiling.
    pub lever: Option<Lever>,
    /// By how much: the shortfall under a minimum, or the excess over a ceiling or maximum.
    pub amount: Decimal,
    /// The same, for people.
    pub message: String,
}

impl ArbitrageWarning {
    /// `warning`, its amount in `currency`.
    pub(crate) fn of(warning: &Warning, currency: &str) -> Self {
        let amount = decimal(warning.gap_micros, currency);
        let lever = warning
            .lever
            .map(|lever| sea_orm::ActiveEnum::to_value(&lever))
            .unwrap_or_default();
        let (code, message) = match warning.code {
            WarningCode::LeverMinNotMet => (
                ArbitrageWarningCode::LeverMinNotMet,
                format!(
                    "lever {lever} is {} {currency} short of its minimum spend",
                    amount.0
                ),
            ),
            WarningCode::CommittedExceedsCeiling => (
                ArbitrageWarningCode::CommittedExceedsCeiling,
                format!(
                    "done actions already exceed the ceiling by {} {currency}",
                    amount.0
                ),
            ),
            WarningCode::CommittedExceedsLeverMax => (
                ArbitrageWarningCode::CommittedExceedsLeverMax,
                format!(
                    "done actions of lever {lever} already exceed its maximum by {} {currency}",
                    amount.0
                ),
            ),
        };
        Self {
            code,
            lever: warning.lever,
            amount,
            message,
        }
    }
}
