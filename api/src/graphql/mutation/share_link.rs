//! `createShareLink`, `revokeShareLink`.

use async_graphql::{Context, Object, Result, SimpleObject};

use crate::{
    domain::{self, share_link::NewShareLink},
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::share_link::{CreateShareLinkInput, RevokeShareLinkInput},
        types::ShareLink,
    },
    ids::{self, NodeType},
    payload,
};

/// The result of `createShareLink`.
#[derive(SimpleObject)]
pub struct CreateShareLinkPayload {
    /// The new link; null when there are user errors.
    pub share_link: Option<ShareLink>,
    /// The link's secret (`lvs_…`): the document is at `/share/<secret>/document.md`, and
    /// `POST /share/token` exchanges it for a token. It is shown here once and never again:
    /// only a digest of it is stored.
    pub secret: Option<String>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

payload!(
    RevokeShareLinkPayload,
    share_link,
    ShareLink,
    "The result of `revokeShareLink`.",
    "The link, revoked; null when there are user errors."
);

/// Mutations of share links (EDITOR).
#[derive(Default)]
pub struct ShareLinkMutation;

#[Object]
impl ShareLinkMutation {
    /// Creates a read-only share link to one plan (EDITOR). The payload carries the secret,
    /// once. NOT_FOUND when the plan is not the tenant's.
    async fn create_share_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new share link.")] input: CreateShareLinkInput,
    ) -> Result<CreateShareLinkPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let new = NewShareLink {
            plan_id,
            label: input.label,
            scope: input.scope,
            expires_at: input.expires_at.0,
        };
        let (created, user_errors) =
            into_payload(domain::share_link::create(session(ctx)?, new).await)?;
        let (share_link, secret) = match created {
            Some(created) => (Some(ShareLink(created.link)), Some(created.secret)),
            None => (None, None),
        };
        Ok(CreateShareLinkPayload {
            share_link,
            secret,
            user_errors,
        })
    }

    /// Revokes a share link (EDITOR): it stops working at once, and so do the tokens it
    /// granted. Revoking a revoked link succeeds and keeps its first revocation time; NOT_FOUND
    /// when the link is not the tenant's.
    async fn revoke_share_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The share link to revoke.")] input: RevokeShareLinkInput,
    ) -> Result<RevokeShareLinkPayload> {
        let id = ids::decode_as(&input.id, NodeType::ShareLink)?;
        let (revoked, user_errors) =
            into_payload(domain::share_link::revoke(session(ctx)?, id).await)?;
        Ok(RevokeShareLinkPayload {
            share_link: revoked.map(ShareLink),
            user_errors,
        })
    }
}
