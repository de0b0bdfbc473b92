//! `createPlan`, `updatePlan`, `deletePlan`.

pub mod arbitrage;
pub mod copy;
pub mod objective;
pub mod review;
pub mod scenario;

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::plan::{CreatePlanInput, DeletePlanInput, UpdatePlanInput, UpsertPlanInput},
        types::Plan,
    },
    ids::{self, NodeType},
    payload, upsert_payload,
};

payload!(
    CreatePlanPayload,
    plan,
    Plan,
    "The result of `createPlan`.",
    "The new plan; null when there are user errors."
);
payload!(
    UpdatePlanPayload,
    plan,
    Plan,
    "The result of `updatePlan`.",
    "The plan as changed; null when there are user errors."
);
upsert_payload!(
    UpsertPlanPayload,
    plan,
    Plan,
    "The result of `upsertPlan`.",
    "The plan as created, changed or left; null when there are user errors."
);
payload!(
    DeletePlanPayload,
    deleted_id,
    ID,
    "The result of `deletePlan`.",
    "The global ID of the deleted plan; null when there are user errors."
);

/// Mutations of plans.
#[derive(Default)]
pub struct PlanMutation;

#[Object]
impl PlanMutation {
    /// Creates a plan (EDITOR or ADMIN).
    async fn create_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new plan.")] input: CreatePlanInput,
    ) -> Result<CreatePlanPayload> {
        let (plan, user_errors) =
            into_payload(domain::plan::create(session(ctx)?, input.into()).await)?;
        Ok(CreatePlanPayload {
            plan: plan.map(Plan),
            user_errors,
        })
    }

    /// Changes a plan (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan and the changes.")] input: UpdatePlanInput,
    ) -> Result<UpdatePlanPayload> {
        let id = ids::decode_as(&input.id, NodeType::Plan)?;
        let version = input.expected_version;
        let (plan, user_errors) =
            into_payload(domain::plan::update(session(ctx)?, id, version, input.into()).await)?;
        Ok(UpdatePlanPayload {
            plan: plan.map(Plan),
            user_errors,
        })
    }

    /// Creates or changes the plan with an external reference (EDITOR or ADMIN): CREATED when
    /// no plan has it, UPDATED when the plan differs from the document, UNCHANGED (nothing
    /// written) when it already is as given. The create's and the update's checks and user
    /// errors; CONFLICT when `expectedVersion` is stale.
    async fn upsert_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan's reference and fields.")] input: UpsertPlanInput,
    ) -> Result<UpsertPlanPayload> {
        // Boxed: an upsert holds both its create and its update, too large a future to keep
        // inline in the mutation root's (a debug build overflowed a worker's 2 MiB stack).
        let result = Box::pin(domain::plan::upsert(
            session(ctx)?,
            input.external_ref.into(),
            input.expected_version,
            input.fields.into_new(None),
        ))
        .await;
        let (done, user_errors) = into_payload(result)?;
        let (plan, outcome) = done.unzip();
        Ok(UpsertPlanPayload {
            plan: plan.map(Plan),
            outcome: outcome.map(Into::into),
            user_errors,
        })
    }

    /// Deletes a plan with its campaigns and objectives (ADMIN).
    async fn delete_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan to delete.")] input: DeletePlanInput,
    ) -> Result<DeletePlanPayload> {
        let id = ids::decode_as(&input.id, NodeType::Plan)?;
        let (deleted, user_errors) = into_payload(domain::plan::delete(session(ctx)?, id).await)?;
        Ok(DeletePlanPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::Plan, id)),
            user_errors,
        })
    }
}
