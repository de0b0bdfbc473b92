//! `share_links`: revocable, expiring read-only access to one plan for whoever holds the link.
//!
//! The secret itself is never stored: only its SHA-256 digest (hex) and a short, non-secret
//! prefix used to find the row and to show the link in lists.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What a share link opens.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ShareLinkScope {
    /// The plan's document only (`GET /share/{secret}/document.md`).
    #[sea_orm(string_value = "DOCUMENT")]
    Document,
    /// The plan's read-only GraphQL graph only (a token from `POST /share/token`, or the
    /// secret as a bearer credential).
    #[sea_orm(string_value = "API")]
    Api,
    /// Both the document and the read-only GraphQL graph.
    #[sea_orm(string_value = "BOTH")]
    Both,
}

impl ShareLinkScope {
    /// True when the link opens the plan's document.
    pub fn opens_document(self) -> bool {
        matches!(self, Self::Document | Self::Both)
    }

    /// True when the link opens the plan's read API.
    pub fn opens_api(self) -> bool {
        matches!(self, Self::Api | Self::Both)
    }
}

/// A share link row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "share_links")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The one plan the link opens.
    pub plan_id: Uuid,
    /// A label saying whom the link is for.
    pub label: String,
    /// What the link opens.
    pub scope: ShareLinkScope,
    /// The first characters of the secret after `lvs_` (not secret; for display and lookup).
    pub prefix: String,
    /// SHA-256 of the whole secret, lowercase hex.
    pub secret_hash: String,
    /// Subject of the editor who created it.
    pub created_by: String,
    /// When it last opened something (recorded at most once a minute).
    pub last_used_at: Option<DateTimeUtc>,
    /// When it stops working.
    pub expires_at: DateTimeUtc,
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
