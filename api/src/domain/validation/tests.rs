//! Unit tests of the field checks and date bounds.

use chrono::NaiveDate;
use rust_decimal::Decimal;

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
