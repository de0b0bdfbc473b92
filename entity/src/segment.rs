//! `segments`: a market segment of a plan, with the positioning chosen for it.

use sea_orm::entity::prelude::*;

use crate::json_lists::StringList;

/// A segment row of a plan. Its personas live in `persona_segments`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "segments")]
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
    /// Criteria that define it ("age: 25–34", "place: Lyon").
    pub criteria: StringList,
    /// Estimated number of people or companies in it.
    pub estimated_size: Option<i64>,
    /// Whether the plan targets it.
    pub targeted: bool,
    /// The positioning chosen for it.
    pub positioning: Option<String>,
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
