//! `conversions`: one conversion (a sale, a lead) of a customer journey, with its value; what
//! attribution credits to the journey's touchpoints.

use sea_orm::entity::prelude::*;

/// A conversion row. The value is stored in micros of the tenant's currency.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversions")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The journey that converted.
    pub journey_id: String,
    /// When it converted.
    pub occurred_at: DateTimeUtc,
    /// The conversion's value, in micros (not negative).
    pub value_micros: i64,
    /// Where it comes from (`manual`, `shop`…).
    pub source: String,
    /// The source's own key; (source, external id) is unique per tenant.
    pub external_id: String,
    /// When it was first recorded.
    pub created_at: DateTimeUtc,
    /// When it was last recorded again.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::identified!(Entity, Column);
