//! An objective's current value, progress and pace, computed from measurements.
//!
//! - **Current value**: the objective's KPI aggregated over the measurements dated from its
//!   plan's start to its deadline (inclusive) that belong to its plan or to no plan (tenant-wide
//!   numbers such as site sessions), with the series' rules: SUM totals, RATIO from summed
//!   components (null without a denominator), LAST the latest date's values summed,
//!   NON_ADDITIVE the largest value of the latest date (never a sum). Null without measurements.
//! - **Progress**: `(current − baseline) / (target − baseline)`, a plain fraction (0.5 is half
//!   way), baseline 0 when unset, not clamped (above 1 when over-achieved, below 0 when worse
//!   than the baseline). Direction-aware by construction: a CPA going from 40 to a target of 20
//!   is half-way at 30. When target equals baseline: 1 if the current value reached it in the
//!   KPI's direction, else 0.
//! - **On track**: progress ≥ elapsed share of the objective's time, `(min(today, deadline) −
//!   plan start) / (deadline − plan start)` clamped to [0, 1] (1 when the deadline is the
//!   plan's first day); today is the UTC date. Null without a current value.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{enums::KpiDirection, kpi_definition, plan};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::domain::{
    DomainResult, Session,
    kpi::series::Formula,
    money::{self, AmountError},
    ratio,
};
use crate::{auth::Permission, store};

/// What progress is computed from: the parts of an objective that matter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectiveRef {
    /// The objective.
    pub id: Uuid,
    /// Its plan.
    pub plan_id: Uuid,
    /// Its KPI.
    pub kpi_key: String,
    /// Its baseline, in micros.
    pub baseline_micros: Option<i64>,
    /// Its target, in micros.
    pub target_micros: i64,
    /// Its deadline.
    pub deadline: NaiveDate,
}

/// Where an objective stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ObjectiveStatus {
    /// The KPI's value over the objective's window.
    pub current_value: Option<Decimal>,
    /// Progress from baseline to target, rounded as every ratio is ([`crate::domain::ratio`]).
    pub progress: Option<Decimal>,
    /// Whether progress keeps up with the elapsed time.
    pub on_track: Option<bool>,
    /// The current value or the progress leaves an exact decimal's range (about ±7.9 × 10^28;
    /// a current value beyond ±7.9 × 10^22 units): none of them is shown, and reading them is
    /// refused as invalid input rather than answered rounded or clamped.
    pub out_of_range: bool,
}

impl ObjectiveStatus {
    /// The status of an objective whose figures leave a decimal's range.
    fn beyond_range() -> Self {
        Self {
            out_of_range: true,
            ..Self::default()
        }
    }
}

/// `(current − baseline) / (target − baseline)`, exact to 28 significant digits (round it
/// with [`crate::domain::ratio::rounded`] to show it); when target equals baseline, 1 if
/// `current` reached it in `direction`, else 0. `None` when the quotient leaves a decimal's
/// range (a current value summed beyond 64 bits over a span of a millionth can).
pub fn progress(
    current: Decimal,
    baseline: Option<Decimal>,
    target: Decimal,
    direction: KpiDirection,
) -> Option<Decimal> {
    let baseline = baseline.unwrap_or(Decimal::ZERO);
    let span = target.checked_sub(baseline)?;
    if span.is_zero() {
        let reached = match direction {
            KpiDirection::HigherIsBetter => current >= target,
            KpiDirection::LowerIsBetter => current <= target,
        };
        return Some(if reached { Decimal::ONE } else { Decimal::ZERO });
    }
    current
        .checked_sub(baseline)?
        .checked_div(span)
        .map(|progress| progress.normalize())
}

/// The share of the time from `start` to `deadline` elapsed on `today`, in [0, 1]; 1 when the
/// deadline is not after the start.
pub fn elapsed(today: NaiveDate, start: NaiveDate, deadline: NaiveDate) -> Decimal {
    let total = (deadline - start).num_days();
    if total <= 0 {
        return Decimal::ONE;
    }
    let done = (today.min(deadline) - start).num_days().max(0);
    (Decimal::from(done) / Decimal::from(total)).normalize()
}

