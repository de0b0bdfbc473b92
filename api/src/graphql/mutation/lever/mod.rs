//! `createLeverAllocation`, `updateLeverAllocation`, `deleteLeverAllocation`.

pub mod interaction;

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::lever::{
            CreateLeverAllocationInput, DeleteLeverAllocationInput, UpdateLeverAllocationInput,
            UpsertLeverAllocationInput,
        },
        types::{LeverAllocation, PlanWarning},
    },
    ids::{self, NodeType},
    payload, upsert_payload,
};

/// The result of `createLeverAllocation`.
#[derive(SimpleObject)]
pub struct CreateLeverAllocationPayload {
    /// The new allocation; null when there are user errors.
    pub lever_allocation: Option<LeverAllocation>,
    /// The plan's budget warnings after the change (allocations over the plan's budget are
    /// accepted and reported here); empty when there are user errors.
    pub warnings: Vec<PlanWarning>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// The result of `updateLeverAllocation`.
#[derive(SimpleObject)]
pub struct UpdateLeverAllocationPayload {
    /// The allocation as changed; null when there are user errors.
    pub lever_allocation: Option<LeverAllocation>,
    /// The plan's budget warnings after the change (allocations over the plan's budget are
    /// accepted and reported here); empty when there are user errors.
    pub warnings: Vec<PlanWarning>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

payload!(
    DeleteLeverAllocationPayload,
    deleted_id,
    ID,
    "The result of `deleteLeverAllocation`.",
    "The global ID of the deleted allocation; null when there are user errors."
);

upsert_payload!(
    UpsertLeverAllocationPayload,
    lever_allocation,
    LeverAllocation,
    "The result of `upsertLeverAllocation`.",
    "The lever allocation as created, changed or left; null when there are user errors."
);

/// Mutations of lever allocations.
#[derive(Default)]
pub struct LeverMutation;

#[Object]
impl LeverMutation {
    /// Allocates budget and a priority to a lever of a plan (EDITOR or ADMIN); NOT_FOUND when
    /// the plan is not the tenant's.
    async fn create_lever_allocation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new allocation.")] input: CreateLeverAllocationInput,
    ) -> Result<CreateLeverAllocationPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (created, user_errors) =
            into_payload(domain::lever::create(session(ctx)?, input.into_new(plan_id)).await)?;
        let (allocation, warnings) = created.unzip();
        Ok(CreateLeverAllocationPayload {
            lever_allocation: allocation.map(LeverAllocation),
            warnings: PlanWarning::all_of(warnings),
            user_errors,
        })
    }

    /// Changes a lever allocation (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_lever_allocation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The allocation and the changes.")] input: UpdateLeverAllocationInput,
    ) -> Result<UpdateLeverAllocationPayload> {
        let id = ids::decode_as(&input.id, NodeType::LeverAllocation)?;
        let version = input.expected_version;
        let (updated, user_errors) =
            into_payload(domain::lever::update(session(ctx)?, id, version, input.into()).await)?;
        let (allocation, warnings) = updated.unzip();
        Ok(UpdateLeverAllocationPayload {
            lever_allocation: allocation.map(LeverAllocation),
            warnings: PlanWarning::all_of(warnings),
            user_errors,
        })
    }

    /// Creates or changes the lever allocation with an external reference (EDITOR or ADMIN), in a plan
    /// named by ID or by reference: CREATED when no lever allocation has it, UPDATED when it differs
    /// from the document, UNCHANGED (nothing written) when it already is as given. The
    /// create's and the update's checks and user errors; CONFLICT when `expectedVersion` is
    /// stale.
    async fn upsert_lever_allocation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The lever allocation's reference, plan and fields.")]
        input: UpsertLeverAllocationInput,
    ) -> Result<UpsertLeverAllocationPayload> {
        let plan = crate::graphql::inputs::external_ref::parent(
            input.plan_id.as_ref(),
            input.plan_ref,
            NodeType::Plan,
            "planId",
            "planRef",
        )?;
        // Boxed: an upsert holds both its create and its update, too large a future to keep
        // inline in the mutation root's (a debug build overflowed a worker's 2 MiB stack).
        let result = Box::pin(domain::lever::upsert(
            session(ctx)?,
            input.external_ref.into(),
            input.expected_version,
            plan,
            input.fields.into_new(uuid::Uuid::nil(), None),
        ))
        .await;
        let (done, user_errors) = into_payload(result)?;
        let (object, outcome) = done.unzip();
        Ok(UpsertLeverAllocationPayload {
            lever_allocation: object.map(LeverAllocation),
            outcome: outcome.map(Into::into),
            user_errors,
        })
    }

    /// Deletes a lever allocation (ADMIN).
    async fn delete_lever_allocation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The allocation to delete.")] input: DeleteLeverAllocationInput,
    ) -> Result<DeleteLeverAllocationPayload> {
        let id = ids::decode_as(&input.id, NodeType::LeverAllocation)?;
        let (deleted, user_errors) = into_payload(domain::lever::delete(session(ctx)?, id).await)?;
        Ok(DeleteLeverAllocationPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::LeverAllocation, id)),
            user_errors,
        })
    }
}
