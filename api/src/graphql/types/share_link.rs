//! `ShareLink`: read-only access to one plan for whoever holds the link, seen by editors without
//! its secret.

use async_graphql::{Context, ID, Object, Result};
use entity::share_link::{self, ShareLinkScope};

use crate::{
    graphql::{context::loaders, scalars::DateTime, types::Plan},
    ids::{self, NodeType},
};

/// A link that opens one plan, read-only, to whoever holds it, until it expires or is revoked:
/// its document at `GET /share/{secret}/document.md`, its GraphQL graph with the secret as a
/// bearer credential or a token from `POST /share/token`. Its secret is shown once, when it is
/// created; only its prefix is shown afterwards.
#[derive(Debug, Clone)]
pub struct ShareLink(pub share_link::Model);

/// A link that opens one plan, read-only, to whoever holds it, until it expires or is revoked:
/// its document at `GET /share/{secret}/document.md`, its GraphQL graph with the secret as a
/// bearer credential or a token from `POST /share/token`. Its secret is shown once, when it is
/// created; only its prefix is shown afterwards.
#[Object]
impl ShareLink {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::ShareLink, self.0.id)
    }

    /// The plan the link opens.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Option<Plan>> {
        Ok(loaders(ctx)?.plan.load_one(self.0.plan_id).await?.map(Plan))
    }

    /// Whom the link is for.
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// What the link opens.
    async fn scope(&self) -> ShareLinkScope {
        self.0.scope
    }

    /// The first characters of the secret after `lvs_`, to recognise the link; not secret.
    async fn prefix(&self) -> &str {
        &self.0.prefix
    }

    /// The subject of the editor who created the link.
    async fn created_by(&self) -> &str {
        &self.0.created_by
    }

    /// When the link was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the link last opened something (recorded at most once a minute); null if never.
    async fn last_used_at(&self) -> Option<DateTime> {
        self.0.last_used_at.map(DateTime)
    }

    /// When the link stops working, and every token it granted with it.
    async fn expires_at(&self) -> DateTime {
        DateTime(self.0.expires_at)
    }

    /// When the link was revoked; null while it is active. A revoked link, and every token it
    /// granted, no longer works.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(DateTime)
    }

    /// Optimistic-concurrency version.
    async fn version(&self) -> i32 {
        self.0.version
    }
}
