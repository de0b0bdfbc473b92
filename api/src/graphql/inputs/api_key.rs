//! Inputs of API-key mutations.

use async_graphql::{ID, InputObject};
use entity::api_key_enums::ApiKeyScope;

use crate::{domain::api_key::NewApiKey, graphql::scalars::DateTime};

/// A new API key.
#[derive(Debug, InputObject)]
pub struct CreateApiKeyInput {
    /// What the key is for (1 to 200 characters), e.g. "Power BI".
    pub name: String,
    /// What the key may do; at least one scope.
    pub scopes: Vec<ApiKeyScope>,
    /// When the key stops working (in the future); omit for a key that does not expire.
    pub expires_at: Option<DateTime>,
}

impl From<CreateApiKeyInput> for NewApiKey {
    fn from(input: CreateApiKeyInput) -> Self {
        Self {
            name: input.name,
            scopes: input.scopes,
            expires_at: input.expires_at.map(|instant| instant.0),
        }
    }
}

/// The API key to revoke.
#[derive(Debug, InputObject)]
pub struct RevokeApiKeyInput {
    /// The key's global ID.
    pub id: ID,
}
