//! External references: the identity an outside system gives a row it syncs into Levier
//! (plans, personas, objectives, campaigns, actions, content items, lever allocations).
//!
//! A reference is a `source` (which system: `hubspot`, `sheet.q3`) and an `id` in that system,
//! unique per tenant and table. This module checks them, finds rows by them, and holds the
//! upsert shared by the seven tables ([`upsert`]): find by reference, then create, update, or
//! leave the row alone when nothing would change.

pub mod upsert;

use entity::ExternallyReferenced;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::domain::{DomainResult, FieldErrorCode, validation::Violations};
use crate::store::{self, Scoped};

pub use upsert::{Parent, UpsertOutcome};

/// Longest source: a short name of a system.
pub const MAX_SOURCE_CHARS: usize = 64;
/// Longest id in the source system.
pub const MAX_ID_CHARS: usize = 255;

/// The message of a `DUPLICATE` external reference.
pub const DUPLICATE_MESSAGE: &str = "another object of this kind has this external reference";

/// A checked external reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExternalRef {
    /// The system: 1 to 64 ASCII letters, digits, `.`, `_` or `-`.
    pub source: String,
    /// The id in that system: 1 to 255 characters, no control character, no leading or
    /// trailing white space. Compared exactly (case-sensitive).
    pub id: String,
}

impl ExternalRef {
    /// The reference a row carries, if any.
    pub fn of<E: ExternallyReferenced>(model: &E::Model) -> Option<Self> {
        E::external_ref(model).map(|(source, id)| Self {
            source: source.to_owned(),
            id: id.to_owned(),
        })
    }

    /// The two columns' values for an optional reference.
    pub fn columns(reference: Option<&Self>) -> (Option<String>, Option<String>) {
        match reference {
            Some(reference) => (Some(reference.source.clone()), Some(reference.id.clone())),
            None => (None, None),
        }
    }
}

/// A reference as a client sends it, not checked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawExternalRef {
    /// The system.
    pub source: String,
    /// The id in that system.
    pub id: String,
}

/// Whether a source is well-formed (see [`ExternalRef::source`]).
pub fn is_valid_source(source: &str) -> bool {
    !source.is_empty()
        && source.len() <= MAX_SOURCE_CHARS
        && source
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'))
}

/// Checks a reference at `path` (`externalRef`), problems at `path.source` and `path.id`;
/// `None` when it is malformed.
pub fn check(violations: &mut Violations, path: &str, raw: &RawExternalRef) -> Option<ExternalRef> {
    let mut valid = false;
    if raw.source.is_empty() {
        violations.add(
            &[path, "source"],
            FieldErrorCode::Required,
            "must not be empty",
        );
    } else if raw.source.chars().count() > MAX_SOURCE_CHARS {
        violations.add(
            &[path, "source"],
            FieldErrorCode::TooLong,
            format!("must be at most {MAX_SOURCE_CHARS} characters"),
        );
    } else if !is_valid_source(&raw.source) {
        violations.add(
            &[path, "source"],
            FieldErrorCode::Invalid,
            "must be ASCII letters, digits, '.', '_' or '-'",
        );
    } else {
        valid = true;
    }
    if raw.id.is_empty() {
        violations.add(&[path, "id"], FieldErrorCode::Required, "must not be empty");
    } else if raw.id.chars().count() > MAX_ID_CHARS {
        violations.add(
            &[path, "id"],
            FieldErrorCode::TooLong,
            format!("must be at most {MAX_ID_CHARS} characters"),
        );
    } else if raw.id.chars().any(char::is_control) {
        violations.add(
            &[path, "id"],
            FieldErrorCode::Invalid,
            "must not contain control characters",
        );
    } else if raw.id.trim() != raw.id {
        violations.add(
            &[path, "id"],
            FieldErrorCode::Invalid,
            "must not start or end with white space",
        );
    } else {
        return valid.then(|| ExternalRef {
            source: raw.source.clone(),
            id: raw.id.clone(),
        });
    }
    None
}

/// Checks an optional reference of a create (`externalRef`): well-formed and not already the
/// reference of another row of `E` in the tenant than `own_id` (`DUPLICATE`). Returns it
/// checked (`None` when absent or malformed: the violations then stop the write).
pub async fn check_new<E, C>(
    scope: &Scoped<C>,
    violations: &mut Violations,
    raw: Option<&RawExternalRef>,
    own_id: Option<Uuid>,
) -> DomainResult<Option<ExternalRef>>
where
    E: ExternallyReferenced,
    C: ConnectionTrait,
{
    let Some(raw) = raw else {
        return Ok(None);
    };
    let Some(reference) = check(violations, "externalRef", raw) else {
        return Ok(None);
    };
    if let Some(found) = find::<E, C>(scope, &reference).await?
        && Some(identity::<E>(&found)) != own_id
    {
        violations.add(
            &["externalRef"],
            FieldErrorCode::Duplicate,
            DUPLICATE_MESSAGE,
        );
    }
    Ok(Some(reference))
}

