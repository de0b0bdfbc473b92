//! The Relay `Node` interface and the resolution of global IDs to objects, batched through the
//! loaders so that `nodes(ids:)` costs one statement per type, not one per ID.

use async_graphql::{Context, ID, Interface, Result};
use uuid::Uuid;

use super::{
    context::loaders,
    ids::{self, NodeType},
    types::{
        ApiKey, Brand, Campaign, Competitor, KpiDefinition, MarketTrend, Objective, Persona,
        PestFactor, Plan, Segment, SwotItem, Tenant,
    },
};

/// An object with a global ID, fetchable with `node(id:)`. Objects of other tenants, and IDs
/// that are not ours, resolve to null: they are indistinguishable from missing ones.
// Nodes live only while a response is built; boxing the larger variants would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Global ID of the object, opaque and stable."
))]
pub enum Node {
    /// A tenant.
    Tenant(Tenant),
    /// A plan.
    Plan(Plan),
    /// A persona.
    Persona(Persona),
    /// A campaign.
    Campaign(Campaign),
    /// An objective.
    Objective(Objective),
    /// A KPI definition.
    KpiDefinition(KpiDefinition),
    /// A market trend.
    MarketTrend(MarketTrend),
    /// A competitor.
    Competitor(Competitor),
    /// A SWOT item.
    SwotItem(SwotItem),
    /// A PEST factor.
    PestFactor(PestFactor),
    /// A plan's brand platform.
    Brand(Brand),
    /// A market segment.
    Segment(Segment),
    /// An API key (ADMIN only).
    ApiKey(ApiKey),
}

/// The objects behind global IDs, in order, with `None` where there is none. IDs are grouped
/// by type and each type is read with one `load_many`, so the statement count depends on the
/// number of types asked for, never on the number of IDs (nor on how the requests are timed).
pub async fn resolve_many(ctx: &Context<'_>, ids: &[ID]) -> Result<Vec<Option<Node>>> {
    let decoded: Vec<Option<(NodeType, Uuid)>> = ids.iter().map(|id| ids::decode(id)).collect();
    let keys = |wanted: NodeType| -> Vec<Uuid> {
        decoded
            .iter()
            .flatten()
            .filter(|(node_type, _)| *node_type == wanted)
            .map(|(_, uuid)| *uuid)
            .collect()
    };
    let loaders = loaders(ctx)?;
    let (tenants, plans, personas, campaigns, objectives, kpis) = futures::try_join!(
        loaders.tenant.load_many(keys(NodeType::Tenant)),
        loaders.plan.load_many(keys(NodeType::Plan)),
        loaders.persona.load_many(keys(NodeType::Persona)),
        loaders.campaign.load_many(keys(NodeType::Campaign)),
        loaders.objective.load_many(keys(NodeType::Objective)),
        loaders.kpi_by_id.load_many(keys(NodeType::KpiDefinition)),
    )?;
    let (trends, competitors, swot_items, pest_factors, brands, segments) = futures::try_join!(
        loaders.market_trend.load_many(keys(NodeType::MarketTrend)),
        loaders.competitor.load_many(keys(NodeType::Competitor)),
        loaders.swot_item.load_many(keys(NodeType::SwotItem)),
        loaders.pest_factor.load_many(keys(NodeType::PestFactor)),
        loaders.brand.load_many(keys(NodeType::Brand)),
        loaders.segment.load_many(keys(NodeType::Segment)),
    )?;
    let api_keys = loaders.api_key.load_many(keys(NodeType::ApiKey)).await?;
    Ok(decoded
        .into_iter()
        .map(|entry| {
            let (node_type, uuid) = entry?;
            match node_type {
                NodeType::Tenant => tenants
                    .get(&uuid)
                    .cloned()
                    .map(|row| Node::Tenant(Tenant(row))),
                NodeType::Plan => plans.get(&uuid).cloned().map(|row| Node::Plan(Plan(row))),
                NodeType::Persona => personas
                    .get(&uuid)
                    .cloned()
                    .map(|row| Node::Persona(Persona(row))),
                NodeType::Campaign => campaigns
                    .get(&uuid)
                    .cloned()
                    .map(|row| Node::Campaign(Campaign(row))),
                NodeType::Objective => objectives
                    .get(&uuid)
                    .cloned()
                    .map(|row| Node::Objective(Objective(row))),
                NodeType::KpiDefinition => kpis
                    .get(&uuid)
                    .cloned()
                    .map(|row| Node::KpiDefinition(KpiDefinition(row))),
                NodeType::MarketTrend => trends
                    .get(&uuid)
                    .cloned()
                    .map(|row| Node::MarketTrend(MarketTrend(row))),
                NodeType::Competitor => competitors
                    .get(&uuid)
                    .cloned()
                    .map(|row| Node::Competitor(Competitor(row))),
                NodeType::SwotItem => swot_items
                    .get(&uuid)
                    .cloned()
                    .map(|row| Node::SwotItem(SwotItem(row))),
                NodeType::PestFactor => pest_factors
                    .get(&uuid)
                    .cloned()
                    .map(|row| Node::PestFactor(PestFactor(row))),
                NodeType::Brand => brands
                    .get(&uuid)
                    .cloned()
                    .map(|row| Node::Brand(Brand(row))),
                NodeType::Segment => segments
                    .get(&uuid)
                    .cloned()
                    .map(|row| Node::Segment(Segment(row))),
                NodeType::ApiKey => api_keys
                    .get(&uuid)
                    .cloned()
                    .map(|row| Node::ApiKey(ApiKey(row))),
            }
        })
        .collect())
}
