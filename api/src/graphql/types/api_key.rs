//! `ApiKey`: a long-lived credential of the tenant, seen by admins without its secret.

use async_graphql::{ID, Object};
use entity::{api_key, api_key_enums::ApiKeyScope};

use crate::{
    connection,
    graphql::scalars::DateTime,
    ids::{self, NodeType},
};

/// A long-lived credential of the tenant for BI tools and ingestion scripts, sent as
/// `Authorization: Bearer lvk_…`. Its secret is shown once, when it is created; only its prefix
/// is shown afterwards.
#[derive(Debug, Clone)]
pub struct ApiKey(pub api_key::Model);

/// A long-lived credential of the tenant for BI tools and ingestion scripts, sent as
/// `Authorization: Bearer lvk_…`. Its secret is shown once, when it is created; only its prefix
/// is shown afterwards.
#[Object]
impl ApiKey {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::ApiKey, self.0.id)
    }

    /// What the key is for.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The first characters of the secret after `lvk_`, to recognise the key; not secret.
    async fn prefix(&self) -> &str {
        &self.0.prefix
    }

    /// What the key may do.
    async fn scopes(&self) -> &[ApiKeyScope] {
        &self.0.scopes.0
    }

    /// When the key was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// The subject of the admin who created the key.
    async fn created_by(&self) -> &str {
        &self.0.created_by
    }

    /// When the key last authenticated a request (recorded at most once a minute); null if
    /// never.
    async fn last_used_at(&self) -> Option<DateTime> {
        self.0.last_used_at.map(DateTime)
    }

    /// When the key stops working; null if it does not expire.
    async fn expires_at(&self) -> Option<DateTime> {
        self.0.expires_at.map(DateTime)
    }

    /// When the key was revoked; null while it is active. A revoked key no longer works.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(DateTime)
    }
}

connection!(
    ApiKeyConnection,
    ApiKeyEdge,
    ApiKey,
    api_key::Model,
    "A page of API keys.",
    "An API key in a page."
);
