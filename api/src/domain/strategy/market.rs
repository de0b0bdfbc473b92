//! Market trends of a plan's market analysis: a statement, details, a source, an impact 1–5.

use entity::market_trend;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::domain::{DomainResult, Session, strategy, strategy::crud};

/// What a new market trend is made of.
#[derive(Debug, Clone)]
pub struct NewMarketTrend {
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// The trend in one sentence.
    pub statement: String,
    /// Details.
    pub description: Option<String>,
    /// Where it was observed.
    pub source: Option<String>,
    /// Impact, 1 to 5.
    pub impact: i32,
}

/// Changes to a market trend; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct MarketTrendChanges {
    /// New statement.
    pub statement: Option<String>,
    /// New details.
    pub description: Option<Option<String>>,
    /// New source.
    pub source: Option<Option<String>>,
    /// New impact.
    pub impact: Option<i32>,
}

/// Creates a market trend in a plan of the tenant.
pub async fn create(session: &Session, input: NewMarketTrend) -> DomainResult<market_trend::Model> {
    crud::create(session, input.plan_id, |v| market_trend::ActiveModel {
        statement: Set(strategy::statement(v, "statement", &input.statement)),
        description: Set(v.text("description", input.description.as_deref())),
        source: Set(v.text("source", input.source.as_deref())),
        impact: Set(strategy::score(v, "impact", input.impact)),
        ..Default::default()
    })
    .await
}

/// Applies changes to a market trend if its version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: MarketTrendChanges,
) -> DomainResult<market_trend::Model> {
    crud::update(session, id, expected_version, |_, v| {
        let mut row = market_trend::ActiveModel::default();
        if let Some(statement) = &changes.statement {
            row.statement = Set(strategy::statement(v, "statement", statement));
        }
        if let Some(description) = &changes.description {
            row.description = Set(v.text("description", description.as_deref()));
        }
        if let Some(source) = &changes.source {
            row.source = Set(v.text("source", source.as_deref()));
        }
        if let Some(impact) = changes.impact {
            row.impact = Set(strategy::score(v, "impact", impact));
        }
        row
    })
    .await
}

/// Deletes a market trend.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    crud::delete::<market_trend::Entity>(session, id).await
}
