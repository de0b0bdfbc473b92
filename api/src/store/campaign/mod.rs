//! Queries on campaigns: filtered pages (per plan and over the tenant), their levers, target
//! personas, objectives served and sub-campaigns.
//!
//! The sub-campaign tree is read and cut in `hierarchy.rs`; a campaign's levers, personas and
//! objectives are read and replaced in `links.rs`.

pub mod action;
pub mod content;
mod hierarchy;
mod links;

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    campaign, campaign_lever, campaign_persona,
    enums::{CampaignStatus, Lever, ObjectiveKind},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, QueryFilter, QueryOrder, QueryResult, QuerySelect,
    QueryTrait, Select,
};
use uuid::Uuid;

use crate::store::{
    Scoped, StoreResult,
    page::{self, Page, PageRequest},
    positional,
};

pub use hierarchy::{children_by_parent, detach_children, parent_links};
pub use links::{
    levers_by_campaign, objectives_by_campaign, personas_by_campaign, set_levers, set_objectives,
    set_personas,
};

/// Filters of campaign lists; every criterion is applied in SQL, and an empty list means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CampaignFilter {
    /// Only campaigns of this plan.
    pub plan_id: Option<Uuid>,
    /// Only campaigns in one of these statuses.
    pub statuses: Vec<CampaignStatus>,
    /// Only campaigns using at least one of these levers.
    pub levers: Vec<Lever>,
    /// Only campaigns of one of these kinds.
    pub kinds: Vec<ObjectiveKind>,
    /// Only campaigns targeting this persona.
    pub persona_id: Option<Uuid>,
    /// Only campaigns whose dates overlap this inclusive range.
    pub active_between: Option<(NaiveDate, NaiveDate)>,
    /// Only the row with this external reference `(source, id)`.
    pub external_ref: Option<(String, String)>,
}

fn filtered<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &CampaignFilter,
) -> Select<campaign::Entity> {
    let mut select = scope.select::<campaign::Entity>();
    if let Some(plan_id) = filter.plan_id {
        select = select.filter(campaign::Column::PlanId.eq(plan_id));
    }
    if !filter.statuses.is_empty() {
        select = select.filter(campaign::Column::Status.is_in(filter.statuses.iter().copied()));
    }
    if !filter.kinds.is_empty() {
        select = select.filter(campaign::Column::Kind.is_in(filter.kinds.iter().copied()));
    }
    if !filter.levers.is_empty() {
        let using = scope
            .select::<campaign_lever::Entity>()
            .select_only()
            .column(campaign_lever::Column::CampaignId)
            .filter(campaign_lever::Column::Lever.is_in(filter.levers.iter().copied()))
            .into_query();
        select = select.filter(campaign::Column::Id.in_subquery(using));
    }
    if let Some(persona_id) = filter.persona_id {
        let targeting = scope
            .select::<campaign_persona::Entity>()
            .select_only()
            .column(campaign_persona::Column::CampaignId)
            .filter(campaign_persona::Column::PersonaId.eq(persona_id))
            .into_query();
        select = select.filter(campaign::Column::Id.in_subquery(targeting));
    }
    if let Some((from, to)) = filter.active_between {
        select = select
            .filter(campaign::Column::StartDate.lte(to))
            .filter(campaign::Column::EndDate.gte(from));
    }
    if let Some((source, id)) = &filter.external_ref {
        select = crate::store::external_ref::filter(select, source, id);
    }
    select
}

/// One page of the tenant's campaigns matching the filter, over all its plans.
pub async fn list<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &CampaignFilter,
    request: &PageRequest,
) -> StoreResult<Page<campaign::Model>> {
    page::fetch(scope, filtered(scope, filter), request).await
}

/// How many of the tenant's campaigns match the filter.
pub async fn count<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &CampaignFilter,
) -> StoreResult<u64> {
    page::count(scope, filtered(scope, filter)).await
}

/// One page of matching campaigns for each plan, in one statement.
pub async fn pages_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
    filter: &CampaignFilter,
    request: &PageRequest,
) -> StoreResult<HashMap<Uuid, Page<campaign::Model>>> {
    page::fetch_by_parent_in_decoded::<campaign::Entity, _>(
        scope,
        filtered(scope, filter),
        campaign::Column::PlanId,
        plan_ids,
        request,
        campaign_by_position,
    )
    .await
}

/// A campaign of a page, read by position (the nested reads' hot path: see
/// `campaign::Model::from_row_by_position`), checked in debug builds.
fn campaign_by_position(row: &QueryResult) -> Result<campaign::Model, DbErr> {
    positional::checked(row, campaign::Model::from_row_by_position)
}

/// How many matching campaigns each plan has, in one statement.
pub async fn counts_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
    filter: &CampaignFilter,
) -> StoreResult<HashMap<Uuid, u64>> {
    page::count_by_parent_in::<campaign::Entity, _>(
        scope,
        filtered(scope, filter),
        campaign::Column::PlanId,
        plan_ids,
    )
    .await
}

/// The plan's campaign using `utm_code`, other than `except`, if any.
pub async fn with_utm_code<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
    utm_code: &str,
    except: Option<Uuid>,
) -> StoreResult<Option<campaign::Model>> {
    let mut select = scope
        .select::<campaign::Entity>()
        .filter(campaign::Column::PlanId.eq(plan_id))
        .filter(campaign::Column::UtmCode.eq(utm_code));
    if let Some(id) = except {
        select = select.filter(campaign::Column::Id.ne(id));
    }
    Ok(select.one(scope.connection()).await?)
}

/// Every campaign of the plan, in creation order (an import maps report rows to them by name).
pub async fn of_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
) -> StoreResult<Vec<campaign::Model>> {
    Ok(scope
        .select::<campaign::Entity>()
        .filter(campaign::Column::PlanId.eq(plan_id))
        .order_by_asc(campaign::Column::Id)
        .all(scope.connection())
        .await?)
}

/// The tenant's campaigns whose external id is one of `ids` (whatever their source).
pub async fn with_external_ids<C: ConnectionTrait>(
    scope: &Scoped<C>,
    ids: &[String],
) -> StoreResult<Vec<campaign::Model>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(500) {
        found.extend(
            scope
                .select::<campaign::Entity>()
                .filter(campaign::Column::ExternalId.is_in(chunk.iter().cloned()))
                .all(scope.connection())
                .await?,
        );
    }
    Ok(found)
}
