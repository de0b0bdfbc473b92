//! Field-level validation: collect every problem of an input, then refuse it as a whole.

use chrono::NaiveDate;
use entity::json_lists::StringList;
use rust_decimal::Decimal;

use super::{DomainError, money};

/// The kind of problem found in a field, for clients to branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldErrorCode {
    /// A required value is missing or empty.
    Required,
    /// Text is longer than allowed.
    TooLong,
    /// The value is malformed.
    Invalid,
    /// A number is outside its allowed range.
    OutOfRange,
    /// An end date comes before its start date.
    DateOrder,
    /// A date falls outside the plan's period.
    OutsidePlanPeriod,
    /// A referenced object does not exist for this tenant.
    NotFound,
    /// A decimal has more than six decimal places.
    TooPrecise,
    /// The value is already taken where it must be unique (a lever allocated twice in a plan).
    Duplicate,
    /// A status change that the lifecycle does not allow.
    InvalidTransition,
    /// A link that would make an object its own ancestor (a campaign its own parent).
    Cycle,
    /// The object is used elsewhere (a KPI by objectives, measurements or derived KPIs), so it
    /// cannot be deleted, nor can the part of it others rely on change.
    InUse,
    /// The object belongs to the built-in catalogue, which no one may change or delete.
    BuiltIn,
}

impl FieldErrorCode {
    /// The code as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "REQUIRED",
            Self::TooLong => "TOO_LONG",
            Self::Invalid => "INVALID",
            Self::OutOfRange => "OUT_OF_RANGE",
            Self::DateOrder => "DATE_ORDER",
            Self::OutsidePlanPeriod => "OUTSIDE_PLAN_PERIOD",
            Self::NotFound => "NOT_FOUND",
            Self::TooPrecise => "TOO_PRECISE",
            Self::Duplicate => "DUPLICATE",
            Self::InvalidTransition => "INVALID_TRANSITION",
            Self::Cycle => "CYCLE",
            Self::InUse => "IN_USE",
            Self::BuiltIn => "BUILT_IN",
        }
    }
}

/// One problem with one field of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Path to the field, starting at the mutation's argument: `["input", "personaIds", "2"]`.
    pub field: Vec<String>,
    /// What is wrong, for a person.
    pub message: String,
    /// What is wrong, for a program.
    pub code: FieldErrorCode,
}

/// The items in their first-seen order, without repeats.
pub fn unique<T: PartialEq + Copy>(items: &[T]) -> Vec<T> {
    let mut kept: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !kept.contains(item) {
            kept.push(*item);
        }
    }
    kept
}

/// Reports a unique-key violation raised by a write as a `DUPLICATE` problem with the field at
/// `path`. The domain checks uniqueness before writing; this covers two writers racing past
/// that check, which the database's unique index stops.
pub fn duplicate_as_violation<T>(
    result: crate::store::StoreResult<T>,
    path: &str,
    message: &str,
) -> Result<T, DomainError> {
    match result {
        Err(error) if error.is_unique_violation() => {
            let mut violations = Violations::new();
            violations.add(&[path], FieldErrorCode::Duplicate, message);
            Err(violations
                .finish()
                .err()
                .unwrap_or(DomainError::Store(error)))
        }
        other => Ok(other?),
    }
}

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
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(index, byte)| index == 4 || index == 7 || byte.is_ascii_digit());
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|date| is_supported_date(*date))
}

/// Collects the problems of one input.
#[derive(Debug)]
pub struct Violations {
    /// The argument the paths start at: `input` for mutations, `filter` for list filters.
    root: &'static str,
    /// The problems, in the order found.
    errors: Vec<FieldError>,
}

impl Default for Violations {
    fn default() -> Self {
        Self::for_argument("input")
    }
}

/// Longest name or title accepted.
pub const MAX_NAME_CHARS: usize = 200;

/// Longest free text accepted.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// Most items in one list of short texts (motivations, strengths, criteria…).
pub const MAX_LIST_ITEMS: usize = 50;

/// Longest item of such a list.
pub const MAX_ITEM_CHARS: usize = 500;

/// Longest text a list filter compares or searches with (a name pattern, an owner, a source,
/// a KPI key): longer texts match nothing a client can store, and a long `LIKE` pattern is
/// refused by SQLite ("pattern too complex") where PostgreSQL scans it.
pub const MAX_FILTER_CHARS: usize = 200;

/// Why a text cannot be stored, or `None` when both databases store it as given. PostgreSQL's
/// `text` and `jsonb` refuse the NUL character (U+0000), which SQLite would store: refusing it
/// everywhere keeps the two databases alike. (Every other Unicode scalar value is valid UTF-8,
/// the encoding of both, and Rust strings hold nothing else.)
pub fn unstorable(text: &str) -> Option<&'static str> {
    text.contains('\0')
        .then_some("must not contain the NUL character (U+0000)")
}

