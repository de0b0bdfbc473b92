//! `createPestFactor`, `updatePestFactor`, `deletePestFactor`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::strategy::pest::{
            CreatePestFactorInput, DeletePestFactorInput, UpdatePestFactorInput,
        },
        types::PestFactor,
    },
    ids::{self, NodeType},
    payload,
};

payload!(
    CreatePestFactorPayload,
    pest_factor,
    PestFactor,
    "The result of `createPestFactor`.",
    "The new PEST factor; null when there are user errors."
);

payload!(
    UpdatePestFactorPayload,
    pest_factor,
    PestFactor,
    "The result of `updatePestFactor`.",
    "The PEST factor as changed; null when there are user errors."
);

payload!(
    DeletePestFactorPayload,
    deleted_id,
    ID,
    "The result of `deletePestFactor`.",
    "The global ID of the deleted PEST factor; null when there are user errors."
);

/// Mutations of the PEST analysis.
#[derive(Default)]
pub struct PestMutation;

#[Object]
impl PestMutation {
    /// Adds a factor to a plan's PEST analysis (EDITOR or ADMIN); NOT_FOUND when the plan is
    /// not the tenant's.
    async fn create_pest_factor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new PEST factor.")] input: CreatePestFactorInput,
    ) -> Result<CreatePestFactorPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (created, user_errors) = into_payload(
            domain::strategy::pest::create(session(ctx)?, input.into_new(plan_id)).await,
        )?;
        Ok(CreatePestFactorPayload {
            pest_factor: created.map(PestFactor),
            user_errors,
        })
    }

    /// Changes a PEST factor (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_pest_factor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The PEST factor and the changes.")] input: UpdatePestFactorInput,
    ) -> Result<UpdatePestFactorPayload> {
        let id = ids::decode_as(&input.id, NodeType::PestFactor)?;
        let version = input.expected_version;
        let (updated, user_errors) = into_payload(
            domain::strategy::pest::update(session(ctx)?, id, version, input.into()).await,
        )?;
        Ok(UpdatePestFactorPayload {
            pest_factor: updated.map(PestFactor),
            user_errors,
        })
    }

    /// Deletes a PEST factor (ADMIN).
    async fn delete_pest_factor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The PEST factor to delete.")] input: DeletePestFactorInput,
    ) -> Result<DeletePestFactorPayload> {
        let id = ids::decode_as(&input.id, NodeType::PestFactor)?;
        let (deleted, user_errors) =
            into_payload(domain::strategy::pest::delete(session(ctx)?, id).await)?;
        Ok(DeletePestFactorPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::PestFactor, id)),
            user_errors,
        })
    }
}
