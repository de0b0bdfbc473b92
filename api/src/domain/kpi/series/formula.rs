//! [`Formula`]: how a KPI's value is computed from its measurements (sum, latest, non-additive
//! or ratio of sums), and [`ratio_value`], the exact ratio arithmetic.

use std::str::FromStr;

use entity::{enums::KpiAggregation, kpi_definition};
use rust_decimal::Decimal;

use crate::{
    domain::{
        money::{self, AmountError},
        ratio,
    },
    store::kpi::series::{Aggregate, CellValue},
};

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
/// computed to the 28 significant digits of a decimal, then rounded as every ratio is
/// ([`crate::domain::ratio`]: 12 decimal places); `None` without a denominator or when it is
/// zero. A missing numerator counts as zero. `TooLarge` when the ratio leaves a decimal's range
/// (never clamped).
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
        .map(|value| Some(ratio::rounded(value)))
        .ok_or(AmountError::TooLarge)
}
