//! KPI series for BI: any KPI, base or derived, between two dates, by day, week, month, quarter
//! or year, grouped by campaign, lever, persona or action, computed by the database.
//!
//! How values combine, per the KPI's aggregation rule (the grouping is always done in SQL, see
//! `store::kpi::series`):
//! - `SUM` (impressions, spend…): the sum of the values in the bucket and group, whatever the
//!   grain they were reported at (a monthly total lands on the month's first day).
//! - `RATIO` (ctr, cpm, roi…): `scale × Σnumerator / Σdenominator + offset`, from the components
//!   summed in the bucket and group, never an average of ratios; exact decimal arithmetic,
//!   unrounded. No denominator row, or a zero sum, gives null. A group with denominator rows but
//!   no numerator row has a numerator of 0 (nothing was counted). Components are summed whatever
//!   their own rule.
//! - `LAST` (subscribers, followers): the values of the latest date that has measurements in the
//!   bucket and group, summed across that date's rows (two accounts), never across days.
//! - `NON_ADDITIVE` (reach, unique users): only values reported at the asked grain and at exactly
//!   the grouped dimensions (every grouped link set, every other link empty) count: a reach
//!   measured per campaign never makes a total, daily reach never makes a monthly one. When
//!   several sources reported one, the largest is taken.
//!
//! Only buckets and groups that have measurements appear: there is no gap filling, a client
//! fills the periods it wants to show. Points are ordered by KPI (in the order asked), period,
//! then campaign, lever, persona and action (rows without a link first; ids in creation order,
//! levers in the order of the `Lever` enum).

use std::str::FromStr;

use chrono::NaiveDate;
use entity::{
    enums::{KpiAggregation, Lever, TimeGrain},
    kpi_definition,
};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session,
    money::{self, AmountError},
    validation::Violations,
};
use crate::{
    auth::Permission,
    store::{
        self,
        kpi::series::{Aggregate, CellValue, SeriesFilter},
    },
};

pub use store::kpi::series::{CellKey, Dimension};

/// Most KPIs one series request may ask for.
pub const MAX_KPIS: usize = 20;

/// Most points one series request may return.
pub const MAX_POINTS: usize = 10_000;

/// What a series is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesRequest {
    /// The KPIs, in the order the points are wanted.
    pub kpi_keys: Vec<String>,
    /// First date, inclusive.
    pub from: NaiveDate,
    /// Last date, inclusive.
    pub to: NaiveDate,
    /// The bucket size.
    pub grain: TimeGrain,
    /// The dimensions to group by (any order, repeats ignored).
    pub group_by: Vec<Dimension>,
    /// Only measurements of this plan.
    pub plan_id: Option<Uuid>,
    /// Only measurements of these campaigns (all when empty).
    pub campaign_ids: Vec<Uuid>,
    /// Only measurements of these levers (all when empty).
    pub levers: Vec<Lever>,
    /// Only measurements of these personas (all when empty).
    pub persona_ids: Vec<Uuid>,
}

/// One value of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    /// The KPI.
    pub kpi_key: String,
    /// Bucket and group.
    pub key: CellKey,
    /// The value; `None` where a ratio has no denominator.
    pub value: Option<Decimal>,
}

/// How a KPI's values are computed from measurements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Formula {
    /// Summed.
    Sum(String),
    /// Latest date's values.
    Last(String),
    /// Only at the measured grain and dimensions.
    NonAdditive(String),
    /// `scale × Σnumerator / Σdenominator + offset`.
    Ratio {
        /// Numerator KPI key.
        numerator: String,
        /// Denominator KPI key.
        denominator: String,
        /// Multiplier (1000 for CPM).
        scale: Decimal,
        /// Added after scaling (−1 for ROI).
        offset: Decimal,
    },
}

impl Formula {
    /// The formula of a definition, or why the definition cannot be computed.
    pub fn of(definition: &kpi_definition::Model) -> Result<Self, String> {
        let key = definition.key.clone();
        Ok(match definition.aggregation {
            KpiAggregation::Sum => Self::Sum(key),
            KpiAggregation::Last => Self::Last(key),
            KpiAggregation::NonAdditive => Self::NonAdditive(key),
            KpiAggregation::Ratio => {
                let (Some(numerator), Some(denominator)) = (
                    definition.numerator_key.clone(),
                    definition.denominator_key.clone(),
                ) else {
                    return Err(format!(
                        "the ratio `{key}` lacks a numerator or denominator"
                    ));
                };
                let parse = |text: &str, what: &str| {
                    Decimal::from_str(text.trim())
                        .map_err(|_| format!("the {what} of `{key}` is not a decimal: `{text}`"))
                };
                Self::Ratio {
                    numerator,
                    denominator,
                    scale: parse(&definition.scale, "scale")?,
                    offset: parse(&definition.offset, "offset")?,
                }
            }
        })
    }

