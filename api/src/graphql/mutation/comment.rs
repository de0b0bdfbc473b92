//! `addComment`, `editComment`, `resolveCommentThread`, `reopenCommentThread`, `deleteComment`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain::{self, comment::NewComment},
    graphql::{
        context::session,
        errors::into_payload,
        inputs::comment::{
            AddCommentInput, DeleteCommentInput, EditCommentInput, ReopenCommentThreadInput,
            ResolveCommentThreadInput,
        },
        types::Comment,
    },
    ids::{self, NodeType},
    payload,
};

payload!(
    AddCommentPayload,
    comment,
    Comment,
    "The result of `addComment`.",
    "The new comment; null when there are user errors."
);
payload!(
    EditCommentPayload,
    comment,
    Comment,
    "The result of `editComment`.",
    "The comment as edited; null when there are user errors."
);
payload!(
    ResolveCommentThreadPayload,
    comment,
    Comment,
    "The result of `resolveCommentThread`.",
    "The thread's first comment, resolved; null when there are user errors."
);
payload!(
    ReopenCommentThreadPayload,
    comment,
    Comment,
    "The result of `reopenCommentThread`.",
    "The thread's first comment, open again; null when there are user errors."
);
payload!(
    DeleteCommentPayload,
    deleted_id,
    ID,
    "The result of `deleteComment`.",
    "The global ID of the deleted comment; null when there are user errors."
);

/// Mutations of comments.
#[derive(Default)]
pub struct CommentMutation;

#[Object]
impl CommentMutation {
    /// Writes a comment (VIEWER, EDITOR or ADMIN; no API key): starts a thread on a plan,
    /// campaign, action or objective, or replies in the thread of a comment. NOT_FOUND when
    /// the target is not the tenant's.
    async fn add_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new comment.")] input: AddCommentInput,
    ) -> Result<AddCommentPayload> {
        let on = input.target()?;
        let new = NewComment {
            on,
            body: input.body,
            mentions: input.mentions,
        };
        let (created, user_errors) = into_payload(domain::comment::add(session(ctx)?, new).await)?;
        Ok(AddCommentPayload {
            comment: created.map(Comment),
            user_errors,
        })
    }

    /// Changes the text of a comment; only its author may (FORBIDDEN for anyone else).
    /// CONFLICT when `expectedVersion` is stale.
    async fn edit_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comment and its new text.")] input: EditCommentInput,
    ) -> Result<EditCommentPayload> {
        let id = ids::decode_as(&input.id, NodeType::Comment)?;
        let version = input.expected_version;
        let (edited, user_errors) =
            into_payload(domain::comment::edit(session(ctx)?, id, version, input.into()).await)?;
        Ok(EditCommentPayload {
            comment: edited.map(Comment),
            user_errors,
        })
    }

    /// Resolves the thread a comment starts (whoever may comment). CONFLICT when
    /// `expectedVersion` is stale.
    async fn resolve_comment_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The thread's first comment.")] input: ResolveCommentThreadInput,
    ) -> Result<ResolveCommentThreadPayload> {
        let id = ids::decode_as(&input.id, NodeType::Comment)?;
        let (changed, user_errors) = into_payload(
            domain::comment::set_resolved(session(ctx)?, id, input.expected_version, true).await,
        )?;
        Ok(ResolveCommentThreadPayload {
            comment: changed.map(Comment),
            user_errors,
        })
    }

    /// Reopens a resolved thread (whoever may comment). CONFLICT when `expectedVersion` is
    /// stale.
    async fn reopen_comment_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The thread's first comment.")] input: ReopenCommentThreadInput,
    ) -> Result<ReopenCommentThreadPayload> {
        let id = ids::decode_as(&input.id, NodeType::Comment)?;
        let (changed, user_errors) = into_payload(
            domain::comment::set_resolved(session(ctx)?, id, input.expected_version, false).await,
        )?;
        Ok(ReopenCommentThreadPayload {
            comment: changed.map(Comment),
            user_errors,
        })
    }

    /// Deletes a comment, with its replies when it starts a thread: its author may, and an
    /// ADMIN may delete anyone's (FORBIDDEN for anyone else).
    async fn delete_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comment to delete.")] input: DeleteCommentInput,
    ) -> Result<DeleteCommentPayload> {
        let id = ids::decode_as(&input.id, NodeType::Comment)?;
        let (deleted, user_errors) =
            into_payload(domain::comment::delete(session(ctx)?, id).await)?;
        Ok(DeleteCommentPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::Comment, id)),
            user_errors,
        })
    }
}
