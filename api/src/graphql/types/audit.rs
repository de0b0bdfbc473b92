//! `AuditEvent`: one entry of the audit trail, and `history`, the entries of one object, which
//! `Plan`, `Campaign`, `Action`, `Objective`, `Persona`, `ContentItem` and `LeverAllocation`
//! flatten. ADMIN only.

use async_graphql::{Enum, ID, InputValueResult, Object, Scalar, ScalarType};
use entity::audit_event;
use uuid::Uuid;

use crate::{
    connection, connection_fields,
    graphql::{context::loaders, scalars::DateTime},
    ids::{self, NodeType},
    store::page::Page,
};

/// Any JSON value, as it is (an object's fields, counts).
#[derive(Debug, Clone, PartialEq)]
pub struct Json(pub serde_json::Value);

/// Any JSON value, sent as it is: an object, an array, a string, a number, a boolean or null.
#[Scalar(name = "JSON")]
impl ScalarType for Json {
    fn parse(value: async_graphql::Value) -> InputValueResult<Self> {
        Ok(Json(value.into_json()?))
    }

    fn to_value(&self) -> async_graphql::Value {
        async_graphql::Value::from_json(self.0.clone()).unwrap_or(async_graphql::Value::Null)
    }
}

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum AuditAction {
    /// An object was created.
    Created,
    /// An object's fields (or one of its lists, such as `personaIds`) changed.
    Updated,
    /// An object was deleted (`after` is null).
    Deleted,
    /// An update that changed the object's `status` (the diff as for `UPDATED`).
    StatusChanged,
    /// A row written by a bulk load that creates or replaces (`after` holds the values written).
    Upserted,
    /// An arbitrage was applied to a plan: the cancelled actions are in `details`.
    ArbitrageApplied,
    /// One `recordMeasurements` batch: its counts are in `details`.
    MeasurementsRecorded,
    /// A scenario's budgets were applied to its plan.
    ScenarioApplied,
    /// An action this version of the server does not name (written by a newer one).
    Other,
}

impl AuditAction {
    /// The stored name of each action.
    pub fn stored(self) -> &'static str {
        use crate::store::audit as a;
        match self {
            Self::Created => a::CREATED,
            Self::Updated => a::UPDATED,
            Self::Deleted => a::DELETED,
            Self::StatusChanged => a::STATUS_CHANGED,
            Self::Upserted => a::UPSERTED,
            Self::ArbitrageApplied => a::ARBITRAGE_APPLIED,
            Self::MeasurementsRecorded => a::MEASUREMENTS_RECORDED,
            Self::ScenarioApplied => a::SCENARIO_APPLIED,
            Self::Other => "OTHER",
        }
    }

    fn of(stored: &str) -> Self {
        [
            Self::Created,
            Self::Updated,
            Self::Deleted,
            Self::StatusChanged,
            Self::Upserted,
            Self::ArbitrageApplied,
            Self::MeasurementsRecorded,
            Self::ScenarioApplied,
        ]
        .into_iter()
        .find(|action| action.stored() == stored)
        .unwrap_or(Self::Other)
    }
}

/// What kind of caller made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum AuditActorKind {
    /// A user, authenticated by a JWT.
    User,
    /// An API key.
    ApiKey,
    /// A share link's holder.
    ShareLink,
    /// The server itself (a background task, the command line).
    System,
}

/// Who made a change.
pub struct AuditActor<'a>(&'a audit_event::Model);

/// Who made a change.
#[Object]
impl AuditActor<'_> {
    /// The token's subject, `apikey:<prefix>` for an API key, or `system`.
    async fn subject(&self) -> &str {
        &self.0.actor_subject
    }

    /// What kind of caller it was.
    async fn kind(&self) -> AuditActorKind {
        match self.0.actor_kind.as_str() {
            "USER" => AuditActorKind::User,
            "API_KEY" => AuditActorKind::ApiKey,
            "SHARE_LINK" => AuditActorKind::ShareLink,
            _ => AuditActorKind::System,
        }
    }

    /// The role the change was made with (`ADMIN`, `EDITOR`, `VIEWER`), for a user.
    async fn role(&self) -> Option<&str> {
        self.0.actor_role.as_deref()
    }

    /// Whether the user's token was an agency token (one granting several tenants).
    async fn agency(&self) -> bool {
        self.0.actor_agency
    }
}

