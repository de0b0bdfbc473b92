//! `Measurement`: one recorded value of a base KPI.

use async_graphql::{Context, ID, Object, Result};
use entity::{
    enums::{Lever, TimeGrain},
    measurement,
};

use crate::connection;
use crate::graphql::types::{Action, Campaign, KpiDefinition, Persona, Plan};
use crate::{
    graphql::{
        context::loaders,
        scalars::{Date, DateTime, Decimal},
    },
    ids::{self, NodeType},
};

/// One value of one base KPI for one period (a day unless `grain` says otherwise), optionally
/// tied to a campaign, an action, a lever and a persona, with the source it came from.
#[derive(Debug, Clone)]
pub struct Measurement(pub measurement::Model);

connection!(
    MeasurementConnection,
    MeasurementEdge,
    Measurement,
    measurement::Model,
    "A page of measurements, in recording order.",
    "A measurement in a page of measurements."
);

/// One value of one base KPI for one period (a day unless `grain` says otherwise), optionally
/// tied to a campaign, an action, a lever and a persona, with the source it came from.
#[Object]
impl Measurement {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Measurement, self.0.id)
    }

    /// Key of the KPI measured.
    async fn kpi_key(&self) -> &str {
        &self.0.kpi_key
    }

    /// The KPI measured; null if its tenant-defined definition was deleted.
    async fn kpi(&self, ctx: &Context<'_>) -> Result<Option<KpiDefinition>> {
        let kpi = loaders(ctx)?
            .kpi_by_key
            .load_one(self.0.kpi_key.clone())
            .await?;
        Ok(kpi.map(KpiDefinition))
    }

    /// The first day of the period measured.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }

    /// The period the value covers.
    async fn grain(&self) -> TimeGrain {
        self.0.grain
    }

    /// The value, in the KPI's unit, exact.
    async fn value(&self) -> Decimal {
        Decimal::stored_plain(self.0.value_micros)
    }

    /// The value as it was sent, in `originalCurrency`, when it was converted into the
    /// tenant's reporting currency (`value` is then the converted value); null otherwise.
    async fn original_value(&self) -> Option<Decimal> {
        self.0.original_value_micros.map(Decimal::stored_plain)
    }

    /// The currency (ISO 4217) the value was sent in, when it was converted; null for a value
    /// sent in the reporting currency.
    async fn original_currency(&self) -> Option<&str> {
        self.0.original_currency.as_deref()
    }

    /// The exchange rate used to convert the value (units of the reporting currency per unit
    /// of `originalCurrency`), exact; null when it was not converted.
    async fn exchange_rate(&self) -> Option<Decimal> {
        self.0
            .exchange_rate
            .as_deref()
            .and_then(|rate| rate.parse().ok())
            .map(Decimal::plain)
    }

    /// The day of the exchange rate used: the measurement's date, or up to 7 days before when
    /// none was loaded for it; null when the value was not converted.
    async fn rate_date(&self) -> Option<Date> {
        self.0.rate_date.map(Date)
    }

    /// Where the value comes from (`manual`, `ga4`, `meta_ads`…).
    async fn source(&self) -> &str {
        &self.0.source
    }

    /// The source's own key; re-sending the same (source, externalId) updates this row.
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }

    /// Global ID of the plan the value counts for (from its campaign or action).
    async fn plan_id(&self) -> Option<ID> {
        self.0.plan_id.map(|id| ids::encode(NodeType::Plan, id))
    }

    /// The plan the value counts for (from its campaign or action).
    async fn plan(&self, ctx: &Context<'_>) -> Result<Option<Plan>> {
        let Some(id) = self.0.plan_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?.plan.load_one(id).await?.map(Plan))
    }

    /// Global ID of the campaign measured.
    async fn campaign_id(&self) -> Option<ID> {
        self.0
            .campaign_id
            .map(|id| ids::encode(NodeType::Campaign, id))
    }

    /// The campaign measured.
    async fn campaign(&self, ctx: &Context<'_>) -> Result<Option<Campaign>> {
        let Some(id) = self.0.campaign_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .campaign
            .load_one(id)
            .await?
            .map(Campaign::from))
    }

    /// Global ID of the action measured.
    async fn action_id(&self) -> Option<ID> {
        self.0.action_id.map(|id| ids::encode(NodeType::Action, id))
    }

    /// The action measured.
    async fn action(&self, ctx: &Context<'_>) -> Result<Option<Action>> {
        let Some(id) = self.0.action_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?.action.load_one(id).await?.map(Action))
    }

    /// The lever measured.
    async fn lever(&self) -> Option<Lever> {
        self.0.lever
    }

    /// Global ID of the persona measured.
    async fn persona_id(&self) -> Option<ID> {
        self.0
            .persona_id
            .map(|id| ids::encode(NodeType::Persona, id))
    }

    /// The persona measured.
    async fn persona(&self, ctx: &Context<'_>) -> Result<Option<Persona>> {
        let Some(id) = self.0.persona_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .persona
            .load_one(id)
            .await?
            .map(|persona| Persona(persona.into())))
    }

    /// When the row was first recorded.
    async fn recorded_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the row was last recorded again (a re-send with the same source and external id).
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
