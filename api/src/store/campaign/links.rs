//! What a campaign is linked to: its levers (in order), target personas and objectives served,
//! read grouped per campaign in a fixed number of statements, and each replaced as a set.

use std::{collections::HashMap, sync::Arc};

use entity::{
    campaign_lever, campaign_objective, campaign_persona, enums::Lever, objective, persona,
};
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::store::{Scoped, StoreResult};

/// The levers of each campaign, in the order they were given.
pub async fn levers_by_campaign<C: ConnectionTrait>(
    scope: &Scoped<C>,
    campaign_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<Lever>>> {
    // Only the two columns it needs, read by position: a nested read decodes a row per
    // campaign and lever.
    let rows: Vec<(Uuid, Lever)> = scope
        .select::<campaign_lever::Entity>()
        .select_only()
        .columns([
            campaign_lever::Column::CampaignId,
            campaign_lever::Column::Lever,
        ])
        .filter(scope.one_of(
            campaign_lever::Column::CampaignId,
            campaign_ids.iter().copied(),
        ))
        .order_by_asc(campaign_lever::Column::Position)
        .into_tuple()
        .all(scope.connection())
        .await?;
    let mut levers: HashMap<Uuid, Vec<Lever>> =
        campaign_ids.iter().map(|id| (*id, Vec::new())).collect();
    for (campaign_id, lever) in rows {
        levers.entry(campaign_id).or_default().push(lever);
    }
    Ok(levers)
}

/// Replaces the levers of a campaign.
pub async fn set_levers<C: crate::store::scope::ScopeConnection>(
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

/// The personas targeted by each campaign, in two statements whatever the number of campaigns.
pub async fn personas_by_campaign<C: ConnectionTrait>(
    scope: &Scoped<C>,
    campaign_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<Arc<persona::Model>>>> {
    let links: Vec<(Uuid, Uuid)> = scope
        .select::<campaign_persona::Entity>()
        .select_only()
        .columns([
            campaign_persona::Column::CampaignId,
            campaign_persona::Column::PersonaId,
        ])
        .filter(scope.one_of(
            campaign_persona::Column::CampaignId,
            campaign_ids.iter().copied(),
        ))
        .into_tuple()
        .all(scope.connection())
        .await?;
    crate::store::strategy::persona::group_linked(scope, campaign_ids, &links).await
}

/// Replaces the personas a campaign targets.
pub async fn set_personas<C: crate::store::scope::ScopeConnection>(
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
        .filter(scope.one_of(
            campaign_objective::Column::CampaignId,
            campaign_ids.iter().copied(),
        ))
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

/// Replaces the objectives a campaign serves.
pub async fn set_objectives<C: crate::store::scope::ScopeConnection>(
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
