//! The Relay `Node` interface and the resolution of global IDs to objects, batched through the
//! loaders so that `nodes(ids:)` costs one statement per type, not one per ID.

use std::collections::HashMap;

use async_graphql::{Context, ID, Interface, Result};
use uuid::Uuid;

use super::{
    context::loaders,
    types::{
        Action, ApiKey, Brand, Campaign, Comment, Competitor, ContentItem, KpiDefinition,
        LeverAllocation, LeverInteraction, MarketTrend, Measurement, Objective, Persona,
        PestFactor, Plan, PlanReviewEvent, Scenario, Segment, ShareLink, SwotItem, Tenant,
    },
};
use crate::ids::{self, NodeType};

/// An object with a global ID, fetchable with `node(id:)`. Objects of other tenants, and IDs
/// that are not ours, resolve to null: they are indistinguishable from missing ones.
// Nodes live only while a response is built; boxing the larger variants would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Interface)]
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
    /// A lever allocation of a plan.
    LeverAllocation(LeverAllocation),
    /// A lever interaction of a plan.
    LeverInteraction(LeverInteraction),
    /// An action.
    Action(Action),
    /// A content item.
    ContentItem(ContentItem),
    /// An API key (ADMIN only).
    ApiKey(ApiKey),
    /// A measurement of a KPI.
    Measurement(Measurement),
    /// A what-if scenario of a plan's budgets.
    Scenario(Scenario),
    /// A comment on a plan, campaign, action or objective.
    Comment(Comment),
    /// A step of a plan's review.
    PlanReviewEvent(PlanReviewEvent),
    /// A share link (EDITOR).
    ShareLink(ShareLink),
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
    let mut found: HashMap<(NodeType, Uuid), Node> = HashMap::new();
    // One line per node type: its `NodeType`, its by-id loader, and its GraphQL type (which is
    // also the name of its `Node` variant).
    macro_rules! load_all {
        ($($node_type:ident => $loader:ident),* $(,)?) => {{
            let ($($loader,)*) = futures::try_join!($(loaders.$loader.load_many(keys(NodeType::$node_type)),)*)?;
            $(
                for (uuid, row) in $loader {
                    // `into`: a model as it is, or shared (`Persona`).
                    #[allow(clippy::useless_conversion)]
                    found.insert((NodeType::$node_type, uuid), Node::$node_type($node_type(row.into())));
                }
            )*
        }};
    }
    load_all!(
        Tenant => tenant,
        Plan => plan,
        Persona => persona,
        Campaign => campaign,
        Objective => objective,
        KpiDefinition => kpi_by_id,
        MarketTrend => market_trend,
        Competitor => competitor,
        SwotItem => swot_item,
        PestFactor => pest_factor,
        Brand => brand,
        Segment => segment,
        LeverAllocation => lever_allocation,
        LeverInteraction => lever_interaction,
        Action => action,
        ContentItem => content_item,
        ApiKey => api_key,
        Measurement => measurement,
        Scenario => scenario,
        Comment => comment,
        PlanReviewEvent => plan_review_event,
        ShareLink => share_link,
    );
    Ok(decoded
        .into_iter()
        .map(|key| key.and_then(|key| found.get(&key).cloned()))
        .collect())
}
