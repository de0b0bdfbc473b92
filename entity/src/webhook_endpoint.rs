//! `webhook_endpoints`: where a tenant's changes are sent, signed, as they are committed.
//!
//! The signing secret is kept as is because every delivery is signed with it; the API returns
//! it once (at creation or rotation) and never reads it back. The endpoint's position in the
//! change feed (`cursor_txid`, `cursor_seq`) only moves after a delivery was acknowledged.

use sea_orm::entity::prelude::*;

use crate::json_lists::StringList;

/// A webhook endpoint row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Where deliveries are POSTed (`http` or `https`).
    pub url: String,
    /// What the endpoint is for (free text, may be empty).
    pub description: String,
    /// The event types it receives: `*`, `<Type>.*` or `<Type>.<ACTION>`.
    pub event_types: StringList,
    /// The signing secret (`whsec_…`); never returned after creation or rotation.
    pub secret: String,
    /// The first characters of the secret after `whsec_` (not secret; for display).
    pub secret_prefix: String,
    /// Whether deliveries are attempted.
    pub enabled: bool,
    /// Why it was disabled, when it is.
    pub disabled_reason: Option<String>,
    /// When it was disabled, when it is.
    pub disabled_at: Option<DateTimeUtc>,
    /// Failed attempts since the last success.
    pub consecutive_failures: i32,
    /// When the current run of failures began (null after a success).
    pub failing_since: Option<DateTimeUtc>,
    /// Not before this instant is the next attempt made (the backoff), when set.
    pub next_attempt_at: Option<DateTimeUtc>,
    /// The feed position of the last event delivered (or skipped): its transaction id.
    pub cursor_txid: i64,
    /// The feed position of the last event delivered (or skipped): its sequence number.
    pub cursor_seq: i64,
    /// The dispatcher process that owns the endpoint's deliveries until `lease_expires_at`.
    pub lease_owner: Option<String>,
    /// When the lease of `lease_owner` ends.
    pub lease_expires_at: Option<DateTimeUtc>,
    /// Subject of the ADMIN who registered it.
    pub created_by: String,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last update time.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::versioned!(Entity, Column);
