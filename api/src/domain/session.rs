//! A caller's session: the principal and the database. Reaching a tenant's rows means asking
//! the session for a scope with a permission, so no read or write skips the policy.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    auth::{Grant, Permission, Principal, policy},
    db::Lanes,
    events::EventBus,
    store::{
        Scoped,
        audit::{Actor, ActorKind, AuditContext},
    },
};

/// The verified caller of one request, with the database it may reach and the event bus its
/// writes are announced on.
#[derive(Debug, Clone)]
pub struct Session {
    principal: Principal,
    db: DatabaseConnection,
    /// Where the scopes' reads outside a transaction run, when the server keeps connections
    /// for them, and the queue their write transactions begin in (`db::Lanes`).
    lanes: Lanes,
    events: EventBus,
    /// Who the audit trail records as making this session's writes.
    audit: Arc<AuditContext>,
    /// Whether webhook endpoints may target private and loopback addresses
    /// (`LEVIER_WEBHOOK_ALLOW_PRIVATE`); refused unless the server allows it.
    allow_private_webhooks: bool,
}

impl Session {
    /// A session for a verified principal.
    pub fn new(principal: Principal, db: DatabaseConnection, events: EventBus) -> Self {
        let audit = Arc::new(AuditContext {
            actor: actor_of(&principal),
            request_id: None,
        });
        Self {
            principal,
            db,
            lanes: Lanes::default(),
            events,
            audit,
            allow_private_webhooks: false,
        }
    }

    /// The same session, its scopes' statements going through the server's `lanes` (its kept
    /// read connections, its queue of writers).
    pub fn through(mut self, lanes: Lanes) -> Self {
        self.lanes = lanes;
        self
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

    /// The same session, its writes recorded in the audit trail with the request's id.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        let mut context = (*self.audit).clone();
        context.request_id = request_id;
        self.audit = Arc::new(context);
        self
    }

    /// Who the audit trail records as making this session's writes, and the request's id.
    pub fn audit_context(&self) -> &AuditContext {
        &self.audit
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
            Grant::SharedPlan { plan_id, .. } => Scoped::within_plan(
                self.db.clone(),
                self.lanes.clone(),
                self.principal.tenant_id,
                plan_id,
            ),
            Grant::Role(_) | Grant::ApiKey { .. } => Scoped::new(
                self.db.clone(),
                self.lanes.clone(),
                self.principal.tenant_id,
            ),
        }
        .audited_as(self.audit.clone()))
    }
}

/// The actor the audit trail records for a principal: a user's subject and role, `apikey:` and
/// the key's prefix, or `share:` and the link's.
fn actor_of(principal: &Principal) -> Actor {
    match &principal.grant {
        Grant::Role(role) => Actor {
            subject: principal.subject.clone(),
            kind: ActorKind::User,
            role: Some(role.to_string().to_uppercase()),
            agency: principal.agency,
        },
        Grant::ApiKey { .. } => Actor {
            subject: match principal.subject.strip_prefix("api-key:") {
                Some(prefix) => format!("apikey:{prefix}"),
                None => principal.subject.clone(),
            },
            kind: ActorKind::ApiKey,
            role: None,
            agency: false,
        },
        Grant::SharedPlan { .. } => Actor {
            subject: principal.subject.clone(),
            kind: ActorKind::ShareLink,
            role: None,
            agency: false,
        },
    }
}
