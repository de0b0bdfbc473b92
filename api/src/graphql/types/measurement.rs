//! `Measurement`: one recorded value of one base KPI for one period.

use async_graphql::{ID, Object};
use entity::{
    enums::{Lever, TimeGrain},
    measurement,
};

use crate::{
    domain::money,
    graphql::{
        ids::{self, NodeType},
        scalars::{Date, DateTime, Decimal},
    },
};

/// One value of one base KPI for one period (a day unless its grain says otherwise),
/// optionally tied to a campaign, an action, a lever and a persona, as a source reported it.
#[derive(Debug, Clone)]
pub struct Measurement(pub measurement::Model);

/// One value of one base KPI for one period (a day unless its grain says otherwise),
/// optionally tied to a campaign, an action, a lever and a persona, as a source reported it.
#[Object]
impl Measurement {
    /// The key of the base KPI measured (`clicks`, `spend`…).
    async fn kpi_key(&self) -> &str {
        &self.0.kpi_key
    }

    /// The first day of the period the value covers.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }

    /// The period the value covers, starting at `date`.
    async fn grain(&self) -> TimeGrain {
        self.0.grain
    }

    /// The value, exact, in the KPI's unit.
    async fn value(&self) -> Decimal {
        Decimal(money::from_micros(self.0.value_micros))
    }

    /// Where the value comes from (`manual`, `ga4`, `meta_ads`…).
    async fn source(&self) -> &str {
        &self.0.source
    }

    /// The source's own key for the value; recording the same (source, externalId) again
    /// updates it.
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }

    /// The plan the value counts for (that of its campaign or action).
    async fn plan_id(&self) -> Option<ID> {
        self.0.plan_id.map(|id| ids::encode(NodeType::Plan, id))
    }

    /// The campaign measured.
    async fn campaign_id(&self) -> Option<ID> {
        self.0
            .campaign_id
            .map(|id| ids::encode(NodeType::Campaign, id))
    }

    /// The action measured.
    async fn action_id(&self) -> Option<ID> {
        self.0.action_id.map(|id| ids::encode(NodeType::Action, id))
    }

    /// The lever measured.
    async fn lever(&self) -> Option<Lever> {
        self.0.lever
    }

    /// The persona measured.
    async fn persona_id(&self) -> Option<ID> {
        self.0
            .persona_id
            .map(|id| ids::encode(NodeType::Persona, id))
    }

    /// When this value was recorded (last recorded, for a value recorded again).
    async fn recorded_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
