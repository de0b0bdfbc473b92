//! Input of `kpiSeries`.

use async_graphql::{Enum, ID, InputObject};
use entity::enums::{Lever, TimeGrain};

use crate::{
    domain::kpi::series::{Dimension, SeriesRequest},
    error::ApiError,
    graphql::scalars::Date,
    ids::{self, NodeType},
};

/// A column a KPI series can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum SeriesDimension {
    /// One point per campaign (`campaignId`); measurements without a campaign form their own
    /// group (null `campaignId`), except for non-additive KPIs.
    Campaign,
    /// One point per lever (`lever`); measurements without a lever form their own group, except
    /// for non-additive KPIs.
    Lever,
    /// One point per persona (`personaId`); measurements without a persona form their own
    /// group, except for non-additive KPIs.
    Persona,
    /// One point per action (`actionId`); measurements without an action form their own group,
    /// except for non-additive KPIs.
    Action,
}

impl From<SeriesDimension> for Dimension {
    fn from(dimension: SeriesDimension) -> Self {
        match dimension {
            SeriesDimension::Campaign => Self::Campaign,
            SeriesDimension::Lever => Self::Lever,
            SeriesDimension::Persona => Self::Persona,
            SeriesDimension::Action => Self::Action,
        }
    }
}

/// What series to compute: KPIs, a date range, a grain, the groups and the filters.
#[derive(Debug, InputObject)]
pub struct KpiSeriesInput {
    /// The KPIs (1 to 20 keys of the catalogue, base or derived); points come in this order.
    pub kpi_keys: Vec<String>,
    /// The first day, inclusive.
    pub from: Date,
    /// The last day, inclusive.
    pub to: Date,
    /// The size of the periods (`WEEK` starts on Monday, `QUARTER` in January, April, July or
    /// October).
    pub grain: TimeGrain,
    /// The dimensions to group by, any combination (none: one point per KPI and period).
    pub group_by: Option<Vec<SeriesDimension>>,
    /// Only measurements that belong to this plan.
    pub plan_id: Option<ID>,
    /// Only measurements of these campaigns (an empty list does not filter).
    pub campaign_ids: Option<Vec<ID>>,
    /// Only measurements of these levers (an empty list does not filter).
    pub levers: Option<Vec<Lever>>,
    /// Only measurements of these personas (an empty list does not filter).
    pub persona_ids: Option<Vec<ID>>,
}

impl KpiSeriesInput {
    /// The domain's request, or BAD_USER_INPUT for an ID of the wrong type.
    pub fn into_request(self) -> Result<SeriesRequest, ApiError> {
        let plan_id = match &self.plan_id {
            Some(id) => ids::decode_filter_ids("input.planId", &[id.to_string()], NodeType::Plan)?
                .into_iter()
                .next(),
            None => None,
        };
        let ids_of = |field: &str, ids: &Option<Vec<ID>>, node_type: NodeType| {
            let ids: Vec<&str> = ids.iter().flatten().map(|id| id.as_str()).collect();
            ids::decode_filter_ids(field, &ids, node_type)
        };
        Ok(SeriesRequest {
            campaign_ids: ids_of("input.campaignIds", &self.campaign_ids, NodeType::Campaign)?,
            persona_ids: ids_of("input.personaIds", &self.persona_ids, NodeType::Persona)?,
            kpi_keys: self.kpi_keys,
            from: self.from.0,
            to: self.to.0,
            grain: self.grain,
            group_by: self
                .group_by
                .unwrap_or_default()
                .into_iter()
                .map(Dimension::from)
                .collect(),
            plan_id,
            levers: self.levers.unwrap_or_default(),
        })
    }
}
