//! Lever interactions: a link from one lever to another within a plan (synergy,
//! cannibalization, dependency), with a note. A lever does not interact with itself, and a plan
//! states each (from, to, kind) once.

use entity::{enums::Lever, lever_enums::LeverInteractionKind, lever_interaction, plan};
use sea_orm::{ActiveValue::Set, DatabaseConnection};
use uuid::Uuid;

use crate::domain::{
    DomainResult, FieldErrorCode, Session,
    validation::{Violations, duplicate_as_violation},
};
use crate::{
    auth::Permission,
    store::{self, Scoped},
};

/// What a new interaction is made of.
#[derive(Debug, Clone)]
pub struct NewInteraction {
    /// The plan.
    pub plan_id: Uuid,
    /// The lever that acts.
    pub from_lever: Lever,
    /// The lever acted upon.
    pub to_lever: Lever,
    /// The kind of interaction.
    pub kind: LeverInteractionKind,
    /// Explanation.
    pub note: Option<String>,
}

/// Changes to an interaction; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct InteractionChanges {
    /// New acting lever.
    pub from_lever: Option<Lever>,
    /// New lever acted upon.
    pub to_lever: Option<Lever>,
    /// New kind.
    pub kind: Option<LeverInteractionKind>,
    /// New note (`Some(None)` clears it).
    pub note: Option<Option<String>>,
}

const DUPLICATE_INTERACTION: &str = "the plan already has this interaction between these levers";

async fn check_pair(
    scope: &Scoped<DatabaseConnection>,
    violations: &mut Violations,
    plan_id: Uuid,
    link: (Lever, Lever, LeverInteractionKind),
    except: Option<Uuid>,
) -> DomainResult<()> {
    if link.0 == link.1 {
        violations.add(
            &["toLever"],
            FieldErrorCode::Invalid,
            "a lever does not interact with itself: choose another lever",
        );
    } else if store::lever::same_interaction(scope, plan_id, link, except)
        .await?
        .is_some()
    {
        violations.add(
            &["toLever"],
            FieldErrorCode::Duplicate,
            DUPLICATE_INTERACTION,
        );
    }
    Ok(())
}

/// Creates an interaction.
pub async fn create(
    session: &Session,
    input: NewInteraction,
) -> DomainResult<lever_interaction::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(input.plan_id).await?;
    let mut violations = Violations::new();
    let note = violations.text("note", input.note.as_deref());
    let link = (input.from_lever, input.to_lever, input.kind);
    check_pair(&scope, &mut violations, plan.id, link, None).await?;
    violations.finish()?;

    let inserted = scope
        .insert(lever_interaction::ActiveModel {
            plan_id: Set(plan.id),
            from_lever: Set(input.from_lever),
            to_lever: Set(input.to_lever),
            kind: Set(input.kind),
            note: Set(note),
            ..Default::default()
        })
        .await;
    duplicate_as_violation(inserted, "toLever", DUPLICATE_INTERACTION)
}

/// Applies changes if the version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: InteractionChanges,
) -> DomainResult<lever_interaction::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let current = scope.get::<lever_interaction::Entity>(id).await?;
    let mut violations = Violations::new();
    let mut row = lever_interaction::ActiveModel {
        ..Default::default()
    };
    let link = (
        changes.from_lever.unwrap_or(current.from_lever),
        changes.to_lever.unwrap_or(current.to_lever),
        changes.kind.unwrap_or(current.kind),
    );
    if changes.from_lever.is_some() || changes.to_lever.is_some() || changes.kind.is_some() {
        check_pair(&scope, &mut violations, current.plan_id, link, Some(id)).await?;
        row.from_lever = Set(link.0);
        row.to_lever = Set(link.1);
        row.kind = Set(link.2);
    }
    if let Some(note) = &changes.note {
        row.note = Set(violations.text("note", note.as_deref()));
    }
    violations.finish()?;
    duplicate_as_violation(
        scope
            .update_versioned::<lever_interaction::Entity, _>(id, expected_version, row)
            .await,
        "toLever",
        DUPLICATE_INTERACTION,
    )
}

/// Deletes an interaction.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    scope.delete::<lever_interaction::Entity>(id).await?;
    Ok(id)
}
