//! `createAction`, `updateAction`, `deleteAction`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::campaign::action::{
            CreateActionInput, DeleteActionInput, UpdateActionInput, UpsertActionInput,
        },
        types::Action,
    },
    ids::{self, NodeType},
    payload, upsert_payload,
};

payload!(
    CreateActionPayload,
    action,
    Action,
    "The result of `createAction`.",
    "The new action; null when there are user errors."
);
payload!(
    UpdateActionPayload,
    action,
    Action,
    "The result of `updateAction`.",
    "The action as changed; null when there are user errors."
);
payload!(
    DeleteActionPayload,
    deleted_id,
    ID,
    "The result of `deleteAction`.",
    "The global ID of the deleted action; null when there are user errors."
);

upsert_payload!(
    UpsertActionPayload,
    action,
    Action,
    "The result of `upsertAction`.",
    "The action as created, changed or left; null when there are user errors."
);

/// Mutations of actions.
#[derive(Default)]
pub struct ActionMutation;

#[Object]
impl ActionMutation {
    /// Creates an action in a plan (EDITOR or ADMIN); NOT_FOUND when the plan is not the tenant's.
    async fn create_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new action.")] input: CreateActionInput,
    ) -> Result<CreateActionPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (created, user_errors) = into_payload(
            domain::campaign::action::create(session(ctx)?, input.into_new(plan_id)).await,
        )?;
        Ok(CreateActionPayload {
            action: created.map(Action),
            user_errors,
        })
    }

    /// Changes an action (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action and the changes.")] input: UpdateActionInput,
    ) -> Result<UpdateActionPayload> {
        let id = ids::decode_as(&input.id, NodeType::Action)?;
        let version = input.expected_version;
        let (updated, user_errors) = into_payload(
            domain::campaign::action::update(session(ctx)?, id, version, input.into()).await,
        )?;
        Ok(UpdateActionPayload {
            action: updated.map(Action),
            user_errors,
        })
    }

    /// Creates or changes the action with an external reference (EDITOR or ADMIN), in a plan
    /// named by ID or by reference: CREATED when no action has it, UPDATED when it differs
    /// from the document, UNCHANGED (nothing written) when it already is as given. The
    /// create's and the update's checks and user errors; CONFLICT when `expectedVersion` is
    /// stale.
    async fn upsert_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action's reference, plan and fields.")] input: UpsertActionInput,
    ) -> Result<UpsertActionPayload> {
        let plan = crate::graphql::inputs::external_ref::parent(
            input.plan_id.as_ref(),
            input.plan_ref,
            NodeType::Plan,
            "planId",
            "planRef",
        )?;
        let campaign_ref = input.campaign_ref.map(Into::into);
        // Boxed: an upsert holds both its create and its update, too large a future to keep
        // inline in the mutation root's (a debug build overflowed a worker's 2 MiB stack).
        let result = Box::pin(domain::campaign::action::upsert(
            session(ctx)?,
            input.external_ref.into(),
            input.expected_version,
            plan,
            campaign_ref,
            input.fields.into_new(uuid::Uuid::nil(), None),
        ))
        .await;
        let (done, user_errors) = into_payload(result)?;
        let (object, outcome) = done.unzip();
        Ok(UpsertActionPayload {
            action: object.map(Action),
            outcome: outcome.map(Into::into),
            user_errors,
        })
    }

    /// Deletes an action (ADMIN); its content items stay in the plan, detached from it.
    async fn delete_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action to delete.")] input: DeleteActionInput,
    ) -> Result<DeleteActionPayload> {
        let id = ids::decode_as(&input.id, NodeType::Action)?;
        let (deleted, user_errors) =
            into_payload(domain::campaign::action::delete(session(ctx)?, id).await)?;
        Ok(DeleteActionPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::Action, id)),
            user_errors,
        })
    }
}
