//! `createCampaign`, `updateCampaign`, `deleteCampaign`.

pub mod action;
pub mod content;

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::campaign::{
            CreateCampaignInput, DeleteCampaignInput, UpdateCampaignInput, UpsertCampaignInput,
        },
        types::{Campaign, PlanWarning},
    },
    ids::{self, NodeType},
    payload, upsert_payload,
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

payload!(
    DeleteCampaignPayload,
    deleted_id,
    ID,
    "The result of `deleteCampaign`.",
    "The global ID of the deleted campaign; null when there are user errors."
);

upsert_payload!(
    UpsertCampaignPayload,
    campaign,
    Campaign,
    "The result of `upsertCampaign`.",
    "The campaign as created, changed or left; null when there are user errors."
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
        let (campaign, warnings) = created.unzip();
        Ok(CreateCampaignPayload {
            campaign: campaign.map(Campaign::from),
            warnings: PlanWarning::all_of(warnings),
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
        let (campaign, warnings) = updated.unzip();
        Ok(UpdateCampaignPayload {
            campaign: campaign.map(Campaign::from),
            warnings: PlanWarning::all_of(warnings),
            user_errors,
        })
    }

    /// Creates or changes the campaign with an external reference (EDITOR or ADMIN), in a plan
    /// named by ID or by reference: CREATED when no campaign has it, UPDATED when it differs
    /// from the document, UNCHANGED (nothing written) when it already is as given. The
    /// create's and the update's checks and user errors; CONFLICT when `expectedVersion` is
    /// stale.
    async fn upsert_campaign(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The campaign's reference, plan and fields.")] input: UpsertCampaignInput,
    ) -> Result<UpsertCampaignPayload> {
        let plan = crate::graphql::inputs::external_ref::parent(
            input.plan_id.as_ref(),
            input.plan_ref,
            NodeType::Plan,
            "planId",
            "planRef",
        )?;
        // Boxed: an upsert holds both its create and its update, too large a future to keep
        // inline in the mutation root's (a debug build overflowed a worker's 2 MiB stack).
        let result = Box::pin(domain::campaign::upsert(
            session(ctx)?,
            input.external_ref.into(),
            input.expected_version,
            plan,
            input.fields.into_new(uuid::Uuid::nil(), None),
        ))
        .await;
        let (done, user_errors) = into_payload(result)?;
        let (object, outcome) = done.unzip();
        Ok(UpsertCampaignPayload {
            campaign: object.map(Campaign::from),
            outcome: outcome.map(Into::into),
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
