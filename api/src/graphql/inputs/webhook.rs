//! Inputs of webhook mutations.

use async_graphql::{ID, InputObject};

/// A new webhook endpoint.
#[derive(Debug, InputObject)]
pub struct CreateWebhookEndpointInput {
    /// Where deliveries are POSTed: an `http` or `https` URL of at most 2,048 characters, whose
    /// host resolves to public addresses only (private, loopback and link-local targets are
    /// refused unless the server sets `LEVIER_WEBHOOK_ALLOW_PRIVATE`).
    pub url: String,
    /// What the endpoint is for (at most 200 characters).
    pub description: Option<String>,
    /// The events it receives (1 to 50): `*` for every event, `<Type>.*` for every event of one
    /// object type (e.g. `Campaign.*`), or `<Type>.<ACTION>` (e.g. `Plan.DELETED`).
    pub event_types: Vec<String>,
}

/// Changes to a webhook endpoint; an omitted field keeps its value.
#[derive(Debug, InputObject)]
pub struct UpdateWebhookEndpointInput {
    /// Global ID of the endpoint.
    pub id: ID,
    /// The version read; a stale one is refused with CONFLICT.
    pub expected_version: i32,
    /// A new URL (checked as at creation).
    pub url: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// New event types (as at creation).
    pub event_types: Option<Vec<String>>,
}

/// The webhook endpoint to delete.
#[derive(Debug, InputObject)]
pub struct DeleteWebhookEndpointInput {
    /// Global ID of the endpoint.
    pub id: ID,
}

/// The webhook endpoint to enable again.
#[derive(Debug, InputObject)]
pub struct EnableWebhookEndpointInput {
    /// Global ID of the endpoint.
    pub id: ID,
}

/// The webhook endpoint whose signing secret is replaced.
#[derive(Debug, InputObject)]
pub struct RotateWebhookEndpointSecretInput {
    /// Global ID of the endpoint.
    pub id: ID,
    /// The version read; a stale one is refused with CONFLICT.
    pub expected_version: i32,
}
