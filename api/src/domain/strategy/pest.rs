//! PEST (PESTEL) factors of a plan: a category, a statement, an impact and a likelihood, 1–5.

use entity::{pest_factor, strategy_enums::PestCategory};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::domain::{DomainResult, Session, strategy, strategy::crud};

/// What a new PEST factor is made of.
#[derive(Debug, Clone)]
pub struct NewPestFactor {
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// Category.
    pub category: PestCategory,
    /// The factor in one sentence.
    pub statement: String,
    /// Impact, 1 to 5.
    pub impact: i32,
    /// Likelihood, 1 to 5.
    pub likelihood: i32,
}

/// Changes to a PEST factor; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PestFactorChanges {
    /// New category.
    pub category: Option<PestCategory>,
    /// New statement.
    pub statement: Option<String>,
    /// New impact.
    pub impact: Option<i32>,
    /// New likelihood.
    pub likelihood: Option<i32>,
}

/// Creates a PEST factor in a plan of the tenant.
pub async fn create(session: &Session, input: NewPestFactor) -> DomainResult<pest_factor::Model> {
    crud::create(session, input.plan_id, |v| pest_factor::ActiveModel {
        category: Set(input.category),
        statement: Set(strategy::statement(v, "statement", &input.statement)),
        impact: Set(strategy::score(v, "impact", input.impact)),
        likelihood: Set(strategy::score(v, "likelihood", input.likelihood)),
        ..Default::default()
    })
    .await
}

/// Applies changes to a PEST factor if its version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: PestFactorChanges,
) -> DomainResult<pest_factor::Model> {
    crud::update(session, id, expected_version, |_, v| {
        let mut row = pest_factor::ActiveModel::default();
        if let Some(category) = changes.category {
            row.category = Set(category);
        }
        if let Some(statement) = &changes.statement {
            row.statement = Set(strategy::statement(v, "statement", statement));
        }
        if let Some(impact) = changes.impact {
            row.impact = Set(strategy::score(v, "impact", impact));
        }
        if let Some(likelihood) = changes.likelihood {
            row.likelihood = Set(strategy::score(v, "likelihood", likelihood));
        }
        row
    })
    .await
}

/// Deletes a PEST factor.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    crud::delete::<pest_factor::Entity>(session, id).await
}
