//! `Brand`: the brand platform of a plan.

use async_graphql::{Context, ID, Object, Result};
use entity::brand;

use crate::graphql::types::Plan;
use crate::{
    error::ApiError,
    graphql::{context::loaders, scalars::DateTime},
    ids::{self, NodeType},
};

/// The brand platform of a plan (at most one per plan): how the brand is perceived today, its
/// values, mission, vision, tone of voice and positioning statement. Written with `setBrand`.
#[derive(Debug, Clone)]
pub struct Brand(pub brand::Model);

/// The brand platform of a plan (at most one per plan): how the brand is perceived today, its
/// values, mission, vision, tone of voice and positioning statement. Written with `setBrand`.
#[Object]
impl Brand {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Brand, self.0.id)
    }

    /// The plan the brand platform belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// How the brand is perceived today.
    async fn current_perception(&self) -> Option<&str> {
        self.0.current_perception.as_deref()
    }

    /// The brand's values.
    async fn values(&self) -> &[String] {
        &self.0.values.0
    }

    /// Mission: why the company exists.
    async fn mission(&self) -> Option<&str> {
        self.0.mission.as_deref()
    }

    /// Vision: where the company is going.
    async fn vision(&self) -> Option<&str> {
        self.0.vision.as_deref()
    }

    /// Tone of voice.
    async fn tone(&self) -> Option<&str> {
        self.0.tone.as_deref()
    }

    /// Positioning statement: for whom, against whom, with what promise.
    async fn positioning_statement(&self) -> Option<&str> {
        self.0.positioning_statement.as_deref()
    }

    /// Version, incremented by every `setBrand`; pass it as `expectedVersion` to replace it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the brand platform was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the brand platform was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