/// Checks a text a list filter or an export parameter compares or searches with, reported at
/// `path` below the argument `root` (`filter` → `filter.nameContains`): no NUL character and
/// at most [`MAX_FILTER_CHARS`] characters. Refused as [`DomainError::Invalid`], which the API
/// answers with `BAD_USER_INPUT`.
pub fn filter_text(root: &'static str, path: &[&str], value: &str) -> Result<(), DomainError> {
    let mut violations = Violations::for_argument(root);
    violations.check_text(path, value, MAX_FILTER_CHARS);
    violations.finish()
}

/// [`filter_text`] for each text of a list, reported at `path.<index>`.
pub fn filter_texts(
    root: &'static str,
    path: &[&str],
    values: &[String],
) -> Result<(), DomainError> {
    let mut violations = Violations::for_argument(root);
    for (index, value) in values.iter().enumerate() {
        let at = index.to_string();
        let item: Vec<&str> = path.iter().copied().chain([at.as_str()]).collect();
        violations.check_text(&item, value, MAX_FILTER_CHARS);
    }
    violations.finish()
}

impl Violations {
    /// No problems yet, with paths below `input` (a mutation's argument).
    pub fn new() -> Self {
        Self::default()
    }

    /// No problems yet, with paths below the argument `root` (`filter`, `input`…).
    pub fn for_argument(root: &'static str) -> Self {
        Self {
            root,
            errors: Vec::new(),
        }
    }

    /// Records a problem with the field at `path` (below the argument).
    pub fn add(&mut self, path: &[&str], code: FieldErrorCode, message: impl Into<String>) {
        let field = std::iter::once(self.root)
            .chain(path.iter().copied())
            .map(str::to_owned)
            .collect();
        self.errors.push(FieldError {
            field,
            message: message.into(),
            code,
        });
    }

    /// Records a problem with the field `field` of item `index` of the list `list` (below
    /// `input`): `["input", "touchpoints", "3", "campaignId"]`, the path of batch inputs.
    pub fn add_item(
        &mut self,
        list: &str,
        index: usize,
        field: &str,
        code: FieldErrorCode,
        message: impl Into<String>,
    ) {
        self.add(&[list, &index.to_string(), field], code, message);
    }

    /// True when a problem was recorded for this exact path.
    pub fn has(&self, path: &[&str]) -> bool {
        self.errors.iter().any(|error| {
            error
                .field
                .iter()
                .skip(1)
                .map(String::as_str)
                .eq(path.iter().copied())
        })
    }

