//! Tenant-defined KPIs: a tenant adds base KPIs (summed, snapshot or non-additive) and derived
//! ratios to the built-in catalogue, changes and deletes them.
//!
//! The rules:
//! - a key matches `^[a-z][a-z0-9_]{0,63}$`, is not a built-in key and is unique within the
//!   tenant (another tenant may use the same key);
//! - a derived KPI (`RATIO`) is `scale × Σnumerator / Σdenominator + offset`, and both of its
//!   components must be *summed base KPIs* (aggregation `SUM`), built-in or the tenant's own.
//!   That single rule also rules out cycles: a component is never a ratio, so the graph of
//!   "is computed from" has depth one and no KPI can reach itself, not even directly (a KPI
//!   naming itself is reported as a `CYCLE`). A KPI used as a component cannot change its
//!   aggregation (see below), so the rule keeps holding after updates;
//! - a base KPI carries no numerator, denominator, scale or offset;
//! - once objectives, measurements or derived KPIs refer to a KPI (all by key), its key and its
//!   aggregation are fixed and it cannot be deleted (`IN_USE`);
//! - built-in KPIs are visible to every tenant and read-only to all: changing or deleting one
//!   is refused as a user error coded `BUILT_IN` on the `id` field (not `NOT_FOUND`, since the
//!   caller can see it, and not `FORBIDDEN`, which the API keeps for a caller's missing rights).

use entity::{
    enums::{KpiAggregation, KpiDirection, KpiUnit},
    tenant_kpi_definition,
};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use std::str::FromStr;
use uuid::Uuid;

use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session, kpi::catalogue::CatalogueKpi,
    validation::Violations,
};
use crate::{
    auth::Permission,
    store::{self, Scoped, StoreResult, kpi::custom::KpiUsage},
};

/// Longest key accepted.
pub const MAX_KEY_CHARS: usize = 64;

/// Longest scale or offset, written out (the width of their columns).
const MAX_DECIMAL_CHARS: usize = 32;

/// A new tenant KPI, as the caller sent it.
#[derive(Debug, Clone)]
pub struct NewKpi {
    /// Stable key.
    pub key: String,
    /// Display name.
    pub name: String,
    /// What it measures.
    pub description: Option<String>,
    /// Unit of its values.
    pub unit: KpiUnit,
    /// Whether higher or lower is better.
    pub direction: KpiDirection,
    /// How its values combine; `RATIO` for a derived KPI.
    pub aggregation: KpiAggregation,
    /// Numerator key (`RATIO` only).
    pub numerator_key: Option<String>,
    /// Denominator key (`RATIO` only).
    pub denominator_key: Option<String>,
    /// Multiplier of the ratio (`RATIO` only; 1 when omitted).
    pub scale: Option<Decimal>,
    /// Added to the scaled ratio (`RATIO` only; 0 when omitted).
    pub offset: Option<Decimal>,
}

/// Changes to a tenant KPI; `None` leaves a field as it is, `Some(None)` clears it (a scale or
/// offset cleared goes back to 1 or 0).
#[derive(Debug, Clone, Default)]
pub struct KpiChanges {
    /// New key (refused once the KPI is in use).
    pub key: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<Option<String>>,
    /// New unit.
    pub unit: Option<KpiUnit>,
    /// New direction.
    pub direction: Option<KpiDirection>,
    /// New aggregation (refused once the KPI is in use).
    pub aggregation: Option<KpiAggregation>,
    /// New numerator key.
    pub numerator_key: Option<Option<String>>,
    /// New denominator key.
    pub denominator_key: Option<Option<String>>,
    /// New scale.
    pub scale: Option<Option<Decimal>>,
    /// New offset.
    pub offset: Option<Option<Decimal>>,
}

/// The formula of a definition as proposed, before checks.
#[derive(Debug, Clone, Default)]
struct Formula {
    numerator_key: Option<String>,
    denominator_key: Option<String>,
    scale: Option<Decimal>,
    offset: Option<Decimal>,
}

/// The formula columns, checked.
#[derive(Debug, Clone)]
struct FormulaColumns {
    numerator_key: Option<String>,
    denominator_key: Option<String>,
    scale: String,
    offset: String,
}

