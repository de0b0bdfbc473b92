//! `createObjective`, `updateObjective`, `deleteObjective`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::plan::objective::{
            CreateObjectiveInput, DeleteObjectiveInput, UpdateObjectiveInput, UpsertObjectiveInput,
        },
        types::Objective,
    },
    ids::{self, NodeType},
    payload, upsert_payload,
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
upsert_payload!(
    UpsertObjectivePayload,
    objective,
    Objective,
    "The result of `upsertObjective`.",
    "The objective as created, changed or left; null when there are user errors."
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

    /// Creates or changes the objective with an external reference (EDITOR or ADMIN), in a
    /// plan named by ID or by reference: CREATED when no objective has it, UPDATED when it
    /// differs from the document, UNCHANGED (nothing written) when it already is as given. The
    /// create's and the update's checks and user errors; CONFLICT when `expectedVersion` is
    /// stale.
    async fn upsert_objective(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The objective's reference, plan and fields.")]
        input: UpsertObjectiveInput,
    ) -> Result<UpsertObjectivePayload> {
        let plan = crate::graphql::inputs::external_ref::parent(
            input.plan_id.as_ref(),
            input.plan_ref,
            NodeType::Plan,
            "planId",
            "planRef",
        )?;
        // Boxed: an upsert holds both its create and its update, too large a future to keep
        // inline in the mutation root's (a debug build overflowed a worker's 2 MiB stack).
        let result = Box::pin(domain::plan::objective::upsert(
            session(ctx)?,
            input.external_ref.into(),
            input.expected_version,
            plan,
            input.fields.into_new(uuid::Uuid::nil(), None),
        ))
        .await;
        let (done, user_errors) = into_payload(result)?;
        let (objective, outcome) = done.unzip();
        Ok(UpsertObjectivePayload {
            objective: objective.map(Objective),
            outcome: outcome.map(Into::into),
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