    /// `Ok` when nothing was recorded, else the whole list as [`DomainError::Invalid`].
    pub fn finish(self) -> Result<(), DomainError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self.errors))
        }
    }

    /// Checks the characters of a text at `path`: `INVALID` when a database cannot store it
    /// (see [`unstorable`]), else `TOO_LONG` beyond `max` characters (Unicode scalar values,
    /// as PostgreSQL's `varchar(n)` counts them). True when the text passes. Every text the
    /// domain stores or looks up goes through here, so that both databases see the same texts.
    pub fn check_text(&mut self, path: &[&str], text: &str, max: usize) -> bool {
        if let Some(problem) = unstorable(text) {
            self.add(path, FieldErrorCode::Invalid, problem);
            false
        } else if text.chars().count() > max {
            self.add(
                path,
                FieldErrorCode::TooLong,
                format!("must be at most {max} characters"),
            );
            false
        } else {
            true
        }
    }

    /// Checks a required text at `path`: trimmed, non-empty, at most `max` characters, storable.
    /// Returns it trimmed.
    pub fn required_text(&mut self, path: &[&str], value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.add(path, FieldErrorCode::Required, "must not be empty");
        } else {
            self.check_text(path, trimmed, max);
        }
        trimmed.to_owned()
    }

    /// Checks a required name: trimmed, non-empty, at most 200 characters. Returns it trimmed.
    pub fn name(&mut self, path: &str, value: &str) -> String {
        self.required_text(&[path], value, MAX_NAME_CHARS)
    }

    /// Checks optional free text of at most 10 000 characters; an empty text becomes `None`.
    pub fn text(&mut self, path: &str, value: Option<&str>) -> Option<String> {
        self.short_text(path, value, MAX_TEXT_CHARS)
    }

    /// Checks an optional text of at most `max` characters (an owner, a call to action, a
    /// column of `varchar(max)`): trimmed, storable; an empty text becomes `None`.
    pub fn short_text(&mut self, path: &str, value: Option<&str>, max: usize) -> Option<String> {
        let trimmed = value.map(str::trim).filter(|text| !text.is_empty())?;
        self.check_text(&[path], trimmed, max);
        Some(trimmed.to_owned())
    }

    /// Checks a list of short texts: at most 50 items, each non-empty and at most 500
    /// characters. Returns the items trimmed.
    pub fn items(&mut self, path: &str, items: &[String]) -> StringList {
        if items.len() > MAX_LIST_ITEMS {
            self.add(
                &[path],
                FieldErrorCode::TooLong,
                format!("at most {MAX_LIST_ITEMS} items"),
            );
        }
        let mut kept = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let item = item.trim();
            if item.is_empty() {
                self.add(
                    &[path, &index.to_string()],
                    FieldErrorCode::Required,
                    "must not be empty",
                );
            } else {
                self.check_text(&[path, &index.to_string()], item, MAX_ITEM_CHARS);
            }
            kept.push(item.to_owned());
        }
        StringList(kept)
    }

    /// Checks that `end` is not before `start`.
    pub fn date_order(&mut self, end_path: &str, start: NaiveDate, end: NaiveDate) {
        if end < start {
            self.add(
                &[end_path],
                FieldErrorCode::DateOrder,
                format!("must not be before the start date {start}"),
            );
        }
    }

    /// Checks that `date` lies within `[start, end]`, the plan's period.
    pub fn within_period(&mut self, path: &str, date: NaiveDate, start: NaiveDate, end: NaiveDate) {
        if date < start || date > end {
            self.add(
                &[path],
                FieldErrorCode::OutsidePlanPeriod,
                format!("must be within the plan's period, {start} to {end}"),
            );
        }
    }

    /// Converts an amount of money, which must not be negative, to micros.
    pub fn money(&mut self, path: &str, value: Decimal) -> i64 {
        if value.is_sign_negative() && !value.is_zero() {
            self.add(&[path], FieldErrorCode::OutOfRange, "must not be negative");
            return 0;
        }
        self.amount(path, value)
    }

    /// Converts a measured or target value (any sign) to micros.
    pub fn amount(&mut self, path: &str, value: Decimal) -> i64 {
        self.amount_at(&[path], value)
    }

    /// Converts a value (any sign) to micros, reporting problems at the field `path` (below
    /// `input`, such as `["conversions", "3", "value"]`).
    pub fn amount_at(&mut self, path: &[&str], value: Decimal) -> i64 {
        match money::to_micros(value) {
            Ok(micros) => micros,
            Err(money::AmountError::TooPrecise) => {
                self.add(
                    path,
                    FieldErrorCode::TooPrecise,
                    "use at most 6 decimal places",
                );
                0
            }
            Err(money::AmountError::TooLarge) => {
                self.add(path, FieldErrorCode::OutOfRange, "the value is too large");
                0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_have_four_digit_years() {
        assert_eq!(
            parse_date("2027-03-01"),
            NaiveDate::from_ymd_opt(2027, 3, 1)
        );
        assert_eq!(parse_date("0001-01-01"), Some(FIRST_DATE));
        assert_eq!(parse_date("9999-12-31"), Some(LAST_DATE));
        for text in [
            "0000-12-31",
            "10000-01-01",
            "+2027-03-01",
            "-0001-01-01",
            "2027-3-1",
            "2027-02-30",
            " 2027-03-01",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn texts_with_a_nul_are_invalid_before_too_long() {
        let mut violations = Violations::new();
        assert!(violations.check_text(&["name"], "Ada", 3));
        assert!(!violations.check_text(&["name"], "A\0", 200));
        assert!(!violations.check_text(&["owner"], "Adaa", 3));
        // Characters, not bytes: PostgreSQL's varchar(n) counts them so.
        assert!(violations.check_text(&["gender"], "ééé", 3));
        match violations.finish() {
            Err(DomainError::Invalid(errors)) => {
                let codes: Vec<_> = errors.iter().map(|e| (e.field.join("."), e.code)).collect();
                assert_eq!(
                    codes,
                    vec![
                        ("input.name".to_owned(), FieldErrorCode::Invalid),
                        ("input.owner".to_owned(), FieldErrorCode::TooLong),
                    ]
                );
            }
            other => panic!("expected invalid input, got {other:?}"),
        }
        assert!(filter_text("filter", &["nameContains"], &"x".repeat(201)).is_err());
        assert!(filter_text("filter", &["nameContains"], &"x".repeat(200)).is_ok());
    }

    #[test]
    fn collects_every_problem_with_its_path() {
        let mut violations = Violations::new();
        assert_eq!(violations.name("name", "  "), "");
        violations.money("budget", Decimal::new(-1, 0));
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let end = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or_default();
        violations.date_order("periodEnd", start, end);
        assert!(violations.has(&["name"]));
        match violations.finish() {
            Err(DomainError::Invalid(errors)) => {
                let codes: Vec<_> = errors.iter().map(|e| (e.field.join("."), e.code)).collect();
                assert_eq!(
                    codes,
                    vec![
                        ("input.name".to_owned(), FieldErrorCode::Required),
                        ("input.budget".to_owned(), FieldErrorCode::OutOfRange),
                        ("input.periodEnd".to_owned(), FieldErrorCode::DateOrder),
                    ]
                );
            }
            other => panic!("expected invalid input, got {other:?}"),
        }
    }
}
