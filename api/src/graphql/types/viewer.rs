//! `Viewer`: who is calling.

use async_graphql::{Enum, Object};
use entity::api_key_enums::ApiKeyScope;

use super::Tenant;
use crate::auth;

/// What the caller may do within the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum Role {
    /// Reads the plan and its KPIs.
    Viewer,
    /// Reads and writes the plan.
    Editor,
    /// Everything: also deletes, tenant settings and API keys.
    Admin,
}

impl From<auth::Role> for Role {
    fn from(role: auth::Role) -> Self {
        match role {
            auth::Role::Viewer => Self::Viewer,
            auth::Role::Editor => Self::Editor,
            auth::Role::Admin => Self::Admin,
        }
    }
}

/// The authenticated caller.
pub struct Viewer {
    /// The token's subject.
    pub subject: String,
    /// The caller's role (VIEWER for an API key).
    pub role: Role,
    /// The scopes of the API key, when the caller is one.
    pub api_key_scopes: Option<Vec<ApiKeyScope>>,
    /// The tenant of this request.
    pub tenant: Tenant,
}

/// The authenticated caller: who they are, their role, and the tenant the request acts in.
#[Object]
impl Viewer {
    /// The token's subject (the user's id at the identity provider), or `api-key:<prefix>`
    /// when the caller is an API key.
    async fn subject(&self) -> &str {
        &self.subject
    }

    /// The caller's role in this tenant. An API key has no role and reports VIEWER, the least
    /// one; what it may do is given by `apiKeyScopes`.
    async fn role(&self) -> Role {
        self.role
    }

    /// The scopes of the API key making the request; null when the caller is a user.
    async fn api_key_scopes(&self) -> Option<&[ApiKeyScope]> {
        self.api_key_scopes.as_deref()
    }

    /// The tenant this request acts in.
    async fn tenant(&self) -> &Tenant {
        &self.tenant
    }
}
