//! `touchpoints`: one contact of a customer journey with a lever (and perhaps a campaign), the
//! input of attribution.

use sea_orm::entity::prelude::*;

use crate::enums::Lever;

/// A touchpoint row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "touchpoints")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The journey (a visitor, lead or customer id of the source) the touch belongs to.
    pub journey_id: String,
    /// When the contact happened.
    pub occurred_at: DateTimeUtc,
    /// The lever of the contact.
    pub lever: Lever,
    /// The campaign of the contact, if known.
    pub campaign_id: Option<Uuid>,
    /// Where it comes from (`manual`, `ga4`…).
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
