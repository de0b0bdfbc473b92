//! `measurements`: one value of one base KPI for one period, optionally tied to a campaign, an
//! action, a lever and a persona.

use sea_orm::entity::prelude::*;

use crate::enums::{Lever, TimeGrain};

/// A measurement row. The value is stored in micros of the KPI's unit, like money.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "measurements")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The base KPI measured (a key of the catalogue).
    pub kpi_key: String,
    /// The first day of the period measured.
    pub date: Date,
    /// The period the value covers (`DAY` unless the source reports a coarser one).
    pub grain: TimeGrain,
    /// The value, in micros of the KPI's unit.
    pub value_micros: i64,
    /// Where it comes from (`manual`, `ga4`, `meta_ads`…).
    pub source: String,
    /// The source's own key; (source, external id) is unique per tenant.
    pub external_id: Option<String>,
    /// The plan it counts for, taken from its campaign or action.
    pub plan_id: Option<Uuid>,
    /// The campaign measured.
    pub campaign_id: Option<Uuid>,
    /// The action measured.
    pub action_id: Option<Uuid>,
    /// The lever measured.
    pub lever: Option<Lever>,
    /// The persona measured.
    pub persona_id: Option<Uuid>,
    /// The value as sent, in micros of `original_currency`, when it was converted into the
    /// tenant's reporting currency (`value_micros` is then the converted value).
    pub original_value_micros: Option<i64>,
    /// The currency the value was sent in (ISO 4217), when it was converted.
    pub original_currency: Option<String>,
    /// The rate used (units of the reporting currency per unit of `original_currency`), an exact
    /// decimal string, when the value was converted.
    pub exchange_rate: Option<String>,
    /// The day of the rate used (the measurement's date or up to 7 days before).
    pub rate_date: Option<Date>,
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
