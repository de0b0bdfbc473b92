//! `exchange_rates`: what one unit of a currency is worth in another on a day, loaded by the
//! tenant's admins; measurements sent in another currency than the tenant's are converted with
//! them.

use sea_orm::entity::prelude::*;

/// One rate: 1 `from_currency` = `rate` `to_currency` on `date`. Unique per tenant, pair and day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exchange_rates")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7), kept when the rate is loaded again.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The day the rate applies to.
    pub date: Date,
    /// The currency converted from (ISO 4217).
    pub from_currency: String,
    /// The currency converted to (ISO 4217).
    pub to_currency: String,
    /// Units of `to_currency` per unit of `from_currency`, an exact decimal string.
    pub rate: String,
    /// When it was first loaded.
    pub created_at: DateTimeUtc,
    /// When it was last loaded.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through SeaORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::identified!(Entity, Column);
