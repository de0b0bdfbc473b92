//! Exact decimal amounts stored as fixed-point micros (1.25 → 1 250 000), the representation
//! both SQLite and PostgreSQL store and `SUM` exactly as 64-bit integers; and [`amount`], the
//! one way an amount of money is written out, whatever presents it (GraphQL, CSV, the plan
//! document).
//!
//! Values that are not money (KPI values and measurements, objectives' baselines and targets,
//! in any unit, CURRENCY included: a measurement of money is in the tenant's reporting
//! currency, converted by [`exchange`] when sent in another) are written without trailing
//! zeros ([`from_micros`]); ratios follow [`crate::domain::ratio`].

pub mod currency;
pub mod exchange;

use rust_decimal::Decimal;
use thiserror::Error;

/// Decimal places kept: values with more are refused rather than rounded.
pub const SCALE: u32 = 6;

const MICROS_PER_UNIT: i64 = 1_000_000;

/// Why a decimal cannot be stored.
#[derive(Debug, Error, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    /// More than six decimal places.
    #[error("use at most 6 decimal places")]
    TooPrecise,
    /// Outside ±9 223 372 036 854.775807.
    #[error("the value is too large")]
    TooLarge,
}

/// Converts a decimal to micros, refusing what would lose precision or overflow.
pub fn to_micros(value: Decimal) -> Result<i64, AmountError> {
    let value = value.normalize();
    if value.scale() > SCALE {
        return Err(AmountError::TooPrecise);
    }
    let micros = value
        .checked_mul(Decimal::from(MICROS_PER_UNIT))
        .ok_or(AmountError::TooLarge)?;
    i64::try_from(micros).map_err(|_| AmountError::TooLarge)
}

/// Converts micros back to a decimal, without trailing zeros (1 250 500 000 → 1250.5).
pub fn from_micros(micros: i64) -> Decimal {
    Decimal::new(micros, SCALE).normalize()
}

/// Converts a sum of micros, which may exceed 64 bits (three amounts of 9 trillion units do),
/// to an exact decimal without trailing zeros. A decimal holds 96 bits: any sum the store
/// computes (fewer than 2^31 rows of 64 bits each) fits; beyond ±(2^96 − 1) micros, about
/// ±7.9 × 10^22 units, the sum is refused rather than rounded.
pub fn from_wide_micros(micros: i128) -> Result<Decimal, AmountError> {
    Decimal::try_from_i128_with_scale(micros, SCALE)
        .map(|value| value.normalize())
        .map_err(|_| AmountError::TooLarge)
}

/// An amount of `currency` as it is written out: the exact decimal with at least the
/// currency's minor-unit digits (ISO 4217, [`currency::minor_units`]) and never fewer than its
/// own significant ones. In EUR, 300 is `300.00`, 1250.5 is `1250.50` and 1250.505 stays
/// `1250.505`; in JPY, 1500 is `1500`. Stored as micros, an amount keeps no trailing zeros of
/// its own, so `"1250.5000"` sent comes back `"1250.50"`: no significant digit is ever lost.
/// `TooLarge` beyond a decimal's range (a sum beyond ±(2^96 − 1) micros); every sum the store
/// computes fits.
pub fn amount(micros: i128, currency: &str) -> Result<Decimal, AmountError> {
    from_wide_micros(micros).map(|value| with_minor_units(value, currency))
}

/// [`amount`] of one stored amount, which always fits a decimal.
pub fn stored_amount(micros: i64, currency: &str) -> Decimal {
    with_minor_units(from_micros(micros), currency)
}

