//! `Segment`: a market segment of a plan.

use async_graphql::{Context, ID, Object, Result};
use entity::segment;

use crate::graphql::types::{Persona, Plan};
use crate::{
    error::ApiError,
    graphql::{context::loaders, scalars::DateTime},
    ids::{self, NodeType},
};

/// A market segment of a plan: the criteria that define it (age, place, interests…), its
/// estimated size, whether the plan targets it, the positioning chosen for it, and the personas
/// that portray it.
#[derive(Debug, Clone)]
pub struct Segment(pub segment::Model);

/// A market segment of a plan: the criteria that define it (age, place, interests…), its
/// estimated size, whether the plan targets it, the positioning chosen for it, and the personas
/// that portray it.
#[Object]
impl Segment {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Segment, self.0.id)
    }

    /// The plan the segment belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The criteria that define the segment, such as "age: 25–34" or "place: Lyon".
    async fn criteria(&self) -> &[String] {
        &self.0.criteria.0
    }

    /// Estimated number of people (or companies) in the segment.
    async fn estimated_size(&self) -> Option<i64> {
        self.0.estimated_size
    }

    /// Whether the plan targets this segment.
    async fn targeted(&self) -> bool {
        self.0.targeted
    }

    /// The positioning chosen for this segment.
    async fn positioning(&self) -> Option<&str> {
        self.0.positioning.as_deref()
    }

    /// The personas that belong to the segment.
    async fn personas(&self, ctx: &Context<'_>) -> Result<Vec<Persona>> {
        let personas = loaders(ctx)?.segment_personas.load_one(self.0.id).await?;
        Ok(personas
            .unwrap_or_default()
            .into_iter()
            .map(Persona)
            .collect())
    }

    /// Version, incremented by every update; pass it as `expectedVersion` to update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the segment was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the segment was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
