//! `KpiPoint`: one value of a KPI series, a flat row for BI tools.

use async_graphql::{Context, ID, Object, Result};
use entity::enums::Lever;

use crate::graphql::types::Campaign;
use crate::{
    domain::kpi::series::Point,
    graphql::{
        context::loaders,
        scalars::{Date, Decimal},
    },
    ids::{self, NodeType},
};

/// One value of a KPI series: a KPI, a period and, for each grouped dimension, the group's
/// campaign, lever, persona or action (null for a dimension not grouped by, and for the group
/// of measurements without that link).
#[derive(Debug, Clone)]
pub struct KpiPoint(pub Point);

/// One value of a KPI series: a KPI, a period and, for each grouped dimension, the group's
/// campaign, lever, persona or action (null for a dimension not grouped by, and for the group
/// of measurements without that link).
#[Object]
impl KpiPoint {
    /// The KPI's key.
    async fn kpi_key(&self) -> &str {
        self.kpi_key_text()
    }

    /// The first day of the period (a Monday for weeks, the 1st for months, quarters and
    /// years).
    async fn period_start(&self) -> Date {
        self.period_start_date()
    }

    /// The KPI's value over the period and group, exact and without trailing zeros; a ratio
    /// (derived KPI) rounded to 12 decimal places, a midpoint away from zero. Null where a
    /// ratio's denominator is 0 or absent.
    async fn value(&self) -> Option<Decimal> {
        self.plain_value()
    }

    /// The group's campaign (grouped by CAMPAIGN).
    async fn campaign_id(&self) -> Option<ID> {
        self.encoded_campaign_id()
    }

    /// The group's campaign object (grouped by CAMPAIGN); needs the right to read plans.
    async fn campaign(&self, ctx: &Context<'_>) -> Result<Option<Campaign>> {
        let Some(id) = self.0.key.campaign_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .campaign
            .load_one(id)
            .await?
            .map(Campaign::from))
    }

    /// The group's lever (grouped by LEVER).
    async fn lever(&self) -> Option<Lever> {
        self.lever_value()
    }

    /// The group's persona (grouped by PERSONA).
    async fn persona_id(&self) -> Option<ID> {
        self.encoded_persona_id()
    }

    /// The group's action (grouped by ACTION).
    async fn action_id(&self) -> Option<ID> {
        self.encoded_action_id()
    }
}

/// The values of the scalar fields, shared by the resolvers above and by
/// [`super::point_list`], which writes a whole list without them.
impl KpiPoint {
    pub(super) fn kpi_key_text(&self) -> &str {
        &self.0.kpi_key
    }

    pub(super) fn period_start_date(&self) -> Date {
        Date(self.0.key.period_start)
    }

    pub(super) fn plain_value(&self) -> Option<Decimal> {
        self.0.value.map(Decimal::plain)
    }

    pub(super) fn encoded_campaign_id(&self) -> Option<ID> {
        self.0
            .key
            .campaign_id
            .map(|id| ids::encode(NodeType::Campaign, id))
    }

    pub(super) fn lever_value(&self) -> Option<Lever> {
        self.0.key.lever
    }

    pub(super) fn encoded_persona_id(&self) -> Option<ID> {
        self.0
            .key
            .persona_id
            .map(|id| ids::encode(NodeType::Persona, id))
    }

    pub(super) fn encoded_action_id(&self) -> Option<ID> {
        self.0
            .key
            .action_id
            .map(|id| ids::encode(NodeType::Action, id))
    }
}
