//! `createObjective`, `updateObjective`, `deleteObjective`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::plan::objective::{
            CreateObjectiveInput, DeleteObjectiveInput, UpdateObjectiveInput,
        },
        types::Objective,
    },
    ids::{self, NodeType},
    payload,
};

payload!(
    CreateObjectivePayload,
    objective,
    Objective,
    "The result of `createObjective`.",
    "The new objective; null when there are user errors."
);
payload!(
    UpdateObjectivePayload,
    objective,
    Objective,
    "The result of `updateObjective`.",
    "The objective as changed; null when there are user errors."
);
payload!(
    DeleteObjectivePayload,
    deleted_id,
    ID,
    "The result of `deleteObjective`.",
    "The global ID of the deleted objective; null when there are user errors."
);

/// Mutations of objectives.
#[derive(Default)]
pub struct ObjectiveMutation;

#[Object]
impl ObjectiveMutation {
    /// Creates a objective in a plan (EDITOR or ADMIN); NOT_FOUND when the plan is not the tenant's.
    async fn create_objective(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new objective.")] input: CreateObjectiveInput,
    ) -> Result<CreateObjectivePayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (created, user_errors) = into_payload(
            domain::plan::objective::create(session(ctx)?, input.into_new(plan_id)).await,
        )?;
        Ok(CreateObjectivePayload {
            objective: created.map(Objective),
            user_errors,
        })
    }

    /// Changes a objective (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_objective(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The objective and the changes.")] input: UpdateObjectiveInput,
    ) -> Result<UpdateObjectivePayload> {
        let id = ids::decode_as(&input.id, NodeType::Objective)?;
        let version = input.expected_version;
        let (updated, user_errors) = into_payload(
            domain::plan::objective::update(session(ctx)?, id, version, input.into()).await,
        )?;
        Ok(UpdateObjectivePayload {
            objective: updated.map(Objective),
            user_errors,
        })
    }

    /// Deletes a objective (ADMIN).
    async fn delete_objective(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The objective to delete.")] input: DeleteObjectiveInput,
    ) -> Result<DeleteObjectivePayload> {
        let id = ids::decode_as(&input.id, NodeType::Objective)?;
        let (deleted, user_errors) =
            into_payload(domain::plan::objective::delete(session(ctx)?, id).await)?;
        Ok(DeleteObjectivePayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::Objective, id)),
            user_errors,
        })
    }
}
