//! `createContentItem`, `updateContentItem`, `deleteContentItem`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::campaign::content::{
            CreateContentItemInput, DeleteContentItemInput, UpdateContentItemInput,
            UpsertContentItemInput,
        },
        types::ContentItem,
    },
    ids::{self, NodeType},
    payload, upsert_payload,
};

payload!(
    CreateContentItemPayload,
    content_item,
    ContentItem,
    "The result of `createContentItem`.",
    "The new content item; null when there are user errors."
);
payload!(
    UpdateContentItemPayload,
    content_item,
    ContentItem,
    "The result of `updateContentItem`.",
    "The content item as changed; null when there are user errors."
);
payload!(
    DeleteContentItemPayload,
    deleted_id,
    ID,
    "The result of `deleteContentItem`.",
    "The global ID of the deleted content item; null when there are user errors."
);

upsert_payload!(
    UpsertContentItemPayload,
    content_item,
    ContentItem,
    "The result of `upsertContentItem`.",
    "The content item as created, changed or left; null when there are user errors."
);

/// Mutations of the content plan.
#[derive(Default)]
pub struct ContentMutation;

#[Object]
impl ContentMutation {
    /// Adds a content item to a plan's content plan (EDITOR or ADMIN); NOT_FOUND when the plan is
    /// not the tenant's.
    async fn create_content_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new content item.")] input: CreateContentItemInput,
    ) -> Result<CreateContentItemPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (created, user_errors) = into_payload(
            domain::campaign::content::create(session(ctx)?, input.into_new(plan_id)).await,
        )?;
        Ok(CreateContentItemPayload {
            content_item: created.map(ContentItem),
            user_errors,
        })
    }

    /// Changes a content item (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_content_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The content item and the changes.")] input: UpdateContentItemInput,
    ) -> Result<UpdateContentItemPayload> {
        let id = ids::decode_as(&input.id, NodeType::ContentItem)?;
        let version = input.expected_version;
        let (updated, user_errors) = into_payload(
            domain::campaign::content::update(session(ctx)?, id, version, input.into()).await,
        )?;
        Ok(UpdateContentItemPayload {
            content_item: updated.map(ContentItem),
            user_errors,
        })
    }

    /// Creates or changes the content item with an external reference (EDITOR or ADMIN), in a plan
    /// named by ID or by reference: CREATED when no content item has it, UPDATED when it differs
    /// from the document, UNCHANGED (nothing written) when it already is as given. The
    /// create's and the update's checks and user errors; CONFLICT when `expectedVersion` is
    /// stale.
    async fn upsert_content_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The content item's reference, plan and fields.")]
        input: UpsertContentItemInput,
    ) -> Result<UpsertContentItemPayload> {
        let plan = crate::graphql::inputs::external_ref::parent(
            input.plan_id.as_ref(),
            input.plan_ref,
            NodeType::Plan,
            "planId",
            "planRef",
        )?;
        // Boxed: an upsert holds both its create and its update, too large a future to keep
        // inline in the mutation root's (a debug build overflowed a worker's 2 MiB stack).
        let result = Box::pin(domain::campaign::content::upsert(
            session(ctx)?,
            input.external_ref.into(),
            input.expected_version,
            plan,
            input.fields.into_new(uuid::Uuid::nil(), None),
        ))
        .await;
        let (done, user_errors) = into_payload(result)?;
        let (object, outcome) = done.unzip();
        Ok(UpsertContentItemPayload {
            content_item: object.map(ContentItem),
            outcome: outcome.map(Into::into),
            user_errors,
        })
    }

    /// Deletes a content item (ADMIN).
    async fn delete_content_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The content item to delete.")] input: DeleteContentItemInput,
    ) -> Result<DeleteContentItemPayload> {
        let id = ids::decode_as(&input.id, NodeType::ContentItem)?;
        let (deleted, user_errors) =
            into_payload(domain::campaign::content::delete(session(ctx)?, id).await)?;
        Ok(DeleteContentItemPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::ContentItem, id)),
            user_errors,
        })
    }
}
