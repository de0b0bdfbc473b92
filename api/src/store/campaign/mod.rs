//! Queries on campaigns: filtered pages (per plan and over the tenant), their levers, target
//! personas, objectives served and sub-campaigns.

pub mod action;
pub mod content;

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    campaign, campaign_lever, campaign_objective, campaign_persona,
    enums::{CampaignStatus, Lever, ObjectiveKind},
    objective, persona,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Select,
};
use uuid::Uuid;

use crate::store::{
    Scoped, StoreResult,
    page::{self, Page, PageRequest},
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
    page::fetch_by_parent_in::<campaign::Entity, _>(
        scope,
        filtered(scope, filter),
        campaign::Column::PlanId,
        plan_ids,
        request,
    )
    .await
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

/// The sub-campaigns of each campaign, oldest first, in one statement.
pub async fn children_by_parent<C: ConnectionTrait>(
    scope: &Scoped<C>,
    parent_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<campaign::Model>>> {
    let rows = scope
        .select::<campaign::Entity>()
        .filter(campaign::Column::ParentCampaignId.is_in(parent_ids.iter().copied()))
        .order_by_asc(campaign::Column::Id)
        .all(scope.connection())
        .await?;
    let mut grouped: HashMap<Uuid, Vec<campaign::Model>> =
        parent_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        if let Some(parent) = row.parent_campaign_id {
            grouped.entry(parent).or_default().push(row);
        }
    }
    Ok(grouped)
}

/// The objectives each campaign serves, by deadline, in two statements whatever the number of
/// campaigns.
pub async fn objectives_by_campaign<C: ConnectionTrait>(
    scope: &Scoped<C>,
    campaign_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<objective::Model>>> {
    let mut grouped: HashMap<Uuid, Vec<objective::Model>> =
        campaign_ids.iter().map(|id| (*id, Vec::new())).collect();
    let links = scope
        .select::<campaign_objective::Entity>()
        .filter(campaign_objective::Column::CampaignId.is_in(campaign_ids.iter().copied()))
        .all(scope.connection())
        .await?;
    if links.is_empty() {
        return Ok(grouped);
    }
    let mut objective_ids: Vec<Uuid> = links.iter().map(|link| link.objective_id).collect();
    objective_ids.sort_unstable();
    objective_ids.dedup();
    let objectives: HashMap<Uuid, objective::Model> = scope
        .find_many::<objective::Entity>(&objective_ids)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    for link in links {
        if let Some(row) = objectives.get(&link.objective_id) {
            grouped
                .entry(link.campaign_id)
                .or_default()
                .push(row.clone());
        }
    }
    for list in grouped.values_mut() {
        list.sort_by_key(|row| (row.deadline, row.id));
    }
    Ok(grouped)
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

/// `(campaign, parent)` for every campaign of the plan that has a parent, in one statement.
pub async fn parent_links<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
) -> StoreResult<HashMap<Uuid, Uuid>> {
    let rows: Vec<(Uuid, Option<Uuid>)> = scope
        .select::<campaign::Entity>()
        .select_only()
        .column(campaign::Column::Id)
        .column(campaign::Column::ParentCampaignId)
        .filter(campaign::Column::PlanId.eq(plan_id))
        .filter(campaign::Column::ParentCampaignId.is_not_null())
        .into_tuple()
        .all(scope.connection())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, parent)| parent.map(|parent| (id, parent)))
        .collect())
}

/// Makes the sub-campaigns of `parent_id` top-level campaigns (bumping their version), so that
/// the parent can be deleted: the self-referencing foreign key does not cascade.
pub async fn detach_children<C: ConnectionTrait>(
    scope: &Scoped<C>,
    parent_id: Uuid,
) -> StoreResult<u64> {
    scope
        .detach::<campaign::Entity>(campaign::Column::ParentCampaignId, parent_id)
        .await
}

/// Replaces the objectives a campaign serves.
pub async fn set_objectives<C: ConnectionTrait>(
    scope: &Scoped<C>,
    campaign_id: Uuid,
    objective_ids: &[Uuid],
) -> StoreResult<()> {
    let rows = objective_ids
        .iter()
        .map(|objective_id| campaign_objective::ActiveModel {
            campaign_id: Set(campaign_id),
            objective_id: Set(*objective_id),
            ..Default::default()
        })
        .collect();
    scope
        .replace_children::<campaign_objective::Entity, _>(
            campaign_objective::Column::CampaignId,
            campaign_id,
            rows,
        )
        .await
}

/// The levers of each campaign, in the order they were given.
pub async fn levers_by_campaign<C: ConnectionTrait>(
    scope: &Scoped<C>,
    campaign_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<Lever>>> {
    let rows = scope
        .select::<campaign_lever::Entity>()
        .filter(campaign_lever::Column::CampaignId.is_in(campaign_ids.iter().copied()))
        .order_by_asc(campaign_lever::Column::Position)
        .all(scope.connection())
        .await?;
    let mut levers: HashMap<Uuid, Vec<Lever>> =
        campaign_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        levers.entry(row.campaign_id).or_default().push(row.lever);
    }
    Ok(levers)
}

/// The personas targeted by each campaign, in two statements whatever the number of campaigns.
pub async fn personas_by_campaign<C: ConnectionTrait>(
    scope: &Scoped<C>,
    campaign_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<persona::Model>>> {
    let links = scope
        .select::<campaign_persona::Entity>()
        .filter(campaign_persona::Column::CampaignId.is_in(campaign_ids.iter().copied()))
        .all(scope.connection())
        .await?;
    let links: Vec<(Uuid, Uuid)> = links
        .into_iter()
        .map(|link| (link.campaign_id, link.persona_id))
        .collect();
    crate::store::strategy::persona::group_linked(scope, campaign_ids, &links).await
}

/// Replaces the levers of a campaign.
pub async fn set_levers<C: ConnectionTrait>(
    scope: &Scoped<C>,
    campaign_id: Uuid,
    levers: &[Lever],
) -> StoreResult<()> {
    let rows = levers
        .iter()
        .enumerate()
        .map(|(position, lever)| campaign_lever::ActiveModel {
            campaign_id: Set(campaign_id),
            lever: Set(*lever),
            position: Set(position as i32),
            ..Default::default()
        })
        .collect();
    scope
        .replace_children::<campaign_lever::Entity, _>(
            campaign_lever::Column::CampaignId,
            campaign_id,
            rows,
        )
        .await
}

/// Replaces the personas a campaign targets.
pub async fn set_personas<C: ConnectionTrait>(
    scope: &Scoped<C>,
    campaign_id: Uuid,
    persona_ids: &[Uuid],
) -> StoreResult<()> {
    let rows = persona_ids
        .iter()
        .map(|persona_id| campaign_persona::ActiveModel {
            campaign_id: Set(campaign_id),
            persona_id: Set(*persona_id),
            ..Default::default()
        })
        .collect();
    scope
        .replace_children::<campaign_persona::Entity, _>(
            campaign_persona::Column::CampaignId,
            campaign_id,
            rows,
        )
        .await
}
