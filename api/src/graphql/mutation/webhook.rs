//! `createWebhookEndpoint`, `updateWebhookEndpoint`, `deleteWebhookEndpoint`,
//! `enableWebhookEndpoint`, `rotateWebhookEndpointSecret` (ADMIN).

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use crate::{
    domain::{
        self,
        webhook::{NewWebhookEndpoint, WebhookEndpointChanges},
    },
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::webhook::{
            CreateWebhookEndpointInput, DeleteWebhookEndpointInput, EnableWebhookEndpointInput,
            RotateWebhookEndpointSecretInput, UpdateWebhookEndpointInput,
        },
        types::WebhookEndpoint,
    },
    ids::{self, NodeType},
    payload,
};

/// The result of `createWebhookEndpoint` and `rotateWebhookEndpointSecret`.
#[derive(SimpleObject)]
pub struct WebhookEndpointSecretPayload {
    /// The endpoint; null when there are user errors.
    pub webhook_endpoint: Option<WebhookEndpoint>,
    /// The signing secret (`whsec_…`): every delivery carries
    /// `Levier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. It is
    /// shown here once and never again.
    pub secret: Option<String>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

payload!(
    UpdateWebhookEndpointPayload,
    webhook_endpoint,
    WebhookEndpoint,
    "The result of `updateWebhookEndpoint` and `enableWebhookEndpoint`.",
    "The endpoint as changed; null when there are user errors."
);
payload!(
    DeleteWebhookEndpointPayload,
    deleted_id,
    ID,
    "The result of `deleteWebhookEndpoint`.",
    "The global ID of the deleted endpoint; null when there are user errors."
);

fn with_secret(
    result: Result<domain::webhook::EndpointWithSecret, domain::DomainError>,
) -> Result<WebhookEndpointSecretPayload> {
    let (created, user_errors) = into_payload(result)?;
    let (webhook_endpoint, secret) = match created {
        Some(created) => (
            Some(WebhookEndpoint(created.endpoint)),
            Some(created.secret),
        ),
        None => (None, None),
    };
    Ok(WebhookEndpointSecretPayload {
        webhook_endpoint,
        secret,
        user_errors,
    })
}

/// Mutations of webhook endpoints (ADMIN).
#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Registers a webhook endpoint (ADMIN): from now on, every change of the tenant whose
    /// event type it subscribes to is POSTed to it as signed JSON, in commit order, at least
    /// once. The payload carries the signing secret, once.
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new endpoint.")] input: CreateWebhookEndpointInput,
    ) -> Result<WebhookEndpointSecretPayload> {
        let new = NewWebhookEndpoint {
            url: input.url,
            description: input.description,
            event_types: input.event_types,
        };
        with_secret(domain::webhook::create(session(ctx)?, new).await)
    }

    /// Changes a webhook endpoint's URL, description or event types (ADMIN). CONFLICT when
    /// `expectedVersion` is stale; NOT_FOUND when the endpoint is not the tenant's.
    async fn update_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateWebhookEndpointInput,
    ) -> Result<UpdateWebhookEndpointPayload> {
        let id = ids::decode_as(&input.id, NodeType::WebhookEndpoint)?;
        let changes = WebhookEndpointChanges {
            version: input.expected_version,
            url: input.url,
            description: input.description,
            event_types: input.event_types,
        };
        let (changed, user_errors) =
            into_payload(domain::webhook::update(session(ctx)?, id, changes).await)?;
        Ok(UpdateWebhookEndpointPayload {
            webhook_endpoint: changed.map(WebhookEndpoint),
            user_errors,
        })
    }

    /// Deletes a webhook endpoint and its delivery log (ADMIN). NOT_FOUND when the endpoint is
    /// not the tenant's.
    async fn delete_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint to delete.")] input: DeleteWebhookEndpointInput,
    ) -> Result<DeleteWebhookEndpointPayload> {
        let id = ids::decode_as(&input.id, NodeType::WebhookEndpoint)?;
        let (deleted, user_errors) =
            into_payload(domain::webhook::delete(session(ctx)?, id).await)?;
        Ok(DeleteWebhookEndpointPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::WebhookEndpoint, id)),
            user_errors,
        })
    }

    /// Enables a webhook endpoint again (ADMIN), typically after it was disabled for sustained
    /// failure: its failures are forgotten and the events it missed are delivered from where it
    /// stopped. NOT_FOUND when the endpoint is not the tenant's.
    async fn enable_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint to enable.")] input: EnableWebhookEndpointInput,
    ) -> Result<UpdateWebhookEndpointPayload> {
        let id = ids::decode_as(&input.id, NodeType::WebhookEndpoint)?;
        let (changed, user_errors) =
            into_payload(domain::webhook::enable(session(ctx)?, id).await)?;
        Ok(UpdateWebhookEndpointPayload {
            webhook_endpoint: changed.map(WebhookEndpoint),
            user_errors,
        })
    }

    /// Replaces a webhook endpoint's signing secret (ADMIN); the payload carries the new one,
    /// once, and deliveries are signed with it from now on. CONFLICT when `expectedVersion` is
    /// stale.
    async fn rotate_webhook_endpoint_secret(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint whose secret is replaced.")]
        input: RotateWebhookEndpointSecretInput,
    ) -> Result<WebhookEndpointSecretPayload> {
        let id = ids::decode_as(&input.id, NodeType::WebhookEndpoint)?;
        with_secret(domain::webhook::rotate_secret(session(ctx)?, id, input.expected_version).await)
    }
}
