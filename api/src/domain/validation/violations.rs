//! [`Violations`]: the problems of one input, collected field by field and refused as a whole.

use chrono::NaiveDate;
use entity::json_lists::StringList;
use rust_decimal::Decimal;

use super::{
    FieldError, FieldErrorCode, MAX_ITEM_CHARS, MAX_LIST_ITEMS, MAX_NAME_CHARS, MAX_TEXT_CHARS,
    unstorable,
};
use crate::domain::{DomainError, money};

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
        self.money_at(&[path], value)
    }

    /// [`Self::money`] with the problems reported at the field `path` (below `input`, such as
    /// `["budgets", "2", "budget"]`).
    pub fn money_at(&mut self, path: &[&str], value: Decimal) -> i64 {
        if value.is_sign_negative() && !value.is_zero() {
            self.add(path, FieldErrorCode::OutOfRange, "must not be negative");
            return 0;
        }
        self.amount_at(path, value)
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
