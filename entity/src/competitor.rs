//! `competitors`: a competitor studied in a plan's market analysis.

use sea_orm::entity::prelude::*;

use crate::json_lists::{LeverList, StringList};

/// A competitor row of a plan.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competitors")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// Name.
    pub name: String,
    /// Web site address.
    pub website: Option<String>,
    /// How it positions itself.
    pub positioning: Option<String>,
    /// Notes on its marketing strategy.
    pub strategy_notes: Option<String>,
    /// The levers it uses.
    pub levers: LeverList,
    /// Its strengths.
    pub strengths: StringList,
    /// Its weaknesses.
    pub weaknesses: StringList,
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
