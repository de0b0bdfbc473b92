//! `createCampaign`, `updateCampaign`, `deleteCampaign`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        ids::{self, NodeType},
        inputs::campaign::{CreateCampaignInput, DeleteCampaignInput, UpdateCampaignInput},
        types::Campaign,
    },
    payload,
};

payload!(
    CreateCampaignPayload,
    campaign,
    Campaign,
    "The result of `createCampaign`.",
    "The new campaign; null when there are user errors."
);
payload!(
    UpdateCampaignPayload,
    campaign,
    Campaign,
    "The result of `updateCampaign`.",
    "The campaign as changed; null when there are user errors."
);
payload!(
    DeleteCampaignPayload,
    deleted_id,
    ID,
    "The result of `deleteCampaign`.",
    "The global ID of the deleted campaign; null when there are user errors."
);

/// Mutations of campaigns.
#[derive(Default)]
pub struct CampaignMutation;

#[Object]
impl CampaignMutation {
    /// Creates a campaign in a plan (EDITOR or ADMIN); NOT_FOUND when the plan is not the tenant's.
    async fn create_campaign(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new campaign.")] input: CreateCampaignInput,
    ) -> Result<CreateCampaignPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (created, user_errors) =
            into_payload(domain::campaign::create(session(ctx)?, input.into_new(plan_id)).await)?;
        Ok(CreateCampaignPayload {
            campaign: created.map(Campaign),
            user_errors,
        })
    }

    /// Changes a campaign (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_campaign(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The campaign and the changes.")] input: UpdateCampaignInput,
    ) -> Result<UpdateCampaignPayload> {
        let id = ids::decode_as(&input.id, NodeType::Campaign)?;
        let version = input.expected_version;
        let (updated, user_errors) =
            into_payload(domain::campaign::update(session(ctx)?, id, version, input.into()).await)?;
        Ok(UpdateCampaignPayload {
            campaign: updated.map(Campaign),
            user_errors,
        })
    }

    /// Deletes a campaign (ADMIN).
    async fn delete_campaign(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The campaign to delete.")] input: DeleteCampaignInput,
    ) -> Result<DeleteCampaignPayload> {
        let id = ids::decode_as(&input.id, NodeType::Campaign)?;
        let (deleted, user_errors) =
            into_payload(domain::campaign::delete(session(ctx)?, id).await)?;
        Ok(DeleteCampaignPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::Campaign, id)),
            user_errors,
        })
    }
}
