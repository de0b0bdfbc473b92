//! The one precision of ratios: derived KPI values (CTR, CPA, ROAS, custom formulas, in
//! `kpiSeries`, objectives' current values and the CSV export alike), budget variance ratios
//! and objectives' progress.
//!
//! A ratio is computed exactly to the 28 significant digits of a decimal, then rounded to
//! [`DECIMALS`] decimal places, a midpoint away from zero (0.0000000000005 → 0.000000000001,
//! −0.0000000000005 → −0.000000000001), and written without trailing zeros: 1/3 is
//! `0.333333333333`, 2/3 `0.666666666667`, 1/4 `0.25`. Fixed decimal places rather than
//! significant digits, so that the same ratio has the same digits at every grain and a
//! column of them lines up. Twelve keep four significant digits of a CTR as small as one click
//! in a billion impressions (`0.000000001234`), far beyond what a report shows.

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places a ratio keeps.
pub const DECIMALS: u32 = 12;

/// `value` rounded to [`DECIMALS`] places, a midpoint away from zero, without trailing zeros.
pub fn rounded(value: Decimal) -> Decimal {
    value
        .round_dp_with_strategy(DECIMALS, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    fn written(value: Decimal) -> String {
        rounded(value).to_string()
    }

    #[test]
    fn ratios_keep_twelve_decimals_without_trailing_zeros() {
        assert_eq!(written(Decimal::ONE / dec("3")), "0.333333333333");
        assert_eq!(written(dec("2") / dec("3")), "0.666666666667");
        assert_eq!(written(dec("-2") / dec("3")), "-0.666666666667");
        assert_eq!(written(dec("0.25")), "0.25");
        assert_eq!(written(dec("40")), "40");
        assert_eq!(written(dec("0.0000000000001")), "0");
        assert_eq!(written(dec("-0.0000000000001")), "0");
        assert_eq!(written(dec("27670116110564327420")), "27670116110564327420");
    }

    #[test]
    fn midpoints_round_away_from_zero() {
        assert_eq!(written(dec("0.0000000000005")), "0.000000000001");
        assert_eq!(written(dec("-0.0000000000005")), "-0.000000000001");
        assert_eq!(written(dec("0.0000000000015")), "0.000000000002");
        assert_eq!(written(dec("0.0000000000025")), "0.000000000003");
    }
}
