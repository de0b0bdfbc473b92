//! `WebhookEndpoint` and `WebhookDelivery`: where a tenant's changes are sent, and the log of
//! every attempt. The signing secret is never shown here.

use async_graphql::{ID, Object};
use entity::{webhook_delivery, webhook_endpoint};

use crate::{
    connection,
    graphql::scalars::DateTime,
    ids::{self, NodeType},
};

/// A URL the tenant's changes are POSTed to as signed JSON events (ADMIN only). Its signing
/// secret is shown once, when it is created or rotated; only its prefix is shown afterwards.
#[derive(Debug, Clone)]
pub struct WebhookEndpoint(pub webhook_endpoint::Model);

/// A URL the tenant's changes are POSTed to as signed JSON events (ADMIN only). Its signing
/// secret is shown once, when it is created or rotated; only its prefix is shown afterwards.
#[Object]
impl WebhookEndpoint {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::WebhookEndpoint, self.0.id)
    }

    /// Where deliveries are POSTed.
    async fn url(&self) -> &str {
        &self.0.url
    }

    /// What the endpoint is for.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// The events it receives: `*`, `<Type>.*` or `<Type>.<ACTION>`.
    async fn event_types(&self) -> &[String] {
        &self.0.event_types.0
    }

    /// The first characters of the signing secret after `whsec_`, to recognise it; not secret.
    async fn secret_prefix(&self) -> &str {
        &self.0.secret_prefix
    }

    /// Whether deliveries are attempted. An endpoint is disabled after a day of failures
    /// without a success; `enableWebhookEndpoint` enables it again.
    async fn enabled(&self) -> bool {
        self.0.enabled
    }

    /// Why the endpoint was disabled; null while it is enabled.
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled_reason.as_deref()
    }

    /// When the endpoint was disabled; null while it is enabled.
    async fn disabled_at(&self) -> Option<DateTime> {
        self.0.disabled_at.map(DateTime)
    }

    /// Failed attempts since the last successful delivery.
    async fn consecutive_failures(&self) -> i32 {
        self.0.consecutive_failures
    }

    /// When the current run of failures began; null after a success.
    async fn failing_since(&self) -> Option<DateTime> {
        self.0.failing_since.map(DateTime)
    }

    /// When the failed event is tried again; null when no retry is pending.
    async fn next_attempt_at(&self) -> Option<DateTime> {
        self.0.next_attempt_at.map(DateTime)
    }

    /// The subject of the ADMIN who registered the endpoint.
    async fn created_by(&self) -> &str {
        &self.0.created_by
    }

    /// When the endpoint was registered.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the endpoint last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }

    /// Optimistic-concurrency version.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One attempt at delivering one event to one webhook endpoint.
#[derive(Debug, Clone)]
pub struct WebhookDelivery(pub webhook_delivery::Model);

/// One attempt at delivering one event to one webhook endpoint.
#[Object]
impl WebhookDelivery {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::WebhookDelivery, self.0.id)
    }

    /// The event's id, as sent in `Levier-Event-Id` and in the body's `id` (receivers
    /// deduplicate on it).
    async fn event_id(&self) -> String {
        self.0.event_id.to_string()
    }

    /// The event's type, `<Type>.<ACTION>`.
    async fn event_type(&self) -> &str {
        &self.0.event_type
    }

    /// 1 for the first attempt at this event, 2 for the first retry, and so on.
    async fn attempt(&self) -> i32 {
        self.0.attempt
    }

    /// The HTTP status the endpoint answered; null when it did not answer (refused address,
    /// connection error, timeout).
    async fn status_code(&self) -> Option<i32> {
        self.0.status_code
    }

    /// Why the attempt failed; null when it succeeded.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    /// How long the attempt took, in milliseconds.
    async fn duration_ms(&self) -> i64 {
        self.0.duration_ms
    }

    /// When the attempt was made.
    async fn attempted_at(&self) -> DateTime {
        DateTime(self.0.attempted_at)
    }

    /// When the event is tried again, after a failure that will be retried; null otherwise.
    async fn next_retry_at(&self) -> Option<DateTime> {
        self.0.next_retry_at.map(DateTime)
    }

    /// True when the endpoint answered 2xx.
    async fn succeeded(&self) -> bool {
        self.0.succeeded
    }
}

connection!(
    WebhookEndpointConnection,
    WebhookEndpointEdge,
    WebhookEndpoint,
    webhook_endpoint::Model,
    "A page of webhook endpoints.",
    "A webhook endpoint in a page."
);

connection!(
    WebhookDeliveryConnection,
    WebhookDeliveryEdge,
    WebhookDelivery,
    webhook_delivery::Model,
    "A page of webhook delivery attempts.",
    "A webhook delivery attempt in a page."
);