/// `value` (without trailing zeros) padded to the currency's minor units. A decimal of at most
/// 2^96 − 1 micros has room for 4 more decimals (the most ISO 4217 gives a currency), so the
/// padding never loses a digit.
fn with_minor_units(mut value: Decimal, currency: &str) -> Decimal {
    let minor_units = currency::minor_units(currency);
    if value.scale() < minor_units {
        value.rescale(minor_units);
    }
    value
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn decimal(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    #[test]
    fn round_trips_exactly() {
        for text in ["0", "1250.5", "0.000001", "-42.1", "9223372036854.775807"] {
            assert_eq!(
                to_micros(decimal(text)).map(from_micros),
                Ok(decimal(text)),
                "{text}"
            );
        }
        assert_eq!(to_micros(decimal("1250.50")), Ok(1_250_500_000));
    }

    #[test]
    fn refuses_what_would_lose_precision() {
        assert_eq!(
            to_micros(decimal("0.0000001")),
            Err(AmountError::TooPrecise)
        );
        assert_eq!(to_micros(decimal("1.10000000")), Ok(1_100_000));
        assert_eq!(
            to_micros(decimal("9223372036855")),
            Err(AmountError::TooLarge)
        );
    }

    #[test]
    fn sums_beyond_64_bits_stay_exact_up_to_96() {
        let three = 3 * i128::from(to_micros(decimal("9000000000000")).unwrap_or_default());
        assert_eq!(from_wide_micros(three), Ok(decimal("27000000000000")));
        let largest = (1_i128 << 96) - 1;
        assert_eq!(
            from_wide_micros(-largest),
            Ok(decimal("-79228162514264337593543.950335"))
        );
        assert_eq!(from_wide_micros(largest + 1), Err(AmountError::TooLarge));
        assert_eq!(from_wide_micros(i128::MIN), Err(AmountError::TooLarge));
    }

    /// An amount sent as `text`, stored, and written out in `currency`.
    fn written(text: &str, currency: &str) -> String {
        to_micros(decimal(text))
            .map(|micros| stored_amount(micros, currency).to_string())
            .unwrap_or_else(|error| format!("{error}"))
    }

    #[test]
    fn amounts_show_at_least_the_minor_units_and_every_significant_digit() {
        assert_eq!(written("1250.50", "EUR"), "1250.50");
        assert_eq!(written("1250.5", "EUR"), "1250.50");
        assert_eq!(written("300", "EUR"), "300.00");
        assert_eq!(written("1250.505", "EUR"), "1250.505");
        assert_eq!(written("0.000001", "USD"), "0.000001");
        assert_eq!(written("1250.5000", "EUR"), "1250.50");
        assert_eq!(written("0", "EUR"), "0.00");
        assert_eq!(written("1500", "JPY"), "1500");
        assert_eq!(written("1500.5", "JPY"), "1500.5");
        assert_eq!(written("12.5", "BHD"), "12.500");
        assert_eq!(written("12.5", "QQQ"), "12.50");
        assert_eq!(written("12.5", "XAU"), "12.5");
    }

    #[test]
    fn negative_amounts_and_sums_follow_the_same_rule() {
        assert_eq!(written("-42.1", "EUR"), "-42.10");
        assert_eq!(written("-300", "JPY"), "-300");
        let sum: i128 = ["1250.50", "300", "0.25"]
            .iter()
            .map(|text| i128::from(to_micros(decimal(text)).unwrap_or_default()))
            .sum();
        assert_eq!(
            amount(sum, "EUR").map(|a| a.to_string()),
            Ok("1550.75".into())
        );
        assert_eq!(
            amount(-sum, "JPY").map(|a| a.to_string()),
            Ok("-1550.75".into())
        );
        // Beyond 64 bits of micros, with the padding: 27 trillion euros.
        let three = 3 * i128::from(to_micros(decimal("9000000000000")).unwrap_or_default());
        assert_eq!(
            amount(three, "CLF").map(|a| a.to_string()),
            Ok("27000000000000.0000".into())
        );
        let largest = (1_i128 << 96) - 1;
        assert_eq!(
            amount(largest, "CLF").map(|a| a.to_string()),
            Ok("79228162514264337593543.950335".into())
        );
        assert_eq!(amount(largest + 1, "EUR"), Err(AmountError::TooLarge));
    }

    #[test]
    fn sums_that_floats_get_wrong_are_exact_in_micros() {
        // 0.1 + 0.2 in f64 is 0.30000000000000004; in micros it is exactly 300 000.
        let total: i64 = ["0.1", "0.2"]
            .iter()
            .map(|text| to_micros(decimal(text)).unwrap_or_default())
            .sum();
        assert_eq!(from_micros(total), decimal("0.3"));
    }
}
