//! `Persona`: a portrait of a target customer.

use async_graphql::{Context, ID, Object, Result};
use entity::{enums::Lever, persona};

use crate::graphql::types::Segment;
use crate::{
    connection,
    graphql::{context::loaders, scalars::DateTime},
    ids::{self, NodeType},
};

/// A semi-fictional portrait of a target customer (seed 003, step 2), reusable across the
/// tenant's plans and targeted by plans and campaigns.
/// The model is shared: a persona targeted by many campaigns of an answer is built once
/// (`Persona(model.into())` from a model of its own).
#[derive(Debug, Clone)]
pub struct Persona(pub std::sync::Arc<persona::Model>);

connection!(
    PersonaConnection,
    PersonaEdge,
    Persona,
    persona::Model,
    "A page of personas.",
    "A persona in a page of personas."
);

/// A semi-fictional portrait of a target customer, reusable across the tenant's plans and
/// targeted by plans and campaigns.
#[Object]
impl Persona {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Persona, self.0.id)
    }

    /// The object's audit trail: `history` (ADMIN only).
    #[graphql(flatten)]
    async fn audited(&self) -> crate::graphql::types::AuditHistory {
        crate::graphql::types::AuditHistory(self.0.id)
    }

    /// Name ("Sophie, 34, e-commerce manager").
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// One-paragraph summary.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }

    /// Lower bound of the age range.
    async fn age_min(&self) -> Option<i32> {
        self.0.age_min
    }

    /// Upper bound of the age range.
    async fn age_max(&self) -> Option<i32> {
        self.0.age_max
    }

    /// Gender, as the team describes it.
    async fn gender(&self) -> Option<&str> {
        self.0.gender.as_deref()
    }

    /// Where they live or work.
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }

    /// Occupation.
    async fn occupation(&self) -> Option<&str> {
        self.0.occupation.as_deref()
    }

    /// Income band.
    async fn income_band(&self) -> Option<&str> {
        self.0.income_band.as_deref()
    }

    /// Education.
    async fn education(&self) -> Option<&str> {
        self.0.education.as_deref()
    }

    /// Behaviours (online and buying habits).
    async fn behaviors(&self) -> &[String] {
        &self.0.behaviors.0
    }

    /// Values they hold (psychographics).
    async fn values(&self) -> &[String] {
        &self.0.values.0
    }

    /// Interests (psychographics).
    async fn interests(&self) -> &[String] {
        &self.0.interests.0
    }

    /// Lifestyle (psychographics).
    async fn lifestyle(&self) -> Option<&str> {
        self.0.lifestyle.as_deref()
    }

    /// Goals.
    async fn goals(&self) -> &[String] {
        &self.0.goals.0
    }

    /// Motivations.
    async fn motivations(&self) -> &[String] {
        &self.0.motivations.0
    }

    /// Needs.
    async fn needs(&self) -> &[String] {
        &self.0.needs.0
    }

    /// Pain points.
    async fn pain_points(&self) -> &[String] {
        &self.0.pain_points.0
    }

    /// Objections to buying.
    async fn objections(&self) -> &[String] {
        &self.0.objections.0
    }

    /// Levers that reach this persona best.
    async fn preferred_levers(&self) -> &[Lever] {
        &self.0.preferred_levers.0
    }

    /// Its reference in the system it is synced from (set by `externalRef` on create, update
    /// or upsert); null when it has none.
    async fn external_ref(&self) -> Option<crate::graphql::types::external_ref::ExternalRef> {
        crate::graphql::types::external_ref::ExternalRef::of(
            &self.0.external_source,
            &self.0.external_id,
        )
    }

    /// Version, incremented by every update; pass it as `expectedVersion` to update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the persona was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the persona was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }

    /// The market segments (of any of the tenant's plans) the persona belongs to, oldest first.
    async fn segments(&self, ctx: &Context<'_>) -> Result<Vec<Segment>> {
        let rows = loaders(ctx)?.persona_segments.load_one(self.0.id).await?;
        Ok(rows.unwrap_or_default().into_iter().map(Segment).collect())
    }
}
