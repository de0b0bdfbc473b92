//! `createCampaign`, `updateCampaign`, `deleteCampaign`.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use entity::campaign;

use crate::{
    domain::{self, Session},
    error::ApiError,
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::campaign::{CreateCampaignInput, DeleteCampaignInput, UpdateCampaignInput},
        types::{Campaign, PlanWarning},
    },
    ids::{self, NodeType},
    payload,
};

/// The result of `createCampaign`.
#[derive(SimpleObject)]
pub struct CreateCampaignPayload {
    /// The new campaign; null when there are user errors.
    pub campaign: Option<Campaign>,
    /// The plan's budget warnings after the change (campaign budgets over the plan's budget
    /// are accepted and reported here); empty when there are user errors.
    pub warnings: Vec<PlanWarning>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// The result of `updateCampaign`.
#[derive(SimpleObject)]
pub struct UpdateCampaignPayload {
    /// The campaign as changed; null when there are user errors.
    pub campaign: Option<Campaign>,
    /// The plan's budget warnings after the change (campaign budgets over the plan's budget
    /// are accepted and reported here); empty when there are user errors.
    pub warnings: Vec<PlanWarning>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// The budget warnings of the plan of `campaign`, when there is one.
async fn warnings_of(
    session: &Session,
    campaign: Option<&campaign::Model>,
) -> Result<Vec<PlanWarning>> {
    let Some(campaign) = campaign else {
        return Ok(Vec::new());
    };
    let check = domain::plan::budget::of_plan(session, campaign.plan_id)
        .await
        .map_err(ApiError::from)?;
    Ok(check.warnings.into_iter().map(PlanWarning::from).collect())
}
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
        let session = session(ctx)?;
        let (created, user_errors) =
            into_payload(domain::campaign::create(session, input.into_new(plan_id)).await)?;
        Ok(CreateCampaignPayload {
            warnings: warnings_of(session, created.as_ref()).await?,
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
        let session = session(ctx)?;
        let (updated, user_errors) =
            into_payload(domain::campaign::update(session, id, version, input.into()).await)?;
        Ok(UpdateCampaignPayload {
            warnings: warnings_of(session, updated.as_ref()).await?,
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
