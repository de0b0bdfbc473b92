//! `tenants`: one company. Not tenant-owned itself: it is the owner.

use sea_orm::entity::prelude::*;

use crate::{
    json_lists::StringList,
    review_enums::{ApprovedBudgetChanges, ReviewRole},
};

/// A tenant row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenants")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The slug named by tokens (`tid`), unique.
    #[sea_orm(unique)]
    pub key: String,
    /// Display name; the key until an admin changes it.
    pub name: String,
    /// Default currency (ISO 4217) for new plans.
    pub currency: String,
    /// When the tenant was first seen.
    pub created_at: DateTimeUtc,
    /// Optimistic-concurrency version of the settings (name, currency).
    pub version: i32,
    /// The least role that may approve plans (none: only the named approvers may).
    pub review_approver_role: Option<ReviewRole>,
    /// Subjects that may approve plans whatever their role.
    pub review_approvers: StringList,
    /// What a change to the budgets of an approved plan does.
    pub approved_budget_changes: ApprovedBudgetChanges,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
