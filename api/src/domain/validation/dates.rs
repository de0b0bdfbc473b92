//! The dates the API accepts: four-digit years, from [`FIRST_DATE`] to [`LAST_DATE`].

use chrono::NaiveDate;

/// The first date the API accepts: the first day of year 1.
pub const FIRST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// The last date the API accepts: the last day of year 9999. Dates have four-digit years (ISO
/// 8601 without expansion), which both databases store, compare and compute with alike; a
/// year beyond would be written `+10000` and sort wrongly as SQLite's text.
pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(day) => day,
    None => NaiveDate::MAX,
};

/// True for a date between [`FIRST_DATE`] and [`LAST_DATE`].
pub fn is_supported_date(date: NaiveDate) -> bool {
    (FIRST_DATE..=LAST_DATE).contains(&date)
}

/// Parses a date written `YYYY-MM-DD` with a four-digit year between [`FIRST_DATE`] and
/// [`LAST_DATE`] (no sign, no expanded year), or `None`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    crate::iso_date::parse(text).filter(|date| is_supported_date(*date))
}
