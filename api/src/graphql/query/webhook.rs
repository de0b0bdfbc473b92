//! `webhookEndpoints`, `webhookDeliveries` (ADMIN).

use crate::{
    connection_fields, domain,
    error::ApiError,
    graphql::{
        context::session,
        types::{WebhookDeliveryConnection, WebhookEndpointConnection},
    },
    ids::{self, NodeType},
};

/// Queries on webhook endpoints.
#[derive(Default)]
pub struct WebhookQuery;

connection_fields! {
    impl WebhookQuery {
        /// The tenant's webhook endpoints, oldest first, disabled ones included (ADMIN). Their
        /// secrets are never listed.
        async fn webhook_endpoints(
            &self,
            ctx: &Context<'_>,
            page: PageArgs
        ) -> Result<WebhookEndpointConnection> {
            let request = page.into_request()?;
            let (page, total) = domain::webhook::list(session(ctx)?, &request)
                .await
                .map_err(ApiError::from)?;
            Ok(WebhookEndpointConnection::new(page, total))
        }

        /// The delivery log of one webhook endpoint, oldest attempt first (ADMIN): every attempt,
        /// its status code or error, and when a failed event is tried again. NOT_FOUND when the
        /// endpoint is not the tenant's.
        async fn webhook_deliveries(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(desc = "Global ID of the webhook endpoint.")] endpoint_id: async_graphql::ID
        ) -> Result<WebhookDeliveryConnection> {
            let endpoint = ids::decode_as(&endpoint_id, NodeType::WebhookEndpoint)?;
            let request = page.into_request()?;
            let (page, total) = domain::webhook::deliveries(session(ctx)?, endpoint, &request)
                .await
                .map_err(ApiError::from)?;
            Ok(WebhookDeliveryConnection::new(page, total))
        }
    }
}
