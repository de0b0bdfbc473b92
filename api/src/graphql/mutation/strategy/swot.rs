//! `createSwotItem`, `updateSwotItem`, `deleteSwotItem`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::strategy::swot::{CreateSwotItemInput, DeleteSwotItemInput, UpdateSwotItemInput},
        types::SwotItem,
    },
    ids::{self, NodeType},
    payload,
};

payload!(
    CreateSwotItemPayload,
    swot_item,
    SwotItem,
    "The result of `createSwotItem`.",
    "The new SWOT item; null when there are user errors."
);

payload!(
    UpdateSwotItemPayload,
    swot_item,
    SwotItem,
    "The result of `updateSwotItem`.",
    "The SWOT item as changed; null when there are user errors."
);

payload!(
    DeleteSwotItemPayload,
    deleted_id,
    ID,
    "The result of `deleteSwotItem`.",
    "The global ID of the deleted SWOT item; null when there are user errors."
);

/// Mutations of the SWOT analysis.
#[derive(Default)]
pub struct SwotMutation;

#[Object]
impl SwotMutation {
    /// Adds an item to a plan's SWOT analysis (EDITOR or ADMIN); NOT_FOUND when the plan is not
    /// the tenant's.
    async fn create_swot_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new SWOT item.")] input: CreateSwotItemInput,
    ) -> Result<CreateSwotItemPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (created, user_errors) = into_payload(
            domain::strategy::swot::create(
                session(ctx)?,
                plan_id,
                input.quadrant,
                &input.statement,
                input.impact,
            )
            .await,
        )?;
        Ok(CreateSwotItemPayload {
            swot_item: created.map(SwotItem),
            user_errors,
        })
    }

    /// Changes a SWOT item (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_swot_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The SWOT item and the changes.")] input: UpdateSwotItemInput,
    ) -> Result<UpdateSwotItemPayload> {
        let id = ids::decode_as(&input.id, NodeType::SwotItem)?;
        let version = input.expected_version;
        let (updated, user_errors) = into_payload(
            domain::strategy::swot::update(session(ctx)?, id, version, input.into()).await,
        )?;
        Ok(UpdateSwotItemPayload {
            swot_item: updated.map(SwotItem),
            user_errors,
        })
    }

    /// Deletes a SWOT item (ADMIN).
    async fn delete_swot_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The SWOT item to delete.")] input: DeleteSwotItemInput,
    ) -> Result<DeleteSwotItemPayload> {
        let id = ids::decode_as(&input.id, NodeType::SwotItem)?;
        let (deleted, user_errors) =
            into_payload(domain::strategy::swot::delete(session(ctx)?, id).await)?;
        Ok(DeleteSwotItemPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::SwotItem, id)),
            user_errors,
        })
    }
}
