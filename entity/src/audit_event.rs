//! `audit_events`: the append-only audit trail, one row per change made through the API (or per
//! batch), written in the same transaction as the change. Never updated; deleted only by the
//! retention purge and with its tenant.

use sea_orm::entity::prelude::*;

/// One change: who made it, when, to which object, and the object's fields before and after.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    /// Insertion order (auto-increment).
    #[sea_orm(primary_key)]
    pub seq: i64,
    /// The event's id (UUID v7), unique.
    #[sea_orm(unique)]
    pub id: Uuid,
    /// Owning tenant.
    pub tenant_id: Uuid,
    /// When the change was made.
    pub occurred_at: DateTimeUtc,
    /// PostgreSQL: the id of the transaction that wrote the row (a database default); SQLite: 0.
    pub txid: i64,
    /// What happened, in SCREAMING_SNAKE (`CREATED`, `UPDATED`, `DELETED`, `STATUS_CHANGED`…).
    pub action: String,
    /// The GraphQL type name of the object (`Plan`, `Campaign`…).
    pub object_type: String,
    /// The object's id (for a batch entry: the plan's or the batch's own).
    pub object_id: Uuid,
    /// The plan the object belongs to, when it has one.
    pub plan_id: Option<Uuid>,
    /// The token's subject, `apikey:<prefix>`, `share:<prefix>` or `system`.
    pub actor_subject: String,
    /// `USER`, `API_KEY`, `SHARE_LINK` or `SYSTEM`.
    pub actor_kind: String,
    /// The role the change was made with (a user's), if any.
    pub actor_role: Option<String>,
    /// Whether the token was an agency token (the `tenants` claim).
    pub actor_agency: bool,
    /// The request's `x-request-id`, when the change came through HTTP.
    pub request_id: Option<String>,
    /// The object's fields before the change (NULL for a creation).
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub before: Option<Json>,
    /// The object's fields after the change (NULL for a deletion).
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub after: Option<Json>,
    /// The names of the fields that changed (a JSON array of strings).
    #[sea_orm(column_type = "JsonBinary")]
    pub changed_fields: Json,
    /// Counts and extras (e.g. `{"inserted": 900, "updated": 100}`).
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub details: Option<Json>,
}

/// No relations are navigated through SeaORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::tenant_owned!(Entity, Column);
