//! Creating, changing and deleting tenant KPIs: built-in KPIs are refused, a KPI in use keeps
//! its key and aggregation and cannot be deleted, and two writers racing to one key conflict.

use entity::{enums::KpiAggregation, tenant_kpi_definition};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use std::str::FromStr;
use uuid::Uuid;

use super::{
    KpiChanges, NewKpi,
    formula::{Formula, check_formula},
    key::check_key,
};
use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session, kpi::catalogue::CatalogueKpi,
    validation::Violations,
};
use crate::{
    auth::Permission,
    store::{self, Scoped, StoreResult, kpi::custom::KpiUsage},
};

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
