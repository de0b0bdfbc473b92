//! The upsert shared by the seven tables that carry an external reference: find the row by its
//! reference, then create it, update it, or leave it as it is when the update would change
//! nothing. Each table's module supplies its own create and update (and so their checks); this
//! module holds the steps they share.
//!
//! Fields an upsert does not give (optional fields left out or null) are *kept* on an update
//! and take the create's default on a create; a sync that sends the same document twice gets
//! `UNCHANGED` the second time, with nothing written.

use entity::ExternallyReferenced;
use sea_orm::{ActiveModelTrait, ActiveValue, ConnectionTrait, Iterable, ModelTrait};
use uuid::Uuid;

use super::{RawExternalRef, check, find, identity};
use crate::domain::{DomainError, DomainResult, FieldErrorCode, validation::Violations};
use crate::store::Scoped;

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertOutcome {
    /// No row had the reference: one was created.
    Created,
    /// The row with the reference was changed (its version went up by one).
    Updated,
    /// The row with the reference already was as given: nothing was written.
    Unchanged,
}

/// A parent named by its id or by its external reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parent {
    /// By id.
    Id(Uuid),
    /// By external reference.
    Ref(RawExternalRef),
}

/// What an update does when it would change nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfUnchanged {
    /// Writes anyway (the version goes up): what the `update…` mutations do.
    Write,
    /// Writes nothing: what an upsert does.
    Skip,
}

/// The next step of an upsert.
#[derive(Debug)]
enum Step<M> {
    /// No row has the reference.
    Create,
    /// The row `current` has it; the update expects `expected_version`.
    Update {
        /// The row as read.
        current: M,
        /// The version the update expects: the caller's, or the one read.
        expected_version: i32,
    },
}

/// Runs an upsert of a row of `E` with the reference `reference`: checks it and finds its row
/// (see [`step`]), then creates the row with `create` (given the reference) or changes it with
/// `update` (given the row as read and the version the update expects; `None` when the update
/// would change nothing and so wrote nothing).
pub async fn run<E, C>(
    scope: &Scoped<C>,
    reference: RawExternalRef,
    expected_version: Option<i32>,
    create: impl AsyncFnOnce(RawExternalRef) -> DomainResult<E::Model>,
    update: impl AsyncFnOnce(&E::Model, i32) -> DomainResult<Option<E::Model>>,
) -> DomainResult<(E::Model, UpsertOutcome)>
where
    E: ExternallyReferenced,
    C: ConnectionTrait,
{
    match step::<E, C>(scope, &reference, expected_version).await? {
        Step::Create => Ok((create(reference).await?, UpsertOutcome::Created)),
        Step::Update {
            current,
            expected_version,
        } => match update(&current, expected_version).await? {
            Some(updated) => Ok((updated, UpsertOutcome::Updated)),
            None => Ok((current, UpsertOutcome::Unchanged)),
        },
    }
}

/// Checks the upsert's reference (`externalRef`) and finds its row. A stale
/// `expected_version` is [`DomainError::Conflict`], and so is an `expected_version` given for a
/// reference no row has (the row the caller read is gone).
async fn step<E, C>(
    scope: &Scoped<C>,
    raw: &RawExternalRef,
    expected_version: Option<i32>,
) -> DomainResult<Step<E::Model>>
where
    E: ExternallyReferenced,
    C: ConnectionTrait,
{
    let mut violations = Violations::new();
    let reference = check(&mut violations, "externalRef", raw);
    violations.finish()?;
    let Some(reference) = reference else {
        return Err(DomainError::Internal(
            "a malformed reference passed its check".into(),
        ));
    };
    match find::<E, C>(scope, &reference).await? {
        None if expected_version.is_some() => Err(DomainError::Conflict),
        None => Ok(Step::Create),
        Some(current) => {
            let version = version::<E>(&current);
            match expected_version {
                Some(expected) if expected != version => Err(DomainError::Conflict),
                _ => Ok(Step::Update {
                    current,
                    expected_version: version,
                }),
            }
        }
    }
}

/// The id of the parent row of `P` (a plan, a campaign) named by `parent`, reported at `path`
/// (`planRef`, `campaignRef`) when its reference is malformed or names nothing. An id is
/// returned as given: the create or update checks it as it checks any id.
pub async fn parent_id<P, C>(scope: &Scoped<C>, path: &str, parent: &Parent) -> DomainResult<Uuid>
where
    P: ExternallyReferenced,
    C: ConnectionTrait,
{
    match parent {
        Parent::Id(id) => Ok(*id),
        Parent::Ref(raw) => {
            let mut violations = Violations::new();
            let reference = check(&mut violations, path, raw);
            let found = match &reference {
                Some(reference) => find::<P, C>(scope, reference).await?,
                None => None,
            };
            if reference.is_some() && found.is_none() {
                violations.add(
                    &[path],
                    FieldErrorCode::NotFound,
                    "no object has this reference",
                );
            }
            violations.finish()?;
            found
                .map(|row| identity::<P>(&row))
                .ok_or_else(|| DomainError::Internal("a parent passed its check unfound".into()))
        }
    }
}

/// The path of a parent in an upsert's input: `id_path` when named by id, `ref_path` when
/// named by reference.
pub fn parent_path<'a>(parent: &Parent, id_path: &'a str, ref_path: &'a str) -> &'a str {
    match parent {
        Parent::Id(_) => id_path,
        Parent::Ref(_) => ref_path,
    }
}

/// Refuses an upsert that names another parent than the row's: an upsert does not move a row
/// (`INVALID` at `path`).
pub fn same_parent(path: &str, current: Uuid, given: Uuid) -> DomainResult<()> {
    let mut violations = Violations::new();
    if current != given {
        violations.add(
            &[path],
            FieldErrorCode::Invalid,
            "the object with this external reference belongs to another parent; an upsert does not move it",
        );
    }
    violations.finish()
}

/// True when `row` sets a column to another value than `current` holds: the update would
/// change the row. Compared as the database values the update would write, so after the
/// update's own checks and normalisation (trimmed texts, amounts in micros).
pub fn row_differs<E, A>(current: &E::Model, row: &A) -> bool
where
    E: sea_orm::EntityTrait,
    A: ActiveModelTrait<Entity = E>,
{
    E::Column::iter().any(|column| match row.get(column) {
        ActiveValue::Set(value) | ActiveValue::Unchanged(value) => value != current.get(column),
        ActiveValue::NotSet => false,
    })
}

/// What an update in [`IfUnchanged::Skip`] mode does when nothing would change: nothing, after
/// checking the version as the write would have.
pub fn keep(current_version: i32, expected_version: i32) -> DomainResult<()> {
    if current_version == expected_version {
        Ok(())
    } else {
        Err(DomainError::Conflict)
    }
}

/// A row's version, read through the entity's `version` column.
fn version<E: ExternallyReferenced>(model: &E::Model) -> i32 {
    match model.get(E::version_column()) {
        sea_orm::Value::Int(Some(version)) => version,
        _ => 0,
    }
}
