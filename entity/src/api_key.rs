//! `api_keys`: long-lived credentials of a tenant for BI tools and ingestion scripts.
//!
//! The secret itself is never stored: only its SHA-256 digest (hex) and a short, non-secret
//! prefix used to find the row and to show the key in lists.

use sea_orm::entity::prelude::*;

use crate::api_key_enums::ApiKeyScopeList;

/// An API key row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// A name saying what the key is for.
    pub name: String,
    /// The first characters of the secret after `lvk_` (not secret; for display and lookup).
    pub prefix: String,
    /// SHA-256 of the whole secret, lowercase hex.
    pub secret_hash: String,
    /// What the key may do.
    pub scopes: ApiKeyScopeList,
    /// Subject of the admin who created it.
    pub created_by: String,
    /// When it last authenticated a request (recorded at most once a minute).
    pub last_used_at: Option<DateTimeUtc>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTimeUtc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTimeUtc>,
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
