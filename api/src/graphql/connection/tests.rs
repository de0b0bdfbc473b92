//! Unit tests of the page arguments and cursors.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use super::{cursor::decode_keyset_cursor, *};
use crate::store::page::{KeysetPosition, SortKind, SortValue};

#[test]
fn defaults_caps_and_refusals() {
    let request = PageArgs::default().into_request().ok();
    assert_eq!(
        request.map(|r| (r.limit, r.from_end)),
        Some((DEFAULT_PAGE_SIZE, false))
    );
    let capped = PageArgs {
        first: Some(1000),
        ..Default::default()
    }
    .into_request()
    .ok();
    assert_eq!(capped.map(|r| r.limit), Some(MAX_PAGE_SIZE));
    assert!(
        PageArgs {
            first: Some(-1),
            ..Default::default()
        }
        .into_request()
        .is_err()
    );
    assert!(
        PageArgs {
            first: Some(1),
            last: Some(1),
            ..Default::default()
        }
        .into_request()
        .is_err()
    );
    assert!(
        PageArgs {
            after: Some("nope".into()),
            ..Default::default()
        }
        .into_request()
        .is_err()
    );
}

#[test]
fn keyset_cursors_round_trip_and_belong_to_one_ordering() {
    let position = KeysetPosition {
        value: SortValue::Instant(chrono::Utc::now()),
        id: Uuid::now_v7(),
    };
    let cursor = encode_keyset_cursor("action:CREATED_AT:ASC", &position);
    let instant = SortKind::Instant;
    assert_eq!(
        decode_keyset_cursor(&cursor, "action:CREATED_AT:ASC", instant).ok(),
        Some(position.clone())
    );
    assert!(decode_keyset_cursor(&cursor, "action:CREATED_AT:DESC", instant).is_err());
    assert!(decode_keyset_cursor(&cursor, "action:DUE_DATE:ASC", SortKind::Date).is_err());
    assert!(
        decode_keyset_cursor(
            &encode_cursor(position.id),
            "action:DUE_DATE:ASC",
            SortKind::Date
        )
        .is_err()
    );
}

#[test]
fn keyset_cursors_carry_a_value_of_their_column_type() {
    let id = Uuid::now_v7();
    let cursor = |value: &str| {
        URL_SAFE_NO_PAD.encode(format!(
            "keyset:action:DUE_DATE:ASC:{value}:{}",
            id.simple()
        ))
    };
    let decode =
        |value: &str| decode_keyset_cursor(&cursor(value), "action:DUE_DATE:ASC", SortKind::Date);
    assert!(decode("d=2027-03-01").is_ok());
    assert!(decode("i=1").is_err());
    assert!(decode("t=2027-03-01T00:00:00Z").is_err());
    assert!(decode("d=+200000-01-01").is_err());
    assert!(decode("d=-0001-01-01").is_err());
    assert!(decode("d=10000-01-01").is_err());
}

#[test]
fn cursors_round_trip() {
    let id = Uuid::now_v7();
    let request = PageArgs {
        after: Some(encode_cursor(id)),
        last: Some(5),
        ..Default::default()
    }
    .into_request()
    .ok();
    assert_eq!(
        request.map(|r| (r.after, r.limit, r.from_end)),
        Some((Some(id), 5, true))
    );
}
