//! How many decimals an amount of a currency shows at least: its minor units (ISO 4217), read
//! from the `iso_currency` crate's copy of the ISO table rather than a table of our own.

/// Minor units of a code the ISO table does not list. Plans accept any three capital letters
/// (a currency newer than the table this build carries, a private unit such as loyalty
/// points), so an unknown code is no error: it shows two decimals, the most common minor unit.
pub const UNKNOWN_MINOR_UNITS: u32 = 2;

/// The minor units of `code`: EUR and USD 2, JPY 0, BHD 3, CLF 4;
/// [`UNKNOWN_MINOR_UNITS`] for a code the table does not list. Codes the table lists without
/// minor units ("N.A." in ISO 4217: gold XAU, the testing code XTS, XXX for no currency) get
/// 0: no decimal is added, an amount of them shows its own significant digits only.
pub fn minor_units(code: &str) -> u32 {
    match iso_currency::Currency::from_code(code) {
        Some(currency) => currency.exponent().map_or(0, u32::from),
        None => UNKNOWN_MINOR_UNITS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_come_from_iso_4217() {
        assert_eq!(minor_units("EUR"), 2);
        assert_eq!(minor_units("USD"), 2);
        assert_eq!(minor_units("JPY"), 0);
        assert_eq!(minor_units("KRW"), 0);
        assert_eq!(minor_units("BHD"), 3);
        assert_eq!(minor_units("CLF"), 4);
    }

    #[test]
    fn codes_without_minor_units_add_none_and_unknown_codes_get_two() {
        assert_eq!(minor_units("XAU"), 0);
        assert_eq!(minor_units("XXX"), 0);
        assert_eq!(minor_units("QQQ"), UNKNOWN_MINOR_UNITS);
    }
}