/// On track when progress is at least the elapsed share of the time.
pub fn on_track(progress: Decimal, elapsed: Decimal) -> bool {
    progress >= elapsed
}

/// The current value of `objective` from the aggregates of its window; `TooLarge` when it
/// leaves a decimal's range.
fn current_value(
    objective: &ObjectiveRef,
    formula: &Formula,
    sums: &HashMap<(Uuid, String), i128>,
    latest: &HashMap<Uuid, store::kpi::progress::Latest>,
) -> Result<Option<Decimal>, AmountError> {
    let sum_of = |key: &String| sums.get(&(objective.id, key.clone())).copied();
    match formula {
        Formula::Sum(key) => sum_of(key).map(money::from_wide_micros).transpose(),
        Formula::Ratio {
            numerator,
            denominator,
            scale,
            offset,
        } => crate::domain::kpi::series::ratio_value(
            sum_of(numerator),
            sum_of(denominator),
            *scale,
            *offset,
        ),
        Formula::Last(_) => latest
            .get(&objective.id)
            .map(|latest| money::from_wide_micros(latest.sum_micros))
            .transpose(),
        Formula::NonAdditive(_) => Ok(latest
            .get(&objective.id)
            .map(|latest| money::from_micros(latest.max_micros))),
    }
}

/// The status of each objective on `today`, in a fixed number of statements whatever their
/// number (the catalogue, the plans, one sum and one latest-date query).
pub async fn statuses(
    session: &Session,
    objectives: &[ObjectiveRef],
    today: NaiveDate,
) -> DomainResult<HashMap<Uuid, ObjectiveStatus>> {
    let scope = session.scope(Permission::ReadKpis)?;
    if objectives.is_empty() {
        return Ok(HashMap::new());
    }
    let mut keys: Vec<String> = objectives.iter().map(|o| o.kpi_key.clone()).collect();
    keys.sort();
    keys.dedup();
    let definitions: HashMap<String, kpi_definition::Model> =
        store::kpi::catalogue::by_keys(&scope, &keys)
            .await?
            .into_iter()
            .map(|definition| (definition.key.clone(), definition))
            .collect();
    // An objective whose KPI is gone or cannot be computed has no current value.
    let formulas: HashMap<Uuid, (Formula, KpiDirection)> = objectives
        .iter()
        .filter_map(|objective| {
            let definition = definitions.get(&objective.kpi_key)?;
            let formula = Formula::of(definition).ok()?;
            Some((objective.id, (formula, definition.direction)))
        })
        .collect();

    let mut summed_ids = Vec::new();
    let mut summed_keys = Vec::new();
    let mut latest_ids = Vec::new();
    for (id, (formula, _)) in &formulas {
        match formula {
            Formula::Sum(key) => {
                summed_ids.push(*id);
                summed_keys.push(key.clone());
            }
            Formula::Ratio {
                numerator,
                denominator,
                ..
            } => {
                summed_ids.push(*id);
                summed_keys.extend([numerator.clone(), denominator.clone()]);
            }
            Formula::Last(_) | Formula::NonAdditive(_) => latest_ids.push(*id),
        }
    }
    summed_keys.sort();
    summed_keys.dedup();
    let sums = store::kpi::progress::sums(&scope, &summed_ids, &summed_keys).await?;
    let latest = store::kpi::progress::latest(&scope, &latest_ids).await?;

    let mut plan_ids: Vec<Uuid> = objectives.iter().map(|o| o.plan_id).collect();
    plan_ids.sort();
    plan_ids.dedup();
    let plan_starts: HashMap<Uuid, NaiveDate> = scope
        .find_many::<plan::Entity>(&plan_ids)
        .await?
        .into_iter()
        .map(|plan| (plan.id, plan.period_start))
        .collect();

    Ok(objectives
        .iter()
        .map(|objective| {
            let status = formulas
                .get(&objective.id)
                .and_then(|(formula, direction)| {
                    let Ok(current) = current_value(objective, formula, &sums, &latest) else {
                        return Some(ObjectiveStatus::beyond_range());
                    };
                    let current = current?;
                    let Some(progress) = progress(
                        current,
                        objective.baseline_micros.map(money::from_micros),
                        money::from_micros(objective.target_micros),
                        *direction,
                    ) else {
                        return Some(ObjectiveStatus::beyond_range());
                    };
                    // Compared unrounded: a progress of exactly 1/3 keeps the pace of an
                    // elapsed third, which its rounded value would not.
                    let on_track = plan_starts.get(&objective.plan_id).map(|start| {
                        on_track(progress, elapsed(today, *start, objective.deadline))
                    });
                    Some(ObjectiveStatus {
                        current_value: Some(current),
                        progress: Some(ratio::rounded(progress)),
                        on_track,
                        out_of_range: false,
                    })
                })
                .unwrap_or_default();
            (objective.id, status)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn progress_counts_down_for_lower_is_better() {
        // CPA from 40 to a target of 20: 30 is half-way, 20 done, 10 beyond, 50 backwards.
        let cpa = |current: &str| {
            progress(
                dec(current),
                Some(dec("40")),
                dec("20"),
                KpiDirection::LowerIsBetter,
            )
        };
        assert_eq!(cpa("30"), Some(dec("0.5")));
        assert_eq!(cpa("20"), Some(Decimal::ONE));
        assert_eq!(cpa("10"), Some(dec("1.5")));
        assert_eq!(cpa("50"), Some(dec("-0.5")));
    }

    #[test]
    fn progress_counts_up_from_a_missing_baseline() {
        assert_eq!(
            progress(dec("250"), None, dec("1000"), KpiDirection::HigherIsBetter),
            Some(dec("0.25"))
        );
        assert_eq!(
            progress(
                dec("1"),
                Some(dec("0")),
                dec("3"),
                KpiDirection::HigherIsBetter
            ),
            Some(dec("0.3333333333333333333333333333"))
        );
        // A current value summed beyond 64 bits, over a span of a millionth: beyond a decimal.
        assert_eq!(
            progress(
                dec("79228162514264337593543.950335"),
                Some(dec("-9223372036854.775807")),
                dec("-9223372036854.775806"),
                KpiDirection::HigherIsBetter
            ),
            None
        );
    }

    #[test]
    fn a_target_equal_to_the_baseline_is_reached_or_not() {
        let at = |current: &str, direction| {
            progress(dec(current), Some(dec("5")), dec("5"), direction).unwrap_or_default()
        };
        assert_eq!(at("5", KpiDirection::HigherIsBetter), Decimal::ONE);
        assert_eq!(at("6", KpiDirection::HigherIsBetter), Decimal::ONE);
        assert_eq!(at("4", KpiDirection::HigherIsBetter), Decimal::ZERO);
        assert_eq!(at("4", KpiDirection::LowerIsBetter), Decimal::ONE);
        assert_eq!(at("6", KpiDirection::LowerIsBetter), Decimal::ZERO);
    }

    #[test]
    fn elapsed_is_the_share_of_days_clamped() {
        let start = date("2026-01-01");
        let deadline = date("2026-01-11");
        assert_eq!(elapsed(date("2026-01-06"), start, deadline), dec("0.5"));
        assert_eq!(elapsed(date("2025-12-01"), start, deadline), Decimal::ZERO);
        assert_eq!(elapsed(date("2026-03-01"), start, deadline), Decimal::ONE);
        assert_eq!(elapsed(date("2026-01-01"), start, start), Decimal::ONE);
    }

    #[test]
    fn on_track_compares_progress_with_elapsed_time() {
        assert!(on_track(dec("0.5"), dec("0.5")));
        assert!(on_track(dec("0.6"), dec("0.5")));
        assert!(!on_track(dec("0.4"), dec("0.5")));
        assert!(on_track(dec("-0.1"), dec("-0.2")));
    }
}
