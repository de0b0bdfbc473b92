//! Calendar dates written `YYYY-MM-DD`, read without chrono's format-driven parser.
//!
//! Dates arrive by the thousand (a `recordMeasurements` batch, the buckets of a day-grained
//! series), and `NaiveDate::parse_from_str(text, "%Y-%m-%d")` interprets its format string
//! for each one: more than a thousand instructions a date, where reading the ten bytes is a
//! few dozen.

use chrono::NaiveDate;

/// The date written `YYYY-MM-DD` (four-digit year, no sign, two-digit month and day), or
/// `None` for any other text or a day the calendar does not have.
pub fn parse(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |value, byte| {
            byte.is_ascii_digit()
                .then(|| value * 10 + u32::from(byte - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_chrono_reads_and_refuses_the_rest() {
        for text in [
            "2027-03-01",
            "0001-01-01",
            "9999-12-31",
            "2024-02-29",
            "0000-01-01",
        ] {
            assert_eq!(
                parse(text),
                NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
                "{text}"
            );
            assert!(parse(text).is_some(), "{text}");
        }
        for text in [
            "",
            "2027-3-01",
            "2027-03-1",
            "2027/03/01",
            "2023-02-29",
            "2027-13-01",
            "2027-00-10",
            "2027-01-32",
            "2027-01-00",
            "+2027-01-01",
            "-001-01-01",
            "2027-01-01 ",
            "２０２７-01-01",
            "20x7-01-01",
            "2027-0+-01",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
