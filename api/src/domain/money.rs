//! Exact decimal amounts stored as fixed-point micros (1.25 → 1 250 000), the representation
//! both SQLite and PostgreSQL store and `SUM` exactly as 64-bit integers.

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
