//! A tenant KPI's key: its format, and that no other definition the tenant sees has it.

use uuid::Uuid;

use crate::domain::{FieldErrorCode, kpi::catalogue::CatalogueKpi, validation::Violations};

/// Longest key accepted.
pub const MAX_KEY_CHARS: usize = 64;

/// True when `key` matches `^[a-z][a-z0-9_]{0,63}$`.
pub fn is_valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some('a'..='z'))
        && key.len() <= MAX_KEY_CHARS
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

/// Checks the key's format and that no other definition the tenant sees has it (`own_id` is
/// the definition being changed, if any). `found` are the definitions with that key.
pub(super) fn check_key(
    v: &mut Violations,
    key: &str,
    own_id: Option<Uuid>,
    found: &[CatalogueKpi],
) {
    if key.is_empty() {
        v.add(&["key"], FieldErrorCode::Required, "must not be empty");
        return;
    }
    if !is_valid_key(key) {
        v.add(
            &["key"],
            FieldErrorCode::Invalid,
            format!(
                "must be 1 to {MAX_KEY_CHARS} characters: a lowercase letter, then lowercase \
                 letters, digits or underscores"
            ),
        );
        return;
    }
    for entry in found.iter().filter(|entry| entry.definition.key == key) {
        if entry.is_built_in() {
            v.add(
                &["key"],
                FieldErrorCode::Duplicate,
                format!("`{key}` is the key of a built-in KPI"),
            );
        } else if Some(entry.definition.id) != own_id {
            v.add(
                &["key"],
                FieldErrorCode::Duplicate,
                format!("another KPI of this tenant has the key `{key}`"),
            );
        }
    }
}
