//! `brands`: the brand platform of a plan (at most one per plan).

use sea_orm::entity::prelude::*;

use crate::json_lists::StringList;

/// The brand row of a plan; `(tenant_id, plan_id)` is unique.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "brands")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// How the brand is perceived today.
    pub current_perception: Option<String>,
    /// The brand's values.
    pub values: StringList,
    /// Mission: why the company exists.
    pub mission: Option<String>,
    /// Vision: where it is going.
    pub vision: Option<String>,
    /// Tone of voice.
    pub tone: Option<String>,
    /// Positioning statement.
    pub positioning_statement: Option<String>,
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
