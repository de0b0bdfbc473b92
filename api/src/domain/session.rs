//! A caller's session: the principal and the database. Reaching a tenant's rows means asking
//! the session for a scope with a permission, so no read or write skips the policy.

use sea_orm::DatabaseConnection;

use crate::{
    auth::{Grant, Permission, Principal, policy},
    events::EventBus,
    store::Scoped,
};

/// The verified caller of one request, with the database it may reach and the event bus its
/// writes are announced on.
#[derive(Debug, Clone)]
pub struct Session {
    principal: Principal,
    db: DatabaseConnection,
    events: EventBus,
    /// Whether webhook endpoints may target private and loopback addresses
    /// (`LEVIER_WEBHOOK_ALLOW_PRIVATE`); refused unless the server allows it.
    allow_private_webhooks: bool,
}

impl Session {
    /// A session for a verified principal.
    pub fn new(principal: Principal, db: DatabaseConnection, events: EventBus) -> Self {
        Self {
            principal,
            db,
            events,
            allow_private_webhooks: false,
        }
    }

    /// The same session, letting webhook endpoints target private and loopback addresses when
    /// `allow` (the server's `LEVIER_WEBHOOK_ALLOW_PRIVATE`).
    pub fn allowing_private_webhooks(mut self, allow: bool) -> Self {
        self.allow_private_webhooks = allow;
        self
    }

    /// Whether webhook endpoints may target private and loopback addresses.
    pub fn allows_private_webhooks(&self) -> bool {
        self.allow_private_webhooks
    }

    /// The bus that announces committed writes to live subscribers.
    pub fn events(&self) -> &EventBus {
        &self.events
    }

    /// Who is calling.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// The caller's tenant scope, if the policy grants `permission`. A share link's holder gets
    /// a scope bound to the link's plan: whatever it reads, through any resolver, loader or
    /// endpoint, is of that plan (`store::plan_bound`).
    pub fn scope(
        &self,
        permission: Permission,
    ) -> Result<Scoped<DatabaseConnection>, crate::auth::AuthError> {
        policy::authorize(&self.principal.grant, permission)?;
        Ok(match self.principal.grant {
            Grant::SharedPlan { plan_id, .. } => {
                Scoped::within_plan(self.db.clone(), self.principal.tenant_id, plan_id)
            }
            Grant::Role(_) | Grant::ApiKey { .. } => {
                Scoped::new(self.db.clone(), self.principal.tenant_id)
            }
        })
    }
}
