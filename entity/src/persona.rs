//! `personas`: a semi-fictional portrait of a target customer, reusable across plans.

use sea_orm::entity::prelude::*;

use crate::json_lists::{LeverList, StringList};

/// A persona row (seed 003, step 2).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "personas")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Name ("Sophie, 34, e-commerce manager").
    pub name: String,
    /// One-paragraph summary.
    pub summary: Option<String>,
    /// Lower bound of the age range.
    pub age_min: Option<i32>,
    /// Upper bound of the age range.
    pub age_max: Option<i32>,
    /// Gender, as the team describes it.
    pub gender: Option<String>,
    /// Where they live or work.
    pub location: Option<String>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Income band.
    pub income_band: Option<String>,
    /// Education.
    pub education: Option<String>,
    /// Behaviours (online habits, buying habits).
    pub behaviors: StringList,
    /// Values (psychographics).
    pub values: StringList,
    /// Interests (psychographics).
    pub interests: StringList,
    /// Lifestyle (psychographics).
    pub lifestyle: Option<String>,
    /// Goals.
    pub goals: StringList,
    /// Motivations.
    pub motivations: StringList,
    /// Needs.
    pub needs: StringList,
    /// Pain points.
    pub pain_points: StringList,
    /// Objections to buying.
    pub objections: StringList,
    /// Levers that reach this persona best.
    pub preferred_levers: LeverList,
    /// The system this row is synced from (with `external_id`; both or neither).
    pub external_source: Option<String>,
    /// Its identifier in that system, unique per tenant with `external_source`.
    pub external_id: Option<String>,
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
crate::externally_referenced!(Entity, Column, Model);
