//! The sub-campaign tree: the children of each campaign, the parent links of a plan (to refuse
//! cycles), and detaching children before their parent is deleted.

use std::collections::HashMap;

use entity::campaign;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::store::{Scoped, StoreResult};

/// The sub-campaigns of each campaign, oldest first, in one statement.
pub async fn children_by_parent<C: ConnectionTrait>(
    scope: &Scoped<C>,
    parent_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<campaign::Model>>> {
    let rows = scope
        .select::<campaign::Entity>()
        .filter(scope.one_of(
            campaign::Column::ParentCampaignId,
            parent_ids.iter().copied(),
        ))
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
pub async fn detach_children<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    parent_id: Uuid,
) -> StoreResult<u64> {
    scope
        .detach::<campaign::Entity>(campaign::Column::ParentCampaignId, parent_id)
        .await
}
