//! Queries on campaigns, their levers and their target personas.

use std::collections::HashMap;

use entity::{campaign, campaign_lever, campaign_persona, enums::Lever, persona};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{
    Scoped, StoreResult,
    page::{self, Page, PageRequest},
};

/// One page of campaigns for each plan, in one statement.
pub async fn pages_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
    request: &PageRequest,
) -> StoreResult<HashMap<Uuid, Page<campaign::Model>>> {
    page::fetch_by_parent::<campaign::Entity, _>(scope, campaign::Column::PlanId, plan_ids, request)
        .await
}

/// How many campaigns each plan has, in one statement.
pub async fn counts_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, u64>> {
    page::count_by_parent::<campaign::Entity, _>(scope, campaign::Column::PlanId, plan_ids).await
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
    super::persona::group_linked(scope, campaign_ids, &links).await
}

/// Replaces the levers of a campaign.
pub async fn set_levers<C: ConnectionTrait>(
    scope: &Scoped<C>,
    campaign_id: Uuid,
    levers: &[Lever],
) -> StoreResult<()> {
    scope
        .delete_where::<campaign_lever::Entity>(
            Condition::all().add(campaign_lever::Column::CampaignId.eq(campaign_id)),
        )
        .await?;
    let rows = levers
        .iter()
        .enumerate()
        .map(|(position, lever)| campaign_lever::ActiveModel {
            tenant_id: Set(scope.tenant_id()),
            campaign_id: Set(campaign_id),
            lever: Set(*lever),
            position: Set(position as i32),
        })
        .collect();
    scope.insert_many::<campaign_lever::Entity, _>(rows).await
}

/// Replaces the personas a campaign targets.
pub async fn set_personas<C: ConnectionTrait>(
    scope: &Scoped<C>,
    campaign_id: Uuid,
    persona_ids: &[Uuid],
) -> StoreResult<()> {
    scope
        .delete_where::<campaign_persona::Entity>(
            Condition::all().add(campaign_persona::Column::CampaignId.eq(campaign_id)),
        )
        .await?;
    let rows = persona_ids
        .iter()
        .map(|persona_id| campaign_persona::ActiveModel {
            tenant_id: Set(scope.tenant_id()),
            campaign_id: Set(campaign_id),
            persona_id: Set(*persona_id),
        })
        .collect();
    scope.insert_many::<campaign_persona::Entity, _>(rows).await
}
