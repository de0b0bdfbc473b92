//! Inputs of comment mutations.

use async_graphql::{ID, InputObject};

use crate::{
    domain::comment::{CommentEdit, CommentOn},
    error::ApiError,
    ids::{self, NodeType},
};

/// A new comment: a thread on a plan, campaign, action or objective, or a reply in a thread.
#[derive(Debug, InputObject)]
pub struct AddCommentInput {
    /// Global ID of the plan, campaign, action or objective to start a thread on, or of a
    /// comment to reply to (the reply joins that comment's thread).
    pub target_id: ID,
    /// The text (1 to 10,000 characters once trimmed). Every `@subject` in it is a mention.
    pub body: String,
    /// Subjects to mention besides those written `@subject` in the body (at most 50 mentions
    /// in all, each at most 255 characters).
    #[graphql(default)]
    pub mentions: Vec<String>,
}

impl AddCommentInput {
    /// What the comment is written on; NOT_FOUND for an ID of anything else.
    pub fn target(&self) -> Result<CommentOn, ApiError> {
        match ids::decode(&self.target_id) {
            Some((NodeType::Plan, id)) => Ok(CommentOn::Plan(id)),
            Some((NodeType::Campaign, id)) => Ok(CommentOn::Campaign(id)),
            Some((NodeType::Action, id)) => Ok(CommentOn::Action(id)),
            Some((NodeType::Objective, id)) => Ok(CommentOn::Objective(id)),
            Some((NodeType::Comment, id)) => Ok(CommentOn::Reply(id)),
            _ => Err(ApiError::not_found()),
        }
    }
}

/// A new text for one's own comment.
#[derive(Debug, InputObject)]
pub struct EditCommentInput {
    /// Global ID of the comment.
    pub id: ID,
    /// The version read; a stale one is refused with CONFLICT.
    pub expected_version: i32,
    /// The new text (1 to 10,000 characters once trimmed). Mentions are computed again from it.
    pub body: String,
    /// Subjects to mention besides those written `@subject` in the new text.
    #[graphql(default)]
    pub mentions: Vec<String>,
}

impl From<EditCommentInput> for CommentEdit {
    fn from(input: EditCommentInput) -> Self {
        Self {
            body: input.body,
            mentions: input.mentions,
        }
    }
}

/// A thread to resolve or reopen, through its first comment.
#[derive(Debug, InputObject)]
pub struct ResolveCommentThreadInput {
    /// Global ID of the thread's first comment.
    pub id: ID,
    /// The version of that comment read; a stale one is refused with CONFLICT.
    pub expected_version: i32,
}

/// A resolved thread to reopen, through its first comment.
#[derive(Debug, InputObject)]
pub struct ReopenCommentThreadInput {
    /// Global ID of the thread's first comment.
    pub id: ID,
    /// The version of that comment read; a stale one is refused with CONFLICT.
    pub expected_version: i32,
}

/// A comment to delete.
#[derive(Debug, InputObject)]
pub struct DeleteCommentInput {
    /// Global ID of the comment; a thread's first comment takes its replies with it.
    pub id: ID,
}