/// True when `key` matches `^[a-z][a-z0-9_]{0,63}$`.
pub fn is_valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some('a'..='z'))
        && key.len() <= MAX_KEY_CHARS
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

/// Checks the key's format and that no other definition the tenant sees has it (`own_id` is
/// the definition being changed, if any). `found` are the definitions with that key.
fn check_key(v: &mut Violations, key: &str, own_id: Option<Uuid>, found: &[CatalogueKpi]) {
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

fn written(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Checks the formula for the aggregation. `own_keys` are the keys of the definition itself
/// (its current and new key), which may not be its own component; `found` are the definitions
/// with the component keys.
fn check_formula(
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

/// Says who uses a KPI, for an `IN_USE` message.
fn describe_usage(usage: &KpiUsage) -> String {
    let mut users = Vec::new();
    if usage.objectives {
        users.push("objectives".to_owned());
    }
    if usage.measurements {
        users.push("recorded measurements".to_owned());
    }
    if !usage.derived.is_empty() {
        let keys: Vec<String> = usage.derived.iter().map(|key| format!("`{key}`")).collect();
        users.push(format!("the derived KPIs {}", keys.join(", ")));
    }
    users.join(", ")
}

/// The definitions with the keys among `keys` that are not empty, in one lookup.
async fn lookup<C: ConnectionTrait>(
    scope: &Scoped<C>,
    keys: &[Option<&str>],
) -> StoreResult<Vec<CatalogueKpi>> {
    let mut wanted: Vec<String> = keys
        .iter()
        .flatten()
        .map(|key| key.trim().to_owned())
        .filter(|key| !key.is_empty())
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    store::kpi::catalogue::entries_by_keys(scope, &wanted).await
}

/// Refuses a built-in KPI's ID as a `BUILT_IN` user error.
async fn refuse_built_in<C: ConnectionTrait>(scope: &Scoped<C>, id: Uuid) -> DomainResult<()> {
    let found = store::kpi::catalogue::entries_by_ids(scope, &[id]).await?;
    if found.iter().any(CatalogueKpi::is_built_in) {
        let mut v = Violations::new();
        v.add(
            &["id"],
            FieldErrorCode::BuiltIn,
            "built-in KPIs cannot be changed or deleted; define a KPI of your own instead",
        );
        v.finish()?;
    }
    Ok(())
}

/// Reports two writers racing to the same key (the unique index on (tenant, key) stops the
/// second) as a conflict: the check before writing saw the key free.
fn key_race<T>(result: StoreResult<T>) -> DomainResult<T> {
    match result {
        Err(error) if error.is_unique_violation() => Err(DomainError::Conflict),
        other => Ok(other?),
    }
}

/// Creates a tenant KPI (EDITOR or ADMIN).
pub async fn create(session: &Session, input: NewKpi) -> DomainResult<CatalogueKpi> {
    let scope = session.scope(Permission::EditPlan)?;
    let found = lookup(
        &scope,
        &[
            Some(&input.key),
            input.numerator_key.as_deref(),
            input.denominator_key.as_deref(),
        ],
    )
    .await?;
    let mut v = Violations::new();
    check_key(&mut v, &input.key, None, &found);
    let name = v.name("name", &input.name);
    let description = v
        .text("description", input.description.as_deref())
        .unwrap_or_default();
    let formula = check_formula(
        &mut v,
        input.aggregation,
        Formula {
            numerator_key: input.numerator_key,
            denominator_key: input.denominator_key,
            scale: input.scale,
            offset: input.offset,
        },
        &[&input.key],
        &found,
    );
    v.finish()?;

    let row = tenant_kpi_definition::ActiveModel {
        key: Set(input.key),
        name: Set(name),
        description: Set(description),
        unit: Set(input.unit),
        direction: Set(input.direction),
        aggregation: Set(input.aggregation),
        numerator_key: Set(formula.numerator_key),
        denominator_key: Set(formula.denominator_key),
        scale: Set(formula.scale),
        offset: Set(formula.offset),
        ..Default::default()
    };
    Ok(key_race(scope.insert(row).await)?.into())
}

/// The value of a formula field after a change: the change if any, else the current value.
fn changed<T>(change: Option<Option<T>>, current: Option<T>) -> Option<T> {
    change.unwrap_or(current)
}

/// Changes a tenant KPI (EDITOR or ADMIN) if its version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: KpiChanges,
) -> DomainResult<CatalogueKpi> {
    let scope = session.scope(Permission::EditPlan)?;
    refuse_built_in(&scope, id).await?;
    let current = scope.get::<tenant_kpi_definition::Entity>(id).await?;
    // Whether the KPI is in use is judged on the version the caller read, or not at all.
    if current.version != expected_version {
        return Err(DomainError::Conflict);
    }
    let key = changes.key.clone().unwrap_or_else(|| current.key.clone());
    let aggregation = changes.aggregation.unwrap_or(current.aggregation);
    let formula = if aggregation == KpiAggregation::Ratio {
        // Omitted formula fields keep their current values; explicit nulls clear them.
        let stored = |text: &str| Decimal::from_str(text).ok();
        Formula {
            numerator_key: changed(changes.numerator_key, current.numerator_key.clone()),
            denominator_key: changed(changes.denominator_key, current.denominator_key.clone()),
            scale: changed(changes.scale, stored(&current.scale)),
            offset: changed(changes.offset, stored(&current.offset)),
        }
    } else {
        // A base KPI keeps no formula: what it had as a ratio is dropped, and only a formula
        // field sent with a value is an error.
        Formula {
            numerator_key: changes.numerator_key.flatten(),
            denominator_key: changes.denominator_key.flatten(),
            scale: changes.scale.flatten(),
            offset: changes.offset.flatten(),
        }
    };
    let found = lookup(
        &scope,
        &[
            Some(&key),
            formula.numerator_key.as_deref(),
            formula.denominator_key.as_deref(),
        ],
    )
    .await?;

    let mut v = Violations::new();
    let key_changed = key != current.key;
    let aggregation_changed = aggregation != current.aggregation;
    if key_changed {
        check_key(&mut v, &key, Some(id), &found);
    }
    if key_changed || aggregation_changed {
        let usage = store::kpi::custom::usage(&scope, &current.key).await?;
        if !usage.is_unused() {
            let users = describe_usage(&usage);
            if key_changed {
                v.add(
                    &["key"],
                    FieldErrorCode::InUse,
                    format!("cannot change while {users} refer to `{}`", current.key),
                );
            }
            if aggregation_changed {
                v.add(
                    &["aggregation"],
                    FieldErrorCode::InUse,
                    format!("cannot change while {users} refer to `{}`", current.key),
                );
            }
        }
    }
    let formula = check_formula(&mut v, aggregation, formula, &[&current.key, &key], &found);
    let mut row = tenant_kpi_definition::ActiveModel {
        key: Set(key),
        aggregation: Set(aggregation),
        numerator_key: Set(formula.numerator_key),
        denominator_key: Set(formula.denominator_key),
        scale: Set(formula.scale),
        offset: Set(formula.offset),
        ..Default::default()
    };
    if let Some(name) = &changes.name {
        row.name = Set(v.name("name", name));
    }
    if let Some(description) = &changes.description {
        row.description = Set(v
            .text("description", description.as_deref())
            .unwrap_or_default());
    }
    if let Some(unit) = changes.unit {
        row.unit = Set(unit);
    }
    if let Some(direction) = changes.direction {
        row.direction = Set(direction);
    }
    v.finish()?;
    let updated = key_race(
        scope
            .update_versioned::<tenant_kpi_definition::Entity, _>(id, expected_version, row)
            .await,
    )?;
    Ok(updated.into())
}

/// Deletes a tenant KPI (ADMIN) that nothing uses; returns its id.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    refuse_built_in(&scope, id).await?;
    // The usage check and the delete share a transaction, so that a use recorded in between
    // on SQLite (one writer at a time) cannot slip past the check.
    let transaction = scope.begin().await?;
    let current = transaction.get::<tenant_kpi_definition::Entity>(id).await?;
    let usage = store::kpi::custom::usage(&transaction, &current.key).await?;
    if !usage.is_unused() {
        let mut v = Violations::new();
        v.add(
            &["id"],
            FieldErrorCode::InUse,
            format!(
                "`{}` cannot be deleted while {} refer to it",
                current.key,
                describe_usage(&usage)
            ),
        );
        v.finish()?;
    }
    transaction
        .delete::<tenant_kpi_definition::Entity>(id)
        .await?;
    transaction.commit().await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
