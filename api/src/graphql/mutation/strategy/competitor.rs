//! `createCompetitor`, `updateCompetitor`, `deleteCompetitor`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::strategy::competitor::{
            CreateCompetitorInput, DeleteCompetitorInput, UpdateCompetitorInput,
        },
        types::Competitor,
    },
    ids::{self, NodeType},
    payload,
};

payload!(
    CreateCompetitorPayload,
    competitor,
    Competitor,
    "The result of `createCompetitor`.",
    "The new competitor; null when there are user errors."
);

payload!(
    UpdateCompetitorPayload,
    competitor,
    Competitor,
    "The result of `updateCompetitor`.",
    "The competitor as changed; null when there are user errors."
);

payload!(
    DeleteCompetitorPayload,
    deleted_id,
    ID,
    "The result of `deleteCompetitor`.",
    "The global ID of the deleted competitor; null when there are user errors."
);

/// Mutations of the competitors.
#[derive(Default)]
pub struct CompetitorMutation;

#[Object]
impl CompetitorMutation {
    /// Adds a competitor to a plan's market analysis (EDITOR or ADMIN); NOT_FOUND when the
    /// plan is not the tenant's.
    async fn create_competitor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new competitor.")] input: CreateCompetitorInput,
    ) -> Result<CreateCompetitorPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (name, profile) = input.into_profile();
        let (created, user_errors) = into_payload(
            domain::strategy::competitor::create(session(ctx)?, plan_id, name, profile).await,
        )?;
        Ok(CreateCompetitorPayload {
            competitor: created.map(Competitor),
            user_errors,
        })
    }

    /// Changes a competitor (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_competitor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The competitor and the changes.")] input: UpdateCompetitorInput,
    ) -> Result<UpdateCompetitorPayload> {
        let id = ids::decode_as(&input.id, NodeType::Competitor)?;
        let version = input.expected_version;
        let (updated, user_errors) = into_payload(
            domain::strategy::competitor::update(session(ctx)?, id, version, input.into()).await,
        )?;
        Ok(UpdateCompetitorPayload {
            competitor: updated.map(Competitor),
            user_errors,
        })
    }

    /// Deletes a competitor (ADMIN).
    async fn delete_competitor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The competitor to delete.")] input: DeleteCompetitorInput,
    ) -> Result<DeleteCompetitorPayload> {
        let id = ids::decode_as(&input.id, NodeType::Competitor)?;
        let (deleted, user_errors) =
            into_payload(domain::strategy::competitor::delete(session(ctx)?, id).await)?;
        Ok(DeleteCompetitorPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::Competitor, id)),
            user_errors,
        })
    }
}
