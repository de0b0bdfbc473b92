//! Inputs of segment mutations.

use async_graphql::{ID, InputObject, MaybeUndefined};
use uuid::Uuid;

use crate::graphql::inputs::plan::maybe;
use crate::{
    domain::strategy::segment::{NewSegment, SegmentChanges},
    ids::{self, NodeType},
};

/// A new market segment.
#[derive(Debug, InputObject)]
pub struct CreateSegmentInput {
    /// Global ID of the plan the segment belongs to.
    pub plan_id: ID,
    /// Name (1 to 200 characters).
    pub name: String,
    /// Criteria that define it, such as "age: 25–34" or "place: Lyon" (at most 50 items).
    #[graphql(default)]
    pub criteria: Vec<String>,
    /// Estimated number of people or companies in it, not negative.
    pub estimated_size: Option<i64>,
    /// Whether the plan targets it; false when omitted.
    #[graphql(default)]
    pub targeted: bool,
    /// The positioning chosen for it.
    pub positioning: Option<String>,
    /// The personas that belong to it (global IDs of the tenant's personas).
    #[graphql(default)]
    pub persona_ids: Vec<ID>,
}

impl CreateSegmentInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewSegment {
        NewSegment {
            plan_id,
            name: self.name,
            criteria: self.criteria,
            estimated_size: self.estimated_size,
            targeted: self.targeted,
            positioning: self.positioning,
            persona_ids: ids::decode_links(&self.persona_ids, NodeType::Persona),
        }
    }
}

/// Changes to a segment; omitted fields stay as they are, null clears an optional one, lists
/// replace the current ones.
#[derive(Debug, InputObject)]
pub struct UpdateSegmentInput {
    /// The segment's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the segment changed since.
    pub expected_version: i32,
    /// New name.
    pub name: Option<String>,
    /// New criteria.
    pub criteria: Option<Vec<String>>,
    /// New estimated size.
    pub estimated_size: MaybeUndefined<i64>,
    /// New targeting.
    pub targeted: Option<bool>,
    /// New positioning.
    pub positioning: MaybeUndefined<String>,
    /// New set of personas in the segment.
    pub persona_ids: Option<Vec<ID>>,
}

impl From<UpdateSegmentInput> for SegmentChanges {
    fn from(input: UpdateSegmentInput) -> Self {
        Self {
            name: input.name,
            criteria: input.criteria,
            estimated_size: maybe(input.estimated_size),
            targeted: input.targeted,
            positioning: maybe(input.positioning),
            persona_ids: input
                .persona_ids
                .map(|list| ids::decode_links(&list, NodeType::Persona)),
        }
    }
}

/// The segment to delete.
#[derive(Debug, InputObject)]
pub struct DeleteSegmentInput {
    /// The segment's global ID.
    pub id: ID,
}