    /// What the store aggregates for it.
    pub fn aggregate(&self) -> Aggregate {
        match self {
            Self::Sum(key) => Aggregate::Sum(key.clone()),
            Self::Last(key) => Aggregate::Last(key.clone()),
            Self::NonAdditive(key) => Aggregate::NonAdditive(key.clone()),
            Self::Ratio {
                numerator,
                denominator,
                ..
            } => Aggregate::Ratio {
                numerator: numerator.clone(),
                denominator: denominator.clone(),
            },
        }
    }

    /// The value of an aggregated cell, in the KPI's unit; `TooLarge` when it leaves a
    /// decimal's range (about ±7.9 × 10^28, or 10^22 units for a sum of micros).
    pub fn value(&self, cell: CellValue) -> Result<Option<Decimal>, AmountError> {
        match (self, cell) {
            (
                Self::Ratio { scale, offset, .. },
                CellValue::Components {
                    numerator,
                    denominator,
                },
            ) => ratio_value(numerator, denominator, *scale, *offset),
            (_, CellValue::Micros(micros)) => money::from_wide_micros(micros).map(Some),
            (_, CellValue::Components { .. }) => Ok(None),
        }
    }
}

/// `scale × Σnumerator / Σdenominator + offset` from sums in micros (the micros cancel out),
/// exact to the 28 significant digits of a decimal; `None` without a denominator or when it is
/// zero. A missing numerator counts as zero. `TooLarge` when the ratio leaves a decimal's range
/// (never rounded nor clamped).
pub fn ratio_value(
    numerator_micros: Option<i128>,
    denominator_micros: Option<i128>,
    scale: Decimal,
    offset: Decimal,
) -> Result<Option<Decimal>, AmountError> {
    let Some(denominator) = denominator_micros.filter(|micros| *micros != 0) else {
        return Ok(None);
    };
    let whole = |micros: i128| {
        Decimal::try_from_i128_with_scale(micros, 0).map_err(|_| AmountError::TooLarge)
    };
    let denominator = whole(denominator)?;
    let numerator = whole(numerator_micros.unwrap_or(0))?;
    // Scale first (more digits kept); divide first only if scaling the sum would overflow.
    scale
        .checked_mul(numerator)
        .and_then(|product| product.checked_div(denominator))
        .or_else(|| {
            numerator
                .checked_div(denominator)
                .and_then(|ratio| ratio.checked_mul(scale))
        })
        .and_then(|scaled| scaled.checked_add(offset))
        .map(|value| Some(value.normalize()))
        .ok_or(AmountError::TooLarge)
}

/// The definitions of `keys`, in that order, with the index of each unknown key reported.
async fn formulas(
    session: &Session,
    violations: &mut Violations,
    keys: &[String],
) -> DomainResult<Vec<(String, Formula)>> {
    let scope = session.scope(Permission::ReadKpis)?;
    let definitions = store::kpi::catalogue::by_keys(&scope, keys).await?;
    let mut formulas = Vec::with_capacity(keys.len());
    for (index, key) in keys.iter().enumerate() {
        let position = index.to_string();
        match definitions.iter().find(|definition| &definition.key == key) {
            None => violations.add(
                &["kpiKeys", &position],
                FieldErrorCode::NotFound,
                format!("no KPI has the key `{key}`"),
            ),
            Some(definition) => match Formula::of(definition) {
                Ok(formula) => formulas.push((key.clone(), formula)),
                Err(problem) => {
                    violations.add(&["kpiKeys", &position], FieldErrorCode::Invalid, problem)
                }
            },
        }
    }
    Ok(formulas)
}

/// Whether the session may read series (viewers, API keys with READ_KPIS).
pub fn authorize(session: &Session) -> DomainResult<()> {
    session.scope(Permission::ReadKpis)?;
    Ok(())
}

