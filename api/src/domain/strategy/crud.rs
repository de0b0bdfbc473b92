//! The create, update and delete that the rows of the strategy layer share (market trends,
//! competitors, SWOT items, PEST factors; personas and segments for what they have in common):
//! the permission asked, the checks run before anything is written, the version guard. Each
//! row's module supplies only its fields, how they are checked and how changes apply.

use entity::{Identified, Versioned, plan};
use sea_orm::{ActiveModelBehavior, ActiveModelTrait, IntoActiveModel};
use uuid::Uuid;

use crate::auth::Permission;
use crate::domain::{DomainResult, Session, validation::Violations};
use crate::store::strategy::PlanChild;

/// Creates a row in the plan `plan_id` (EDITOR or ADMIN): `fields` checks the input into the
/// new row's columns, the plan is set here, and nothing is written when a check failed. A plan
/// the tenant does not have is NOT_FOUND, before any check.
pub(super) async fn create<E, A>(
    session: &Session,
    plan_id: Uuid,
    fields: impl FnOnce(&mut Violations) -> A,
) -> DomainResult<E::Model>
where
    E: PlanChild,
    A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<A>,
{
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(plan_id).await?;
    let mut violations = Violations::new();
    let mut row = fields(&mut violations);
    row.set(E::plan_column(), plan.id.into());
    violations.finish()?;
    Ok(scope.insert(row).await?)
}

/// Applies changes to the row `id` if its version is `expected_version` (EDITOR or ADMIN):
/// `changes` checks them, against the current row where a rule needs it, into the columns to
/// write; nothing is written when a check failed.
pub(super) async fn update<E, A>(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: impl FnOnce(&E::Model, &mut Violations) -> A,
) -> DomainResult<E::Model>
where
    E: Versioned,
    A: ActiveModelTrait<Entity = E> + Send,
{
    let scope = session.scope(Permission::EditPlan)?;
    let current = scope.get::<E>(id).await?;
    let mut violations = Violations::new();
    let row = changes(&current, &mut violations);
    violations.finish()?;
    Ok(scope
        .update_versioned::<E, _>(id, expected_version, row)
        .await?)
}

/// Deletes the row `id` (ADMIN); returns its id.
pub(super) async fn delete<E: Identified>(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    scope.delete::<E>(id).await?;
    Ok(id)
}
