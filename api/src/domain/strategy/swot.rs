//! SWOT items of a plan: a quadrant (strength, weakness, opportunity, threat), a statement and
//! an impact 1–5.

use entity::{strategy_enums::SwotQuadrant, swot_item};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::domain::{DomainResult, Session, strategy, strategy::crud};

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
    crud::create(session, plan_id, |v| swot_item::ActiveModel {
        quadrant: Set(quadrant),
        statement: Set(strategy::statement(v, "statement", statement)),
        impact: Set(strategy::score(v, "impact", impact)),
        ..Default::default()
    })
    .await
}

/// Applies changes to a SWOT item if its version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: SwotItemChanges,
) -> DomainResult<swot_item::Model> {
    crud::update(session, id, expected_version, |_, v| {
        let mut row = swot_item::ActiveModel::default();
        if let Some(quadrant) = changes.quadrant {
            row.quadrant = Set(quadrant);
        }
        if let Some(statement) = &changes.statement {
            row.statement = Set(strategy::statement(v, "statement", statement));
        }
        if let Some(impact) = changes.impact {
            row.impact = Set(strategy::score(v, "impact", impact));
        }
        row
    })
    .await
}

/// Deletes a SWOT item.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    crud::delete::<swot_item::Entity>(session, id).await
}
