//! `createApiKey`, `revokeApiKey`.

use async_graphql::{Context, Object, Result, SimpleObject};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::api_key::{CreateApiKeyInput, RevokeApiKeyInput},
        types::ApiKey,
    },
    ids::{self, NodeType},
    payload,
};

/// The result of `createApiKey`.
#[derive(SimpleObject)]
pub struct CreateApiKeyPayload {
    /// The new key; null when there are user errors.
    pub api_key: Option<ApiKey>,
    /// The key's secret, to send as `Authorization: Bearer <secret>`. It is shown here once and
    /// never again: only a digest of it is stored.
    pub secret: Option<String>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

payload!(
    RevokeApiKeyPayload,
    api_key,
    ApiKey,
    "The result of `revokeApiKey`.",
    "The key, revoked; null when there are user errors."
);

/// Mutations of API keys (ADMIN only).
#[derive(Default)]
pub struct ApiKeyMutation;

#[Object]
impl ApiKeyMutation {
    /// Creates an API key (ADMIN). The payload carries the secret, once.
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new API key.")] input: CreateApiKeyInput,
    ) -> Result<CreateApiKeyPayload> {
        let (created, user_errors) =
            into_payload(domain::api_key::create(session(ctx)?, input.into()).await)?;
        let (api_key, secret) = match created {
            Some(created) => (Some(ApiKey(created.key)), Some(created.secret)),
            None => (None, None),
        };
        Ok(CreateApiKeyPayload {
            api_key,
            secret,
            user_errors,
        })
    }

    /// Revokes an API key (ADMIN): it stops working at once. Revoking a revoked key succeeds
    /// and keeps its first revocation time; NOT_FOUND when the key is not the tenant's.
    async fn revoke_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The API key to revoke.")] input: RevokeApiKeyInput,
    ) -> Result<RevokeApiKeyPayload> {
        let id = ids::decode_as(&input.id, NodeType::ApiKey)?;
        let (revoked, user_errors) =
            into_payload(domain::api_key::revoke(session(ctx)?, id).await)?;
        Ok(RevokeApiKeyPayload {
            api_key: revoked.map(ApiKey),
            user_errors,
        })
    }
}
