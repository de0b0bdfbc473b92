//! The Relay `Node` interface and the resolution of global IDs to objects, batched through the
//! loaders so that `nodes(ids:)` costs one statement per type, not one per ID.

use async_graphql::{Context, ID, Interface, Result};

use super::{
    context::{loaders, session},
    ids::{self, NodeType},
    types::{Campaign, KpiDefinition, Objective, Persona, Plan, Tenant},
};
use crate::domain;

/// An object with a global ID, fetchable with `node(id:)`. Objects of other tenants, and IDs
/// that are not ours, resolve to null: they are indistinguishable from missing ones.
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
}

/// The object behind a global ID, or `None`.
pub async fn resolve(ctx: &Context<'_>, id: &ID) -> Result<Option<Node>> {
    let Some((node_type, uuid)) = ids::decode(id) else {
        return Ok(None);
    };
    let loaders = loaders(ctx)?;
    Ok(match node_type {
        NodeType::Tenant => {
            let tenant = domain::tenant::current(session(ctx)?)
                .await
                .map_err(super::errors::ApiError::from)?;
            (tenant.id == uuid).then(|| Node::Tenant(Tenant(tenant)))
        }
        NodeType::Plan => loaders
            .plan
            .load_one(uuid)
            .await?
            .map(|row| Node::Plan(Plan(row))),
        NodeType::Persona => loaders
            .persona
            .load_one(uuid)
            .await?
            .map(|row| Node::Persona(Persona(row))),
        NodeType::Campaign => loaders
            .campaign
            .load_one(uuid)
            .await?
            .map(|row| Node::Campaign(Campaign(row))),
        NodeType::Objective => loaders
            .objective
            .load_one(uuid)
            .await?
            .map(|row| Node::Objective(Objective(row))),
        NodeType::KpiDefinition => loaders
            .kpi_by_id
            .load_one(uuid)
            .await?
            .map(|row| Node::KpiDefinition(KpiDefinition(row))),
    })
}
