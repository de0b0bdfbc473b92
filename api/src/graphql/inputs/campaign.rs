//! Inputs of campaign mutations.

use async_graphql::{ID, InputObject};
use entity::enums::{CampaignStatus, Lever, ObjectiveKind};
use uuid::Uuid;

use crate::{
    domain::campaign::{CampaignChanges, NewCampaign},
    graphql::{
        ids::{self, NodeType},
        scalars::{Date, Decimal},
    },
};

/// A new campaign.
#[derive(Debug, InputObject)]
pub struct CreateCampaignInput {
    /// Global ID of the plan it belongs to.
    pub plan_id: ID,
    /// Name (1 to 200 characters).
    pub name: String,
    /// Family: awareness, traffic, conversion or loyalty.
    pub kind: ObjectiveKind,
    /// Levers used, in order.
    #[graphql(default)]
    pub levers: Vec<Lever>,
    /// Personas targeted (global IDs of the tenant's personas).
    #[graphql(default)]
    pub persona_ids: Vec<ID>,
    /// First day, inside the plan's period.
    pub start_date: Date,
    /// Last day, inside the plan's period and not before startDate.
    pub end_date: Date,
    /// Planned budget in the plan's currency, not negative.
    pub budget: Decimal,
    /// Initial status; PLANNED when omitted.
    pub status: Option<CampaignStatus>,
}

impl CreateCampaignInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewCampaign {
        NewCampaign {
            plan_id,
            name: self.name,
            kind: self.kind,
            levers: self.levers,
            persona_ids: ids::decode_links(&self.persona_ids, NodeType::Persona),
            start_date: self.start_date.0,
            end_date: self.end_date.0,
            budget: self.budget.0,
            status: self.status,
        }
    }
}

/// Changes to a campaign; omitted fields stay as they are, lists replace the current ones.
#[derive(Debug, InputObject)]
pub struct UpdateCampaignInput {
    /// The campaign's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the campaign changed since.
    pub expected_version: i32,
    /// New name.
    pub name: Option<String>,
    /// New family.
    pub kind: Option<ObjectiveKind>,
    /// New levers.
    pub levers: Option<Vec<Lever>>,
    /// New targeted personas.
    pub persona_ids: Option<Vec<ID>>,
    /// New first day.
    pub start_date: Option<Date>,
    /// New last day.
    pub end_date: Option<Date>,
    /// New planned budget.
    pub budget: Option<Decimal>,
    /// New status.
    pub status: Option<CampaignStatus>,
}

impl From<UpdateCampaignInput> for CampaignChanges {
    fn from(input: UpdateCampaignInput) -> Self {
        Self {
            name: input.name,
            kind: input.kind,
            levers: input.levers,
            persona_ids: input
                .persona_ids
                .map(|list| ids::decode_links(&list, NodeType::Persona)),
            start_date: input.start_date.map(|d| d.0),
            end_date: input.end_date.map(|d| d.0),
            budget: input.budget.map(|d| d.0),
            status: input.status,
        }
    }
}

/// The campaign to delete.
#[derive(Debug, InputObject)]
pub struct DeleteCampaignInput {
    /// The campaign's global ID.
    pub id: ID,
}
