//! Inputs of campaign mutations.

pub mod action;
pub mod content;

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums::{CampaignStatus, Lever, ObjectiveKind};
use uuid::Uuid;

use crate::domain::external_ref::RawExternalRef;
use crate::graphql::inputs::external_ref::ExternalRefInput;
use crate::graphql::inputs::plan::maybe;
use crate::{
    domain::campaign::{CampaignChanges, NewCampaign},
    error::ApiError,
    graphql::scalars::{Date, Decimal},
    ids::{self, NodeType},
    store::campaign::CampaignFilter as StoreCampaignFilter,
};

/// A new campaign.
#[derive(Debug, InputObject)]
pub struct CreateCampaignInput {
    /// Global ID of the plan it belongs to.
    pub plan_id: ID,
    /// The campaign's fields.
    #[graphql(flatten)]
    pub fields: CampaignFields,
    /// Its reference in the system it is synced from, unique among the tenant's campaigns
    /// (DUPLICATE otherwise).
    pub external_ref: Option<ExternalRefInput>,
}

impl CreateCampaignInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewCampaign {
        self.fields
            .into_new(plan_id, self.external_ref.map(RawExternalRef::from))
    }
}

/// Creates or changes the campaign with an external reference, in the plan named by `planId` or
/// by `planRef` (exactly one): the create's fields, as a whole document. On an update every
/// field is set as the create would set it (an optional field left out is cleared), except a
/// status or an actual cost left out, which are kept; the plan cannot change (INVALID).
/// Sending the same document again changes nothing (UNCHANGED).
#[derive(Debug, InputObject)]
pub struct UpsertCampaignInput {
    /// The campaign's reference in the system it is synced from: the key of the upsert.
    pub external_ref: ExternalRefInput,
    /// The version read, if the campaign was read; refused with CONFLICT when it changed since
    /// (or no longer has this reference).
    pub expected_version: Option<i32>,
    /// Global ID of the plan it belongs to (or give `planRef`).
    pub plan_id: Option<ID>,
    /// External reference of the plan it belongs to (or give `planId`).
    pub plan_ref: Option<ExternalRefInput>,
    /// The campaign's fields.
    #[graphql(flatten)]
    pub fields: CampaignFields,
}

/// The fields of a campaign, as a create or an upsert gives them.
#[derive(Debug, InputObject)]
pub struct CampaignFields {
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
    /// Objectives the campaign serves (global IDs of objectives of the same plan).
    #[graphql(default)]
    pub objective_ids: Vec<ID>,
    /// The `utm_campaign` code of its links: 1 to 100 lowercase letters, digits, `-`, `_` or
    /// `.`, unique in the plan (DUPLICATE otherwise).
    pub utm_code: Option<String>,
    /// Global ID of the campaign it is part of, in the same plan.
    pub parent_campaign_id: Option<ID>,
}

