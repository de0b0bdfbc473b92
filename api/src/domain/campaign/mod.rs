//! Campaigns: dates inside the plan's period, a budget, levers, target personas, the objectives
//! they serve, a UTM code unique in the plan, an optional parent campaign of the same plan, and
//! a status that follows the lifecycle of [`status`].
//!
//! The field checks are in `checks.rs`; `write.rs` creates, changes and deletes campaigns with
//! their links in one transaction each.

pub mod action;
mod checks;
pub mod content;
pub mod status;
mod write;

use chrono::NaiveDate;
use entity::{
    campaign,
    enums::{CampaignStatus, Lever, ObjectiveKind},
};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::domain::{DomainResult, Session, external_ref::RawExternalRef};
use crate::{
    auth::Permission,
    store::{
        self,
        campaign::CampaignFilter,
        page::{Page, PageRequest},
    },
};

pub use checks::{MAX_UTM_CODE_CHARS, is_valid_utm_code};
pub use write::{create, delete, update, update_in, upsert};

/// What a new campaign is made of.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// Name.
    pub name: String,
    /// Family.
    pub kind: ObjectiveKind,
    /// Levers used, in order (duplicates are dropped).
    pub levers: Vec<Lever>,
    /// Personas targeted.
    pub persona_ids: Vec<Uuid>,
    /// Objectives served (of the same plan).
    pub objective_ids: Vec<Uuid>,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// Planned budget.
    pub budget: Decimal,
    /// Initial status; `PLANNED` when absent.
    pub status: Option<CampaignStatus>,
    /// The `utm_campaign` code, unique in the plan.
    pub utm_code: Option<String>,
    /// The campaign it is part of, in the same plan.
    pub parent_campaign_id: Option<Uuid>,
    /// Its reference in the system it is synced from.
    pub external_ref: Option<RawExternalRef>,
}

/// Changes to a campaign; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CampaignChanges {
    /// New name.
    pub name: Option<String>,
    /// New family.
    pub kind: Option<ObjectiveKind>,
    /// New levers (replaces the set).
    pub levers: Option<Vec<Lever>>,
    /// New personas (replaces the set).
    pub persona_ids: Option<Vec<Uuid>>,
    /// New objectives served (replaces the set).
    pub objective_ids: Option<Vec<Uuid>>,
    /// New first day.
    pub start_date: Option<NaiveDate>,
    /// New last day.
    pub end_date: Option<NaiveDate>,
    /// New budget.
    pub budget: Option<Decimal>,
    /// New status, which must follow the lifecycle.
    pub status: Option<CampaignStatus>,
    /// Allows leaving COMPLETED or CANCELLED (re-planning).
    pub reopen: bool,
    /// New UTM code (`Some(None)` clears it).
    pub utm_code: Option<Option<String>>,
    /// New parent (`Some(None)` makes it a top-level campaign).
    pub parent_campaign_id: Option<Option<Uuid>>,
    /// New external reference (`Some(None)` clears it).
    pub external_ref: Option<Option<RawExternalRef>>,
}

impl CampaignChanges {
    /// The changes an upsert applies: every field of the document, as a create would set it;
    /// the status only when given.
    pub fn from_document(campaign: &NewCampaign) -> Self {
        let campaign = campaign.clone();
        Self {
            name: Some(campaign.name),
            kind: Some(campaign.kind),
            levers: Some(campaign.levers),
            persona_ids: Some(campaign.persona_ids),
            objective_ids: Some(campaign.objective_ids),
            start_date: Some(campaign.start_date),
            end_date: Some(campaign.end_date),
            budget: Some(campaign.budget),
            status: campaign.status,
            reopen: false,
            utm_code: Some(campaign.utm_code),
            parent_campaign_id: Some(campaign.parent_campaign_id),
            external_ref: None,
        }
    }
}

/// One page of the tenant's campaigns over all its plans, with the total count of campaigns
/// matching the filter.
pub async fn list(
    session: &Session,
    filter: &CampaignFilter,
    request: &PageRequest,
) -> DomainResult<(Page<campaign::Model>, u64)> {
    let scope = session.scope(Permission::ReadPlan)?;
    let page = store::campaign::list(&scope, filter, request).await?;
    let total = store::campaign::count(&scope, filter).await?;
    Ok((page, total))
}
