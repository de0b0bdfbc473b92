//! `Comment`: a comment in a thread on a plan, campaign, action or objective; and the fields
//! every commented object shares (`comments`, `commentCount`), an object of their own that
//! `Plan`, `Campaign`, `Action` and `Objective` flatten.

use std::str::FromStr;

use async_graphql::{Context, ID, Object, Result};
use entity::comment::{self, CommentTarget};
use uuid::Uuid;

use crate::{
    auth, connection, connection_fields,
    error::ApiError,
    graphql::{
        context::loaders,
        node::Node,
        scalars::DateTime,
        types::{Action, Campaign, Objective, Plan, Role},
    },
    ids::{self, NodeType},
    store::page::Page,
};

/// A comment: the first of a thread on a plan, campaign, action or objective, or a reply in
/// one. Mentions are kept as data for clients to notify.
#[derive(Debug, Clone)]
pub struct Comment(pub comment::Model);

connection!(
    CommentConnection,
    CommentEdge,
    Comment,
    comment::Model,
    "A page of comments.",
    "A comment in a page of comments."
);

impl Comment {
    /// The thread's first comment: this one, or the one a reply's thread starts with.
    async fn root(&self, ctx: &Context<'_>) -> Result<Option<comment::Model>> {
        match self.0.thread_id {
            None => Ok(Some(self.0.clone())),
            Some(root) => Ok(loaders(ctx)?.comment.load_one(root).await?),
        }
    }
}

/// A comment: the first of a thread on a plan, campaign, action or objective, or a reply in
/// one. Mentions are kept as data for clients to notify.
#[Object]
impl Comment {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Comment, self.0.id)
    }

    /// The plan, campaign, action or objective the thread discusses.
    async fn target(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        let Some(id) = self.0.target_id() else {
            return Ok(None);
        };
        let loaders = loaders(ctx)?;
        Ok(match self.0.target_type {
            CommentTarget::Plan => loaders
                .plan
                .load_one(id)
                .await?
                .map(|row| Node::Plan(Plan(row))),
            CommentTarget::Campaign => loaders
                .campaign
                .load_one(id)
                .await?
                .map(|row| Node::Campaign(Campaign::from(row))),
            CommentTarget::Action => loaders
                .action
                .load_one(id)
                .await?
                .map(|row| Node::Action(Action(row))),
            CommentTarget::Objective => loaders
                .objective
                .load_one(id)
                .await?
                .map(|row| Node::Objective(Objective(row))),
        })
    }

    /// Global ID of the plan, campaign, action or objective the thread discusses.
    async fn target_id(&self) -> Result<ID> {
        let node_type = match self.0.target_type {
            CommentTarget::Plan => NodeType::Plan,
            CommentTarget::Campaign => NodeType::Campaign,
            CommentTarget::Action => NodeType::Action,
            CommentTarget::Objective => NodeType::Objective,
        };
        let id = self
            .0
            .target_id()
            .ok_or_else(|| ApiError::internal(&"a comment's target column is empty"))?;
        Ok(ids::encode(node_type, id))
    }

    /// The author's subject (the `sub` of their token).
    async fn author(&self) -> &str {
        &self.0.author_subject
    }

    /// The author's role in the tenant when they wrote the comment.
    async fn author_role(&self) -> Role {
        auth::Role::from_str(&self.0.author_role)
            .map(Role::from)
            .unwrap_or(Role::Viewer)
    }

    /// The text.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// The subjects the comment mentions, for clients to notify: those written `@subject` in
    /// the body, then those the author listed in `mentions`, without repeats.
    async fn mentions(&self) -> &[String] {
        &self.0.mentions.0
    }

    /// When the comment was written.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the comment last changed (an edit, or for a thread's first comment its
    /// resolution).
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }

    /// When the author last edited the text; null when never edited.
    async fn edited_at(&self) -> Option<DateTime> {
        self.0.edited_at.map(DateTime)
    }

    /// True when the comment is a reply in a thread, false when it starts one.
    async fn is_reply(&self) -> bool {
        self.0.thread_id.is_some()
    }

    /// The comment the thread starts with; null when this comment is the one.
    async fn thread(&self, ctx: &Context<'_>) -> Result<Option<Comment>> {
        match self.0.thread_id {
            None => Ok(None),
            Some(root) => Ok(loaders(ctx)?.comment.load_one(root).await?.map(Comment)),
        }
    }

    /// The comment this reply answers; null for a thread's first comment, or when that
    /// comment was deleted.
    async fn in_reply_to(&self, ctx: &Context<'_>) -> Result<Option<Comment>> {
        match self.0.parent_id {
            None => Ok(None),
            Some(parent) => Ok(loaders(ctx)?.comment.load_one(parent).await?.map(Comment)),
        }
    }

    /// True when the thread (this comment's, for a reply) is resolved.
    async fn resolved(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(self
            .root(ctx)
            .await?
            .is_some_and(|root| root.resolved_at.is_some()))
    }

    /// Who resolved the thread (a subject); null while it is open.
    async fn resolved_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(self.root(ctx).await?.and_then(|root| root.resolved_by))
    }

    /// When the thread was resolved; null while it is open.
    async fn resolved_at(&self, ctx: &Context<'_>) -> Result<Option<DateTime>> {
        Ok(self
            .root(ctx)
            .await?
            .and_then(|root| root.resolved_at)
            .map(DateTime))
    }

    /// Version, incremented by every edit (and, on a thread's first comment, by resolving and
    /// reopening); pass it as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The thread's replies: `replies`.
    #[graphql(flatten)]
    async fn lists(&self) -> CommentReplyLists {
        CommentReplyLists(self.0.thread_id.is_none().then_some(self.0.id))
    }
}