impl CampaignFields {
    /// The domain input, for the plan `plan_id` (decoded by the resolver), with its reference.
    pub fn into_new(self, plan_id: Uuid, external_ref: Option<RawExternalRef>) -> NewCampaign {
        NewCampaign {
            plan_id,
            external_ref,
            name: self.name,
            kind: self.kind,
            levers: self.levers,
            persona_ids: ids::decode_links(&self.persona_ids, NodeType::Persona),
            start_date: self.start_date.0,
            end_date: self.end_date.0,
            budget: self.budget.0,
            status: self.status,
            objective_ids: ids::decode_links(&self.objective_ids, NodeType::Objective),
            utm_code: self.utm_code,
            parent_campaign_id: self
                .parent_campaign_id
                .map(|id| ids::decode_links(&[id], NodeType::Campaign)[0]),
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
    /// New status, following the lifecycle: PLANNED → ACTIVE or CANCELLED; ACTIVE → PAUSED,
    /// COMPLETED or CANCELLED; PAUSED → ACTIVE, COMPLETED or CANCELLED. Leaving COMPLETED or
    /// CANCELLED needs `reopen: true`; anything else is INVALID_TRANSITION.
    pub status: Option<CampaignStatus>,
    /// Set to true to move a COMPLETED or CANCELLED campaign to another status (re-planning).
    #[graphql(default)]
    pub reopen: bool,
    /// New set of objectives served (replaces the current set).
    pub objective_ids: Option<Vec<ID>>,
    /// New UTM code; null removes it.
    pub utm_code: MaybeUndefined<String>,
    /// New parent campaign (same plan, not itself nor one of its sub-campaigns); null makes it
    /// a top-level campaign.
    pub parent_campaign_id: MaybeUndefined<ID>,
    /// New external reference (unique among the tenant's campaigns); null removes it.
    pub external_ref: MaybeUndefined<ExternalRefInput>,
}

impl From<UpdateCampaignInput> for CampaignChanges {
    fn from(input: UpdateCampaignInput) -> Self {
        Self {
            external_ref: maybe(input.external_ref).map(|r| r.map(RawExternalRef::from)),
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
            reopen: input.reopen,
            objective_ids: input
                .objective_ids
                .map(|list| ids::decode_links(&list, NodeType::Objective)),
            utm_code: maybe(input.utm_code),
            parent_campaign_id: maybe(input.parent_campaign_id)
                .map(|parent| parent.map(|id| ids::decode_links(&[id], NodeType::Campaign)[0])),
        }
    }
}

/// The campaign to delete.
#[derive(Debug, InputObject)]
pub struct DeleteCampaignInput {
    /// The campaign's global ID.
    pub id: ID,
}

/// An inclusive range of days.
#[derive(Debug, Clone, InputObject)]
pub struct DateRangeInput {
    /// First day.
    pub from: Date,
    /// Last day (inclusive), not before `from`.
    pub to: Date,
}

/// Which campaigns to list; criteria combine with AND, and the values of a list with OR.
#[derive(Debug, Clone, Default, InputObject)]
pub struct CampaignFilter {
    /// Only campaigns of this plan (global ID).
    pub plan_id: Option<ID>,
    /// Only campaigns in one of these statuses.
    #[graphql(default)]
    pub statuses: Vec<CampaignStatus>,
    /// Only campaigns using at least one of these levers.
    #[graphql(default)]
    pub levers: Vec<Lever>,
    /// Only campaigns of one of these kinds.
    #[graphql(default)]
    pub kinds: Vec<ObjectiveKind>,
    /// Only campaigns targeting this persona (global ID).
    pub persona_id: Option<ID>,
    /// Only campaigns running at some point in this range (their dates overlap it).
    pub active_between: Option<DateRangeInput>,
    /// Only the one with this external reference.
    pub external_ref: Option<ExternalRefInput>,
}

impl CampaignFilter {
    /// The store's filter. IDs that are not of the expected type match nothing; a range that
    /// ends before it starts is BAD_USER_INPUT.
    pub fn into_store(self) -> Result<StoreCampaignFilter, ApiError> {
        let decode = |id: &ID, node_type| ids::decode_as(id, node_type).unwrap_or(Uuid::nil());
        let active_between = match self.active_between {
            Some(range) if range.to.0 < range.from.0 => {
                return Err(ApiError::bad_input(
                    "`activeBetween.to` must not be before `activeBetween.from`",
                ));
            }
            Some(range) => Some((range.from.0, range.to.0)),
            None => None,
        };
        let mut statuses = self.statuses;
        let mut levers = self.levers;
        let mut kinds = self.kinds;
        // Sorted and without repeats, so that equal filters batch together in the loaders.
        statuses.sort_by_key(|status| *status as u8);
        statuses.dedup();
        levers.sort();
        levers.dedup();
        kinds.sort_by_key(|kind| *kind as u8);
        kinds.dedup();
        Ok(StoreCampaignFilter {
            plan_id: self.plan_id.as_ref().map(|id| decode(id, NodeType::Plan)),
            statuses,
            levers,
            kinds,
            persona_id: self
                .persona_id
                .as_ref()
                .map(|id| decode(id, NodeType::Persona)),
            active_between,
            external_ref: self.external_ref.map(|r| (r.source, r.id)),
        })
    }
}
