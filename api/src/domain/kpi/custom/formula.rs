//! A derived KPI's formula, `scale × Σnumerator / Σdenominator + offset`: both components are
//! summed base KPIs other than the KPI itself, and a base KPI has no formula at all.

use entity::enums::KpiAggregation;
use rust_decimal::Decimal;

use super::key::MAX_KEY_CHARS;
use crate::domain::{FieldErrorCode, kpi::catalogue::CatalogueKpi, validation::Violations};

/// Longest scale or offset, written out (the width of their columns).
const MAX_DECIMAL_CHARS: usize = 32;

/// The formula of a definition as proposed, before checks.
#[derive(Debug, Clone, Default)]
pub(super) struct Formula {
    pub(super) numerator_key: Option<String>,
    pub(super) denominator_key: Option<String>,
    pub(super) scale: Option<Decimal>,
    pub(super) offset: Option<Decimal>,
}

/// The formula columns, checked.
#[derive(Debug, Clone)]
pub(super) struct FormulaColumns {
    pub(super) numerator_key: Option<String>,
    pub(super) denominator_key: Option<String>,
    pub(super) scale: String,
    pub(super) offset: String,
}

fn written(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Checks the formula for the aggregation. `own_keys` are the keys of the definition itself
/// (its current and new key), which may not be its own component; `found` are the definitions
/// with the component keys.
pub(super) fn check_formula(
    v: &mut Violations,
    aggregation: KpiAggregation,
    formula: Formula,
    own_keys: &[&str],
    found: &[CatalogueKpi],
) -> FormulaColumns {
    if aggregation != KpiAggregation::Ratio {
        let given = [
            ("numeratorKey", formula.numerator_key.is_some()),
            ("denominatorKey", formula.denominator_key.is_some()),
            ("scale", formula.scale.is_some()),
            ("offset", formula.offset.is_some()),
        ];
        for (path, _) in given.iter().filter(|(_, given)| *given) {
            v.add(
                &[path],
                FieldErrorCode::Invalid,
                "only a derived KPI (aggregation RATIO) has a numerator, denominator, scale \
                 or offset",
            );
        }
        return FormulaColumns {
            numerator_key: None,
            denominator_key: None,
            scale: "1".to_owned(),
            offset: "0".to_owned(),
        };
    }
    let numerator_key = check_component(v, "numeratorKey", formula.numerator_key, own_keys, found);
    let denominator_key = check_component(
        v,
        "denominatorKey",
        formula.denominator_key,
        own_keys,
        found,
    );
    let scale = formula.scale.unwrap_or(Decimal::ONE);
    if scale.is_zero() {
        v.add(&["scale"], FieldErrorCode::OutOfRange, "must not be zero");
    }
    let offset = formula.offset.unwrap_or(Decimal::ZERO);
    for (path, value) in [("scale", scale), ("offset", offset)] {
        if written(value).len() > MAX_DECIMAL_CHARS {
            v.add(
                &[path],
                FieldErrorCode::TooPrecise,
                format!("must be written in at most {MAX_DECIMAL_CHARS} characters"),
            );
        }
    }
    FormulaColumns {
        numerator_key: Some(numerator_key),
        denominator_key: Some(denominator_key),
        scale: written(scale),
        offset: written(offset),
    }
}

/// Checks one component of a ratio: present, not the KPI itself, existing, a summed base KPI.
fn check_component(
    v: &mut Violations,
    path: &str,
    key: Option<String>,
    own_keys: &[&str],
    found: &[CatalogueKpi],
) -> String {
    let key = key.map(|key| key.trim().to_owned()).unwrap_or_default();
    if key.is_empty() {
        v.add(
            &[path],
            FieldErrorCode::Required,
            "a derived KPI (aggregation RATIO) needs a numerator and a denominator",
        );
        return key;
    }
    if !v.check_text(&[path], &key, MAX_KEY_CHARS) {
        return key;
    }
    if own_keys.contains(&key.as_str()) {
        v.add(
            &[path],
            FieldErrorCode::Cycle,
            "a KPI cannot be computed from itself",
        );
        return key;
    }
    match found.iter().find(|entry| entry.definition.key == key) {
        None => v.add(
            &[path],
            FieldErrorCode::NotFound,
            format!("no KPI has the key `{key}`"),
        ),
        Some(entry) if entry.definition.aggregation != KpiAggregation::Sum => v.add(
            &[path],
            FieldErrorCode::Invalid,
            format!(
                "`{key}` is {}; a ratio is recomputed from summed base KPIs (aggregation SUM) \
                 only",
                describe(entry.definition.aggregation)
            ),
        ),
        Some(_) => {}
    }
    key
}

fn describe(aggregation: KpiAggregation) -> &'static str {
    match aggregation {
        KpiAggregation::Sum => "a summed KPI",
        KpiAggregation::Last => "a snapshot KPI (aggregation LAST)",
        KpiAggregation::NonAdditive => "a non-additive KPI (aggregation NON_ADDITIVE)",
        KpiAggregation::Ratio => "a derived KPI (aggregation RATIO)",
    }
}
