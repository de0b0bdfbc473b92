//! What `copyPlan` copies, as a table of steps run in order: each step takes the rows of one
//! table from the loaded plan, maps them onto the new plan ([`Copied`]) and inserts them, a few
//! statements per table.
//!
//! The order is what keeps every foreign key satisfied the moment a row is written: the plan
//! first; segments before their persona links; objectives and campaigns before the campaign
//! links; parent campaigns before their sub-campaigns; campaigns before actions, and actions
//! before the content items that point at them.

use std::collections::HashSet;

use entity::{TenantOwned, campaign, enums::PlanStatus, plan};
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel, ModelTrait};
use uuid::Uuid;

use super::{
    PeriodShift,
    rows::{Copied, Copying},
};
use crate::store::{
    Scoped, StoreResult,
    plan::contents::{PlanRows, insert_rows},
};

/// Inserts the copy of `source`, a new draft plan named `name` in the period of `shift`, and
/// returns it. One step a table, in this order (see the module documentation for why).
pub(super) async fn run<C: ConnectionTrait>(
    tx: &Scoped<C>,
    source: &PlanRows,
    name: String,
    shift: PeriodShift,
) -> StoreResult<plan::Model> {
    let copying = Copying::new(source, shift);
    let created = plan::Model {
        id: copying.plan_id,
        name,
        period_start: shift.start,
        period_end: shift.end,
        status: PlanStatus::Draft,
        version: 1,
        created_at: copying.now,
        updated_at: copying.now,
        // The reference names the source plan, not its copy.
        external_source: None,
        external_id: None,
        ..source.plan.clone()
    };
    insert_rows::<plan::Entity, plan::ActiveModel, _>(tx, vec![created.clone()]).await?;
    let copying = &copying;
    step(tx, copying, &source.plan_personas).await?;
    step(tx, copying, &source.trends).await?;
    step(tx, copying, &source.competitors).await?;
    step(tx, copying, &source.swot_items).await?;
    step(tx, copying, &source.pest_factors).await?;
    step(tx, copying, &source.brand).await?;
    step(tx, copying, &source.mix).await?;
    step(tx, copying, &source.segments).await?;
    step(tx, copying, &source.segment_personas).await?;
    step(tx, copying, &source.objectives).await?;
    step(tx, copying, &source.allocations).await?;
    step(tx, copying, &source.interactions).await?;
    step(tx, copying, parents_first(&source.campaigns)).await?;
    step(tx, copying, &source.campaign_levers).await?;
    step(tx, copying, &source.campaign_personas).await?;
    step(tx, copying, &source.campaign_objectives).await?;
    step(tx, copying, &source.actions).await?;
    step(tx, copying, &source.content_items).await?;
    Ok(created)
}

/// One step: inserts the copies of `rows` (those [`Copied::copied`] does not leave out).
async fn step<'a, M, E, C>(
    tx: &Scoped<C>,
    copying: &Copying,
    rows: impl IntoIterator<Item = &'a M>,
) -> StoreResult<()>
where
    M: Copied + ModelTrait<Entity = E> + IntoActiveModel<E::ActiveModel> + 'a,
    E: TenantOwned + EntityTrait<Model = M>,
    E::ActiveModel: Send,
    C: ConnectionTrait,
{
    let copies = rows
        .into_iter()
        .filter_map(|row| row.copied(copying))
        .collect();
    insert_rows::<E, E::ActiveModel, C>(tx, copies).await
}

/// The campaigns ordered so that each parent comes before its sub-campaigns (the copies are
/// inserted in that order, so a parent always exists when its children reference it).
fn parents_first(campaigns: &[campaign::Model]) -> Vec<&campaign::Model> {
    let present: HashSet<Uuid> = campaigns.iter().map(|row| row.id).collect();
    let mut placed: HashSet<Uuid> = HashSet::new();
    let mut ordered = Vec::with_capacity(campaigns.len());
    while ordered.len() < campaigns.len() {
        let before = ordered.len();
        for row in campaigns {
            let ready = match row.parent_campaign_id {
                Some(parent) if present.contains(&parent) => placed.contains(&parent),
                _ => true,
            };
            if ready && !placed.contains(&row.id) {
                placed.insert(row.id);
                ordered.push(row);
            }
        }
        if ordered.len() == before {
            // A cycle (which the API never lets in): place the rest as they come.
            ordered.extend(campaigns.iter().filter(|row| !placed.contains(&row.id)));
            break;
        }
    }
    ordered
}
