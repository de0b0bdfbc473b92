//! Opaque cursors: a row's id (lists in id order) or its sort value and id (keyset lists), in
//! URL-safe base64, checked on the way back in before any of it reaches the database.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::{
    domain::validation::{is_supported_date, parse_date},
    error::ApiError,
    store::page::{KeysetPosition, SortKind, SortValue},
};

/// The opaque cursor of a row.
pub fn encode_cursor(id: Uuid) -> String {
    crate::ids::prefixed_base64("cursor", id)
}

pub(super) fn decode_cursor(cursor: &str) -> Result<Uuid, ApiError> {
    let invalid = || ApiError::bad_input(format!("`{cursor}` is not a cursor of this list"));
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let uuid = text.strip_prefix("cursor:").ok_or_else(invalid)?;
    Uuid::parse_str(uuid).map_err(|_| invalid())
}

/// The opaque cursor of a row in a list sorted as `ordering` (a name such as
/// `action:DUE_DATE:ASC`): the ordering, the row's sort value and its id.
pub fn encode_keyset_cursor(ordering: &str, position: &KeysetPosition) -> String {
    let value = match &position.value {
        SortValue::Integer(value) => format!("i={value}"),
        SortValue::Date(value) => format!("d={}", value.format("%Y-%m-%d")),
        SortValue::Instant(value) => format!(
            "t={}",
            value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        ),
    };
    URL_SAFE_NO_PAD.encode(format!(
        "keyset:{ordering}:{value}:{}",
        position.id.simple()
    ))
}

/// The position inside a cursor of a list sorted as `ordering` by a column of type `kind`; a
/// cursor of any other list or ordering, or carrying a value of another type (a date where the
/// list is sorted by an integer) or outside the dates the API accepts, is refused with
/// `BAD_USER_INPUT` before it reaches the database.
pub(super) fn decode_keyset_cursor(
    cursor: &str,
    ordering: &str,
    kind: SortKind,
) -> Result<KeysetPosition, ApiError> {
    let invalid = || {
        ApiError::bad_input(format!(
            "`{cursor}` is not a cursor of this list in this order"
        ))
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let rest = text
        .strip_prefix("keyset:")
        .and_then(|rest| rest.strip_prefix(ordering))
        .and_then(|rest| rest.strip_prefix(':'))
        .ok_or_else(invalid)?;
    let (value, id) = rest.rsplit_once(':').ok_or_else(invalid)?;
    let id = Uuid::parse_str(id).map_err(|_| invalid())?;
    let value = match value.split_once('=').ok_or_else(invalid)? {
        ("i", number) => SortValue::Integer(number.parse().map_err(|_| invalid())?),
        ("d", date) => SortValue::Date(parse_date(date).ok_or_else(invalid)?),
        ("t", instant) => {
            let instant = chrono::DateTime::parse_from_rfc3339(instant)
                .map_err(|_| invalid())?
                .with_timezone(&chrono::Utc);
            if !is_supported_date(instant.date_naive()) {
                return Err(invalid());
            }
            SortValue::Instant(instant)
        }
        _ => return Err(invalid()),
    };
    if value.kind() != kind {
        return Err(invalid());
    }
    Ok(KeysetPosition { value, id })
}
