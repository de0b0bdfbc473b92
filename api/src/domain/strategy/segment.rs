//! Segments of a plan: criteria, an estimated size, whether the plan targets it, the
//! positioning chosen for it, and the personas that belong to it.

use entity::{plan, segment};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::domain::{
    DomainResult, FieldErrorCode, Session, plan::check_personas, strategy::crud,
    validation::Violations,
};
use crate::{auth::Permission, store};

/// What a new segment is made of.
#[derive(Debug, Clone)]
pub struct NewSegment {
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// Name.
    pub name: String,
    /// Criteria ("age: 25–34").
    pub criteria: Vec<String>,
    /// Estimated size, not negative.
    pub estimated_size: Option<i64>,
    /// Whether the plan targets it.
    pub targeted: bool,
    /// Positioning chosen for it.
    pub positioning: Option<String>,
    /// Personas in it.
    pub persona_ids: Vec<Uuid>,
}

/// Changes to a segment; `None` leaves a field as it is, `Some(None)` clears it, lists replace
/// the current ones.
#[derive(Debug, Clone, Default)]
pub struct SegmentChanges {
    /// New name.
    pub name: Option<String>,
    /// New criteria.
    pub criteria: Option<Vec<String>>,
    /// New estimated size.
    pub estimated_size: Option<Option<i64>>,
    /// New targeting.
    pub targeted: Option<bool>,
    /// New positioning.
    pub positioning: Option<Option<String>>,
    /// New personas.
    pub persona_ids: Option<Vec<Uuid>>,
}

fn size(violations: &mut Violations, value: Option<i64>) -> Option<i64> {
    if let Some(size) = value
        && size < 0
    {
        violations.add(
            &["estimatedSize"],
            FieldErrorCode::OutOfRange,
            "must not be negative",
        );
    }
    value
}

/// Creates a segment with its personas, in one transaction.
pub async fn create(session: &Session, input: NewSegment) -> DomainResult<segment::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(input.plan_id).await?;
    let mut v = Violations::new();
    let row = segment::ActiveModel {
        plan_id: Set(plan.id),
        name: Set(v.name("name", &input.name)),
        criteria: Set(v.items("criteria", &input.criteria)),
        estimated_size: Set(size(&mut v, input.estimated_size)),
        targeted: Set(input.targeted),
        positioning: Set(v.text("positioning", input.positioning.as_deref())),
        ..Default::default()
    };
    let persona_ids = check_personas(&scope, &mut v, "personaIds", &input.persona_ids).await?;
    v.finish()?;

    let transaction = scope.begin().await?;
    let created = transaction.insert(row).await?;
    store::strategy::set_segment_personas(&transaction, created.id, &persona_ids).await?;
    transaction.commit().await?;
    Ok(created)
}

/// Applies changes to a segment if its version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: SegmentChanges,
) -> DomainResult<segment::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    scope.get::<segment::Entity>(id).await?;
    let mut v = Violations::new();
    let mut row = segment::ActiveModel {
        ..Default::default()
    };
    if let Some(name) = &changes.name {
        row.name = Set(v.name("name", name));
    }
    if let Some(criteria) = &changes.criteria {
        row.criteria = Set(v.items("criteria", criteria));
    }
    if let Some(estimated_size) = changes.estimated_size {
        row.estimated_size = Set(size(&mut v, estimated_size));
    }
    if let Some(targeted) = changes.targeted {
        row.targeted = Set(targeted);
    }
    if let Some(positioning) = &changes.positioning {
        row.positioning = Set(v.text("positioning", positioning.as_deref()));
    }
    let persona_ids = match &changes.persona_ids {
        Some(ids) => Some(check_personas(&scope, &mut v, "personaIds", ids).await?),
        None => None,
    };
    v.finish()?;

    let transaction = scope.begin().await?;
    let updated = transaction
        .update_versioned::<segment::Entity, _>(id, expected_version, row)
        .await?;
    if let Some(persona_ids) = persona_ids {
        store::strategy::set_segment_personas(&transaction, id, &persona_ids).await?;
    }
    transaction.commit().await?;
    Ok(updated)
}

/// Deletes a segment with its persona links.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    crud::delete::<segment::Entity>(session, id).await
}
