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

/// Collects the problems of one input.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldError>);

/// Longest name or title accepted.
pub const MAX_NAME_CHARS: usize = 200;

/// Longest free text accepted.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// Most items in one list of short texts (motivations, strengths, criteria…).
pub const MAX_LIST_ITEMS: usize = 50;

/// Longest item of such a list.
pub const MAX_ITEM_CHARS: usize = 500;

impl Violations {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem with the field at `path` (below `input`).
    pub fn add(&mut self, path: &[&str], code: FieldErrorCode, message: impl Into<String>) {
        let field = std::iter::once("input")
            .chain(path.iter().copied())
            .map(str::to_owned)
            .collect();
        self.0.push(FieldError {
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
        self.0.iter().any(|error| {
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
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self.0))
        }
    }

    /// Checks a required name: trimmed, non-empty, at most 200 characters. Returns it trimmed.
    pub fn name(&mut self, path: &str, value: &str) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.add(&[path], FieldErrorCode::Required, "must not be empty");
        } else if trimmed.chars().count() > MAX_NAME_CHARS {
            self.add(
                &[path],
                FieldErrorCode::TooLong,
                format!("must be at most {MAX_NAME_CHARS} characters"),
            );
        }
        trimmed.to_owned()
    }

    /// Checks optional free text; an empty text becomes `None`.
    pub fn text(&mut self, path: &str, value: Option<&str>) -> Option<String> {
        let trimmed = value.map(str::trim).filter(|text| !text.is_empty())?;
        if trimmed.chars().count() > MAX_TEXT_CHARS {
            self.add(
                &[path],
                FieldErrorCode::TooLong,
                format!("must be at most {MAX_TEXT_CHARS} characters"),
            );
        }
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
            } else if item.chars().count() > MAX_ITEM_CHARS {
                self.add(
                    &[path, &index.to_string()],
                    FieldErrorCode::TooLong,
                    format!("at most {MAX_ITEM_CHARS} characters"),
                );
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
