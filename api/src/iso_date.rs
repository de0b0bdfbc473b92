//! Calendar dates written `YYYY-MM-DD`, read and written without chrono's formatting machinery.
//!
//! Dates come and go by the thousand (a `recordMeasurements` batch and its notifications, the
//! points of a day-grained series), and chrono costs about a thousand instructions a date either
//! way (`parse_from_str` interprets its format string for each one; `Display` writes through
//! `fmt::Formatter` piece by piece), where the ten bytes take a few dozen.

use chrono::{Datelike, NaiveDate};

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

/// `date` written `YYYY-MM-DD`, as chrono's `Display` writes it for the years 0 to 9999 (the
/// API accepts 1 to 9999); a year outside them is left to chrono (`+10000-01-01`).
pub fn format(date: NaiveDate) -> String {
    let (year, month, day) = (date.year(), date.month(), date.day());
    let Ok(year) = u32::try_from(year) else {
        return date.to_string();
    };
    if year > 9999 {
        return date.to_string();
    }
    let digit = |value: u32| char::from(b'0' + (value % 10) as u8);
    let mut text = String::with_capacity(10);
    for value in [year / 1000, year / 100, year / 10, year] {
        text.push(digit(value));
    }
    text.push('-');
    text.push(digit(month / 10));
    text.push(digit(month));
    text.push('-');
    text.push(digit(day / 10));
    text.push(digit(day));
    text
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

    #[test]
    fn writes_what_chrono_writes() {
        let mut date = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap_or_default();
        for _ in 0..800 {
            assert_eq!(format(date), date.to_string());
            date = date + chrono::Days::new(1);
        }
        for (year, month, day) in [
            (0, 1, 1),
            (1, 1, 1),
            (9, 9, 9),
            (99, 10, 31),
            (9999, 12, 31),
        ] {
            let date = NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default();
            assert_eq!(format(date), date.to_string());
            assert_eq!(parse(&format(date)), Some(date));
        }
        for (year, month, day) in [(10000, 1, 1), (-1, 12, 31)] {
            let date = NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default();
            assert_eq!(format(date), date.to_string());
        }
    }
}
