//! `Viewer`: who is calling.

use async_graphql::{Enum, Object};

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
    /// The caller's role.
    pub role: Role,
    /// The tenant of this request.
    pub tenant: Tenant,
}

/// The authenticated caller: who they are, their role, and the tenant the request acts in.
#[Object]
impl Viewer {
    /// The token's subject (the user's id at the identity provider).
    async fn subject(&self) -> &str {
        &self.subject
    }

    /// The caller's role in this tenant.
    async fn role(&self) -> Role {
        self.role
    }

    /// The tenant this request acts in.
    async fn tenant(&self) -> &Tenant {
        &self.tenant
    }
}
