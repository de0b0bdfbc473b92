//! `createSegment`, `updateSegment`, `deleteSegment`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::strategy::segment::{CreateSegmentInput, DeleteSegmentInput, UpdateSegmentInput},
        types::Segment,
    },
    ids::{self, NodeType},
    payload,
};

payload!(
    CreateSegmentPayload,
    segment,
    Segment,
    "The result of `createSegment`.",
    "The new segment; null when there are user errors."
);
payload!(
    UpdateSegmentPayload,
    segment,
    Segment,
    "The result of `updateSegment`.",
    "The segment as changed; null when there are user errors."
);
payload!(
    DeleteSegmentPayload,
    deleted_id,
    ID,
    "The result of `deleteSegment`.",
    "The global ID of the deleted segment; null when there are user errors."
);

/// Mutations of market segments.
#[derive(Default)]
pub struct SegmentMutation;

#[Object]
impl SegmentMutation {
    /// Adds a market segment to a plan, with its personas (EDITOR or ADMIN); NOT_FOUND when the
    /// plan is not the tenant's, a NOT_FOUND user error for each persona that is not.
    async fn create_segment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new segment.")] input: CreateSegmentInput,
    ) -> Result<CreateSegmentPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (created, user_errors) = into_payload(
            domain::strategy::segment::create(session(ctx)?, input.into_new(plan_id)).await,
        )?;
        Ok(CreateSegmentPayload {
            segment: created.map(Segment),
            user_errors,
        })
    }

    /// Changes a segment, and replaces its personas when `personaIds` is given (EDITOR or
    /// ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_segment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The segment and the changes.")] input: UpdateSegmentInput,
    ) -> Result<UpdateSegmentPayload> {
        let id = ids::decode_as(&input.id, NodeType::Segment)?;
        let version = input.expected_version;
        let (updated, user_errors) = into_payload(
            domain::strategy::segment::update(session(ctx)?, id, version, input.into()).await,
        )?;
        Ok(UpdateSegmentPayload {
            segment: updated.map(Segment),
            user_errors,
        })
    }

    /// Deletes a segment; its personas stay, outside it (ADMIN).
    async fn delete_segment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The segment to delete.")] input: DeleteSegmentInput,
    ) -> Result<DeleteSegmentPayload> {
        let id = ids::decode_as(&input.id, NodeType::Segment)?;
        let (deleted, user_errors) =
            into_payload(domain::strategy::segment::delete(session(ctx)?, id).await)?;
        Ok(DeleteSegmentPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::Segment, id)),
            user_errors,
        })
    }
}