/// The series asked for, in one catalogue read and one grouped statement per KPI.
pub async fn series(session: &Session, request: SeriesRequest) -> DomainResult<Vec<Point>> {
    let scope = session.scope(Permission::ReadKpis)?;
    let mut v = Violations::new();
    let mut keys: Vec<String> = Vec::with_capacity(request.kpi_keys.len());
    // A key no column can hold (a NUL, too long) is malformed: refused before any lookup.
    let mut malformed = false;
    for (index, key) in request.kpi_keys.iter().enumerate() {
        let at = index.to_string();
        malformed |= !v.check_text(
            &["kpiKeys", &at],
            key,
            crate::domain::kpi::measurement::MAX_KPI_KEY_CHARS,
        );
    }
    for key in &request.kpi_keys {
        if !keys.contains(key) {
            keys.push(key.clone());
        }
    }
    if keys.is_empty() {
        v.add(
            &["kpiKeys"],
            FieldErrorCode::Required,
            "ask for at least one KPI",
        );
    } else if keys.len() > MAX_KPIS {
        v.add(
            &["kpiKeys"],
            FieldErrorCode::OutOfRange,
            format!("ask for at most {MAX_KPIS} KPIs at once"),
        );
    }
    if request.from > request.to {
        v.add(
            &["to"],
            FieldErrorCode::DateOrder,
            "`to` comes before `from`",
        );
    }
    let formulas = if malformed || v.has(&["kpiKeys"]) {
        Vec::new()
    } else {
        formulas(session, &mut v, &keys).await?
    };
    v.finish()?;

    let filter = SeriesFilter {
        from: request.from,
        to: request.to,
        plan_id: request.plan_id,
        campaign_ids: request.campaign_ids,
        levers: request.levers,
        persona_ids: request.persona_ids,
    };
    let mut points = Vec::new();
    for (key, formula) in formulas {
        // One more than what is left tells whether the bound is crossed, cheaply.
        let left = MAX_POINTS - points.len();
        let mut cells = store::kpi::series::cells(
            &scope,
            &formula.aggregate(),
            request.grain,
            &request.group_by,
            &filter,
            left as u64 + 1,
        )
        .await?;
        if cells.len() > left {
            let mut too_many = Violations::new();
            too_many.add(
                &[],
                FieldErrorCode::OutOfRange,
                format!(
                    "the series would return more than {MAX_POINTS} points; narrow the dates, \
                     use a coarser grain or fewer dimensions"
                ),
            );
            too_many.finish()?;
        }
        cells.sort_by_key(|cell| cell.key);
        for cell in cells {
            let value = formula.value(cell.value).map_err(|_| {
                let mut beyond = Violations::new();
                beyond.add(
                    &[],
                    FieldErrorCode::OutOfRange,
                    format!(
                        "the value of `{key}` for the period starting {} leaves the range of \
                         an exact decimal (28 significant digits); narrow the request",
                        cell.key.period_start
                    ),
                );
                beyond.finish().err().unwrap_or(DomainError::NotFound)
            })?;
            points.push(Point {
                kpi_key: key.clone(),
                key: cell.key,
                value,
            });
        }
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    #[test]
    fn a_ratio_of_sums_is_exact_and_unrounded() {
        // 30 clicks over 900 impressions: 1/30, to 28 digits.
        assert_eq!(
            ratio_value(
                Some(30_000_000),
                Some(900_000_000),
                Decimal::ONE,
                Decimal::ZERO
            ),
            Ok(Some(dec("0.0333333333333333333333333333")))
        );
        // CPM: 12.5 spent for 5000 impressions × 1000 = 2.5.
        assert_eq!(
            ratio_value(
                Some(12_500_000),
                Some(5_000_000_000),
                dec("1000"),
                Decimal::ZERO
            ),
            Ok(Some(dec("2.5")))
        );
        // ROI: revenue 150 for spend 100, minus 1 = 0.5.
        assert_eq!(
            ratio_value(
                Some(150_000_000),
                Some(100_000_000),
                Decimal::ONE,
                dec("-1")
            ),
            Ok(Some(dec("0.5")))
        );
    }

    #[test]
    fn no_denominator_is_no_value_and_no_numerator_is_zero() {
        assert_eq!(
            ratio_value(Some(5), Some(0), Decimal::ONE, Decimal::ZERO),
            Ok(None)
        );
        assert_eq!(
            ratio_value(Some(5), None, Decimal::ONE, Decimal::ZERO),
            Ok(None)
        );
        assert_eq!(
            ratio_value(None, Some(7), Decimal::ONE, Decimal::ZERO),
            Ok(Some(Decimal::ZERO))
        );
        // Bounce rate = 1 − engaged / sessions: no engaged session is a bounce rate of 1.
        assert_eq!(
            ratio_value(None, Some(7), dec("-1"), Decimal::ONE),
            Ok(Some(Decimal::ONE))
        );
    }

    #[test]
    fn the_largest_sums_do_not_overflow() {
        assert_eq!(
            ratio_value(
                Some(i128::from(i64::MAX)),
                Some(1),
                dec("1000"),
                Decimal::ZERO
            ),
            Ok(Some(Decimal::from(i64::MAX) * dec("1000")))
        );
        // Three sums of 2^63 − 1 micros: beyond 64 bits, still exact.
        let three = 3 * i128::from(i64::MAX);
        assert_eq!(
            ratio_value(Some(three), Some(3), Decimal::ONE, Decimal::ZERO),
            Ok(Some(Decimal::from(i64::MAX)))
        );
        // A ratio beyond a decimal's range is refused, never rounded nor clamped.
        assert_eq!(
            ratio_value(Some((1 << 95) - 1), Some(1), dec("1000000"), Decimal::MAX),
            Err(AmountError::TooLarge)
        );
        assert_eq!(
            ratio_value(Some(1 << 100), Some(1), Decimal::ONE, Decimal::ZERO),
            Err(AmountError::TooLarge)
        );
    }
}
