//! SWOT items of a plan: a quadrant (strength, weakness, opportunity, threat), a statement and
//! an impact 1–5.

use entity::{plan, strategy_enums::SwotQuadrant, swot_item};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::auth::Permission;
use crate::domain::{DomainResult, Session, strategy, validation::Violations};

/// Changes to a SWOT item; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct SwotItemChanges {
    /// New quadrant.
    pub quadrant: Option<SwotQuadrant>,
    /// New statement.
    pub statement: Option<String>,
    /// New impact.
    pub impact: Option<i32>,
}

/// Creates a SWOT item in a plan of the tenant.
pub async fn create(
    session: &Session,
    plan_id: Uuid,
    quadrant: SwotQuadrant,
    statement: &str,
    impact: i32,
) -> DomainResult<swot_item::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(plan_id).await?;
    let mut v = Violations::new();
    let row = swot_item::ActiveModel {
        plan_id: Set(plan.id),
        quadrant: Set(quadrant),
        statement: Set(strategy::statement(&mut v, "statement", statement)),
        impact: Set(strategy::score(&mut v, "impact", impact)),
        ..Default::default()
    };
    v.finish()?;
    Ok(scope.insert(row).await?)
}

/// Applies changes to a SWOT item if its version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: SwotItemChanges,
) -> DomainResult<swot_item::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    scope.get::<swot_item::Entity>(id).await?;
    let mut v = Violations::new();
    let mut row = swot_item::ActiveModel {
        ..Default::default()
    };
    if let Some(quadrant) = changes.quadrant {
        row.quadrant = Set(quadrant);
    }
    if let Some(statement) = &changes.statement {
        row.statement = Set(strategy::statement(&mut v, "statement", statement));
    }
    if let Some(impact) = changes.impact {
        row.impact = Set(strategy::score(&mut v, "impact", impact));
    }
    v.finish()?;
    Ok(scope
        .update_versioned::<swot_item::Entity, _>(id, expected_version, row)
        .await?)
}

/// Deletes a SWOT item.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    scope.delete::<swot_item::Entity>(id).await?;
    Ok(id)
}
