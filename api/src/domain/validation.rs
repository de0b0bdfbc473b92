//! Field-level validation: collect every problem of an input, then refuse it as a whole.

mod dates;
mod violations;

use super::DomainError;

pub use dates::{FIRST_DATE, LAST_DATE, is_supported_date, parse_date};
pub use violations::Violations;

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
    /// A decimal has more decimal places than allowed: six for amounts and measured values,
    /// twelve for exchange rates.
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
    /// The plan is approved and the tenant refuses changes to the budgets of approved plans;
    /// re-open its review first.
    PlanApproved,
    /// No exchange rate converts an amount's currency into the tenant's on its date (nor in
    /// the days before that the rule allows).
    RateMissing,
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
            Self::PlanApproved => "PLAN_APPROVED",
            Self::RateMissing => "RATE_MISSING",
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
            // The table's other unique index is its external reference's, whatever key the
            // caller guards.
            if error.is_external_ref_violation() {
                violations.add(
                    &["externalRef"],
                    FieldErrorCode::Duplicate,
                    crate::domain::external_ref::DUPLICATE_MESSAGE,
                );
            } else {
                violations.add(&[path], FieldErrorCode::Duplicate, message);
            }
            Err(violations
                .finish()
                .err()
                .unwrap_or(DomainError::Store(error)))
        }
        other => Ok(other?),
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

#[cfg(test)]
mod tests;
