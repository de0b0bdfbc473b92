//! `webhook_deliveries`: one row per attempt to deliver one event to one endpoint, successful
//! or not.

use sea_orm::entity::prelude::*;

/// A delivery attempt row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7: attempts sort by time).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The endpoint it was sent to.
    pub endpoint_id: Uuid,
    /// The event delivered (the audit event's id; `Levier-Event-Id`).
    pub event_id: Uuid,
    /// The event's type (`<Type>.<ACTION>`).
    pub event_type: String,
    /// 1 for the first attempt at this event, then 2, 3…
    pub attempt: i32,
    /// The HTTP status the endpoint answered; null when it did not answer.
    pub status_code: Option<i32>,
    /// Why the attempt failed, when it did.
    pub error: Option<String>,
    /// How long the attempt took, in milliseconds.
    pub duration_ms: i64,
    /// When the attempt was made.
    pub attempted_at: DateTimeUtc,
    /// When the event will be tried again, after a failure that will be retried.
    pub next_retry_at: Option<DateTimeUtc>,
    /// True when the endpoint answered 2xx.
    pub succeeded: bool,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::identified!(Entity, Column, stamps { id: Id });