/// Writes a reference change checked by [`check_change`] into the update's `row`: the
/// reference, or nulls to remove it; nothing when the update leaves the reference alone.
pub fn set_change<E, A>(row: &mut A, change: Option<Option<ExternalRef>>)
where
    E: ExternallyReferenced,
    A: sea_orm::ActiveModelTrait<Entity = E>,
{
    if let Some(reference) = change {
        let (source, id) = ExternalRef::columns(reference.as_ref());
        row.set(E::external_source_column(), source.into());
        row.set(E::external_id_column(), id.into());
    }
}

/// The checked change of an update's `externalRef`: `None` leaves it, `Some(None)` clears it,
/// `Some(Some(_))` sets it (checked like a create's, the row itself excepted).
pub async fn check_change<E, C>(
    scope: &Scoped<C>,
    violations: &mut Violations,
    change: Option<Option<&RawExternalRef>>,
    own_id: Uuid,
) -> DomainResult<Option<Option<ExternalRef>>>
where
    E: ExternallyReferenced,
    C: ConnectionTrait,
{
    match change {
        None => Ok(None),
        Some(None) => Ok(Some(None)),
        Some(Some(raw)) => Ok(Some(
            check_new::<E, C>(scope, violations, Some(raw), Some(own_id)).await?,
        )),
    }
}

/// Checks a list filter's reference (`filter.externalRef`): texts a database can compare (no
/// NUL, not longer than a stored reference), else BAD_USER_INPUT. A well-formed reference
/// that no row has simply matches nothing.
pub fn check_filter(reference: Option<&(String, String)>) -> DomainResult<()> {
    let Some((source, id)) = reference else {
        return Ok(());
    };
    let mut violations = Violations::for_argument("filter");
    violations.check_text(&["externalRef", "source"], source, MAX_SOURCE_CHARS);
    violations.check_text(&["externalRef", "id"], id, MAX_ID_CHARS);
    violations.finish()
}

/// The row of `E` with this reference, if the scope sees one.
pub async fn find<E, C>(
    scope: &Scoped<C>,
    reference: &ExternalRef,
) -> DomainResult<Option<E::Model>>
where
    E: ExternallyReferenced,
    C: ConnectionTrait,
{
    Ok(store::external_ref::find::<E, C>(scope, &reference.source, &reference.id).await?)
}

/// A row's id, read through the entity's `id` column.
pub fn identity<E: ExternallyReferenced>(model: &E::Model) -> Uuid {
    use sea_orm::{ModelTrait, Value};
    match model.get(E::id_column()) {
        Value::Uuid(Some(id)) => id,
        _ => Uuid::nil(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(source: &str, id: &str) -> RawExternalRef {
        RawExternalRef {
            source: source.to_owned(),
            id: id.to_owned(),
        }
    }

    fn codes(reference: &RawExternalRef) -> Vec<(String, &'static str)> {
        let mut violations = Violations::new();
        check(&mut violations, "externalRef", reference);
        match violations.finish() {
            Ok(()) => Vec::new(),
            Err(crate::domain::DomainError::Invalid(errors)) => errors
                .into_iter()
                .map(|error| (error.field[1..].join("."), error.code.as_str()))
                .collect(),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn well_formed_references_pass() {
        assert!(codes(&raw("hubspot", "123")).is_empty());
        assert!(codes(&raw("sheet.q3_v-2", "Deal #42 / é")).is_empty());
        assert!(codes(&raw(&"s".repeat(64), &"é".repeat(255))).is_empty());
    }

    #[test]
    fn malformed_references_are_refused_field_by_field() {
        assert_eq!(
            codes(&raw("", "")),
            vec![
                ("externalRef.source".to_owned(), "REQUIRED"),
                ("externalRef.id".to_owned(), "REQUIRED")
            ]
        );
        assert_eq!(
            codes(&raw("hub spot", "x")),
            vec![("externalRef.source".to_owned(), "INVALID")]
        );
        assert_eq!(
            codes(&raw(&"s".repeat(65), &"i".repeat(256))),
            vec![
                ("externalRef.source".to_owned(), "TOO_LONG"),
                ("externalRef.id".to_owned(), "TOO_LONG")
            ]
        );
        assert_eq!(
            codes(&raw("crm", "a\u{0}b")),
            vec![("externalRef.id".to_owned(), "INVALID")]
        );
        assert_eq!(
            codes(&raw("crm", " 42")),
            vec![("externalRef.id".to_owned(), "INVALID")]
        );
    }
}
