//! Unit tests of the key format and of a ratio's formula checks.

use entity::enums::{KpiAggregation, KpiDirection, KpiUnit};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{
    formula::{Formula, check_formula},
    is_valid_key,
};
use crate::domain::{DomainError, kpi::catalogue::CatalogueKpi, validation::Violations};

#[test]
fn keys_are_lowercase_identifiers_of_at_most_64_characters() {
    for good in ["a", "ctr_b2b", "x9", &format!("a{}", "b".repeat(63))] {
        assert!(is_valid_key(good), "{good}");
    }
    for bad in [
        "",
        "9a",
        "_a",
        "Ctr",
        "ctr-b2b",
        "ctr b2b",
        "été",
        &format!("a{}", "b".repeat(64)),
    ] {
        assert!(!is_valid_key(bad), "{bad}");
    }
}

fn sum_kpi(key: &str) -> CatalogueKpi {
    CatalogueKpi {
        definition: entity::kpi_definition::Model {
            id: Uuid::nil(),
            key: key.to_owned(),
            name: key.to_owned(),
            description: String::new(),
            unit: KpiUnit::Count,
            direction: KpiDirection::HigherIsBetter,
            aggregation: KpiAggregation::Sum,
            numerator_key: None,
            denominator_key: None,
            scale: "1".to_owned(),
            offset: "0".to_owned(),
        },
        origin: crate::store::kpi::catalogue::KpiOrigin::BuiltIn,
    }
}

fn codes(v: Violations) -> Vec<(String, &'static str)> {
    match v.finish() {
        Ok(()) => Vec::new(),
        Err(DomainError::Invalid(errors)) => errors
            .into_iter()
            .map(|e| (e.field.join("."), e.code.as_str()))
            .collect(),
        Err(other) => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_ratio_defaults_to_scale_one_and_offset_zero_written_normalised() {
    let mut v = Violations::new();
    let found = [sum_kpi("clicks"), sum_kpi("impressions")];
    let columns = check_formula(
        &mut v,
        KpiAggregation::Ratio,
        Formula {
            numerator_key: Some("clicks".into()),
            denominator_key: Some("impressions".into()),
            scale: None,
            offset: Some(Decimal::new(-1500, 3)),
        },
        &["mine"],
        &found,
    );
    assert_eq!(codes(v), Vec::new());
    assert_eq!(columns.scale, "1");
    assert_eq!(columns.offset, "-1.5");
}

#[test]
fn a_ratio_of_itself_is_a_cycle_and_zero_scale_is_refused() {
    let mut v = Violations::new();
    check_formula(
        &mut v,
        KpiAggregation::Ratio,
        Formula {
            numerator_key: Some("mine".into()),
            denominator_key: None,
            scale: Some(Decimal::ZERO),
            offset: None,
        },
        &["mine"],
        &[],
    );
    assert_eq!(
        codes(v),
        vec![
            ("input.numeratorKey".to_owned(), "CYCLE"),
            ("input.denominatorKey".to_owned(), "REQUIRED"),
            ("input.scale".to_owned(), "OUT_OF_RANGE"),
        ]
    );
}
