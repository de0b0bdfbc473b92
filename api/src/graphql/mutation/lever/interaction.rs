//! `createLeverInteraction`, `updateLeverInteraction`, `deleteLeverInteraction`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::lever::interaction::{
            CreateLeverInteractionInput, DeleteLeverInteractionInput, UpdateLeverInteractionInput,
        },
        types::LeverInteraction,
    },
    ids::{self, NodeType},
    payload,
};

payload!(
    CreateLeverInteractionPayload,
    lever_interaction,
    LeverInteraction,
    "The result of `createLeverInteraction`.",
    "The new interaction; null when there are user errors."
);

payload!(
    UpdateLeverInteractionPayload,
    lever_interaction,
    LeverInteraction,
    "The result of `updateLeverInteraction`.",
    "The interaction as changed; null when there are user errors."
);

payload!(
    DeleteLeverInteractionPayload,
    deleted_id,
    ID,
    "The result of `deleteLeverInteraction`.",
    "The global ID of the deleted interaction; null when there are user errors."
);

/// Mutations of lever interactions.
#[derive(Default)]
pub struct LeverInteractionMutation;

#[Object]
impl LeverInteractionMutation {
    /// Records how one lever affects another in a plan (EDITOR or ADMIN); NOT_FOUND when the
    /// plan is not the tenant's.
    async fn create_lever_interaction(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new interaction.")] input: CreateLeverInteractionInput,
    ) -> Result<CreateLeverInteractionPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (created, user_errors) = into_payload(
            domain::lever::interaction::create(session(ctx)?, input.into_new(plan_id)).await,
        )?;
        Ok(CreateLeverInteractionPayload {
            lever_interaction: created.map(LeverInteraction),
            user_errors,
        })
    }

    /// Changes a lever interaction (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_lever_interaction(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The interaction and the changes.")] input: UpdateLeverInteractionInput,
    ) -> Result<UpdateLeverInteractionPayload> {
        let id = ids::decode_as(&input.id, NodeType::LeverInteraction)?;
        let version = input.expected_version;
        let (updated, user_errors) = into_payload(
            domain::lever::interaction::update(session(ctx)?, id, version, input.into()).await,
        )?;
        Ok(UpdateLeverInteractionPayload {
            lever_interaction: updated.map(LeverInteraction),
            user_errors,
        })
    }

    /// Deletes a lever interaction (ADMIN).
    async fn delete_lever_interaction(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The interaction to delete.")] input: DeleteLeverInteractionInput,
    ) -> Result<DeleteLeverInteractionPayload> {
        let id = ids::decode_as(&input.id, NodeType::LeverInteraction)?;
        let (deleted, user_errors) =
            into_payload(domain::lever::interaction::delete(session(ctx)?, id).await)?;
        Ok(DeleteLeverInteractionPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::LeverInteraction, id)),
            user_errors,
        })
    }
}