/// The replies of the thread starting with this comment (`None` for a reply, which has none).
pub struct CommentReplyLists(pub Option<Uuid>);

connection_fields! {
    impl CommentReplyLists {
        /// The replies of the thread this comment starts, oldest first; empty for a reply.
        async fn replies(&self, ctx: &Context<'_>, page: PageArgs) -> Result<CommentConnection> {
            let request = page.into_request()?;
            let Some(thread) = self.0 else {
                return Ok(CommentConnection::new(Page::empty(&request), 0));
            };
            let loaders = loaders(ctx)?;
            let (page, total) = futures::try_join!(
                loaders.comment_replies.load_one((thread, request)),
                loaders.comment_reply_counts.load_one(thread)
            )?;
            let page = page.unwrap_or_else(|| Page::empty(&request));
            Ok(CommentConnection::new(page, total.unwrap_or(0)))
        }
    }
}

/// What every commented object shows of its comments: `commentCount` and `comments`.
pub struct Commented(pub CommentTarget, pub Uuid);

/// What every commented object shows of its comments.
#[Object]
impl Commented {
    /// How many open (unresolved) comment threads the object has.
    async fn comment_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let count = loaders(ctx)?
            .comment_thread_counts
            .load_one((self.0, self.1, false))
            .await?
            .unwrap_or(0);
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }

    /// The object's comment threads: `comments`.
    #[graphql(flatten)]
    async fn lists(&self) -> CommentLists {
        CommentLists(self.0, self.1)
    }
}

/// The comment threads of one object.
pub struct CommentLists(pub CommentTarget, pub Uuid);

connection_fields! {
    impl CommentLists {
        /// The object's comment threads, each as its first comment (read `replies` for the
        /// rest), oldest first; open threads only unless `includeResolved`.
        async fn comments(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(
                default = false,
                desc = "Also list resolved threads (false: open threads only)."
            )]
            include_resolved: bool,
        ) -> Result<CommentConnection> {
            let request = page.into_request()?;
            let loaders = loaders(ctx)?;
            let (page, total) = futures::try_join!(
                loaders
                    .comment_threads
                    .load_one((self.0, self.1, request, include_resolved)),
                loaders
                    .comment_thread_counts
                    .load_one((self.0, self.1, include_resolved))
            )?;
            let page = page.unwrap_or_else(|| Page::empty(&request));
            Ok(CommentConnection::new(page, total.unwrap_or(0)))
        }
    }
}
