//! Unit tests of the ratio arithmetic ([`ratio_value`]).

use std::str::FromStr;

use super::*;
use crate::domain::money::AmountError;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

#[test]
fn a_ratio_of_sums_is_exact_then_rounded_to_twelve_decimals() {
    // 30 clicks over 900 impressions: 1/30, to 12 decimal places.
    assert_eq!(
        ratio_value(
            Some(30_000_000),
            Some(900_000_000),
            Decimal::ONE,
            Decimal::ZERO
        ),
        Ok(Some(dec("0.033333333333")))
    );
    // 20 clicks over 30 impressions: 2/3, the last place rounded up.
    assert_eq!(
        ratio_value(
            Some(20_000_000),
            Some(30_000_000),
            Decimal::ONE,
            Decimal::ZERO
        ),
        Ok(Some(dec("0.666666666667")))
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