/// One entry of the audit trail: a change made through the API, who made it and when, and the
/// object's fields before and after. Entries are never edited; they are purged after the
/// retention the server is configured with.
#[derive(Debug, Clone)]
pub struct AuditEvent(pub audit_event::Model);

connection!(
    AuditEventConnection,
    AuditEventEdge,
    AuditEvent,
    audit_event::Model,
    "A page of audit entries, oldest first.",
    "An audit entry in a page of audit entries."
);

/// The global ID of an object named by its type's name, or its plain UUID when the type has no
/// global IDs.
fn object_id(type_name: &str, id: Uuid) -> ID {
    use base64::Engine;
    let candidate = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("{type_name}:{}", id.simple()));
    match ids::decode(&candidate) {
        Some((node_type, uuid)) => ids::encode(node_type, uuid),
        None => ID(id.to_string()),
    }
}

/// One entry of the audit trail: a change made through the API, who made it and when, and the
/// object's fields before and after. Entries are never edited; they are purged after the
/// retention the server is configured with.
#[Object]
impl AuditEvent {
    /// The entry's own id (a UUID v7; webhook deliveries carry it).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// When the change was made.
    async fn occurred_at(&self) -> DateTime {
        DateTime(self.0.occurred_at)
    }

    /// What happened.
    async fn action(&self) -> AuditAction {
        AuditAction::of(&self.0.action)
    }

    /// The type of the object changed (`Plan`, `Campaign`…; `MeasurementBatch` for a batch).
    async fn object_type(&self) -> &str {
        &self.0.object_type
    }

    /// The object's global ID (for a type without global IDs, its UUID).
    async fn object_id(&self) -> ID {
        object_id(&self.0.object_type, self.0.object_id)
    }

    /// The plan the object belongs to, when the trail knows it.
    async fn plan_id(&self) -> Option<ID> {
        self.0.plan_id.map(|id| ids::encode(NodeType::Plan, id))
    }

    /// Who made the change.
    async fn actor(&self) -> AuditActor<'_> {
        AuditActor(&self.0)
    }

    /// The request's id (its `x-request-id`), when the change came through HTTP.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The object's fields before the change (null for a creation), by their stored names in
    /// camelCase; money as integer micros, as stored.
    async fn before(&self) -> Option<Json> {
        self.0.before.clone().map(Json)
    }

    /// The object's fields after the change (null for a deletion).
    async fn after(&self) -> Option<Json> {
        self.0.after.clone().map(Json)
    }

    /// The names of the fields that changed (`version` and `updatedAt` aside).
    async fn changed_fields(&self) -> Vec<String> {
        serde_json::from_value(self.0.changed_fields.clone()).unwrap_or_default()
    }

    /// Counts and extras: a batch's `inserted` and `updated`, an arbitrage's cancelled actions.
    async fn details(&self) -> Option<Json> {
        self.0.details.clone().map(Json)
    }
}

/// The audit history of one object: `history`.
pub struct AuditHistory(pub Uuid);

connection_fields! {
    impl AuditHistory {
        /// The object's audit trail, oldest first: every change made to it through the API,
        /// with who made it and the fields before and after. ADMIN only (others: FORBIDDEN).
        async fn history(&self, ctx: &Context<'_>, page: PageArgs) -> Result<AuditEventConnection> {
            let request = page.into_request()?;
            let loaders = loaders(ctx)?;
            let (page, total) = futures::try_join!(
                loaders.audit_history.load_one((self.0, request)),
                loaders.audit_history_counts.load_one(self.0)
            )?;
            let page = page.unwrap_or_else(|| Page::empty(&request));
            Ok(AuditEventConnection::new(page, total.unwrap_or(0)))
        }
    }
}
