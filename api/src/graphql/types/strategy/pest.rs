//! `PestFactor`: one factor of a plan's PEST (PESTEL) analysis.

use async_graphql::{Context, ID, Object, Result};
use entity::{pest_factor, strategy_enums::PestCategory};

use crate::graphql::types::Plan;
use crate::{
    error::ApiError,
    graphql::{context::loaders, scalars::DateTime},
    ids::{self, NodeType},
};

/// One factor of the macro-environment in a plan's PEST (PESTEL) analysis, with its impact and
/// its likelihood.
#[derive(Debug, Clone)]
pub struct PestFactor(pub pest_factor::Model);

/// One factor of the macro-environment in a plan's PEST (PESTEL) analysis, with its impact and
/// its likelihood.
#[Object]
impl PestFactor {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::PestFactor, self.0.id)
    }

    /// The plan whose PEST analysis holds the factor.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// Political, economic, social, technological, environmental or legal.
    async fn category(&self) -> PestCategory {
        self.0.category
    }

    /// The factor in one sentence.
    async fn statement(&self) -> &str {
        &self.0.statement
    }

    /// Impact, 1 (low) to 5 (high).
    async fn impact(&self) -> i32 {
        self.0.impact
    }

    /// Likelihood, 1 (unlikely) to 5 (almost certain).
    async fn likelihood(&self) -> i32 {
        self.0.likelihood
    }

    /// Version, incremented by every update; pass it as `expectedVersion` to update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the factor was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the factor was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
