//! Every row of one plan, read in a fixed number of statements (one per table, whatever the
//! number of rows): what the plan document renders and what `copyPlan` duplicates.

use entity::{
    action, brand, campaign, campaign_lever, campaign_objective, campaign_persona, competitor,
    content_item, lever_allocation, lever_interaction, market_trend, marketing_mix_entry,
    objective, persona, persona_segment, pest_factor, plan, plan_persona, segment, swot_item,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::store::{Scoped, StoreResult};

/// Every row of one plan, each list in a stable order (by date where there is one, then by id,
/// which is creation order for UUID v7).
#[derive(Debug, Clone)]
pub struct PlanRows {
    /// The plan.
    pub plan: plan::Model,
    /// The links to the personas the plan targets.
    pub plan_personas: Vec<plan_persona::Model>,
    /// The personas linked to the plan or to one of its segments, by name.
    pub personas: Vec<persona::Model>,
    /// Market trends.
    pub trends: Vec<market_trend::Model>,
    /// Competitors.
    pub competitors: Vec<competitor::Model>,
    /// SWOT items.
    pub swot_items: Vec<swot_item::Model>,
    /// PEST(EL) factors.
    pub pest_factors: Vec<pest_factor::Model>,
    /// The brand platform, if set.
    pub brand: Option<brand::Model>,
    /// Marketing-mix entries, by dimension.
    pub mix: Vec<marketing_mix_entry::Model>,
    /// Segments.
    pub segments: Vec<segment::Model>,
    /// Persona–segment links of the plan's segments.
    pub segment_personas: Vec<persona_segment::Model>,
    /// Objectives, by deadline.
    pub objectives: Vec<objective::Model>,
    /// Lever allocations, by priority.
    pub allocations: Vec<lever_allocation::Model>,
    /// Lever interactions.
    pub interactions: Vec<lever_interaction::Model>,
    /// Campaigns, by start date.
    pub campaigns: Vec<campaign::Model>,
    /// Campaign levers, by position.
    pub campaign_levers: Vec<campaign_lever::Model>,
    /// Campaign–persona links.
    pub campaign_personas: Vec<campaign_persona::Model>,
    /// Campaign–objective links.
    pub campaign_objectives: Vec<campaign_objective::Model>,
    /// Actions, by start date.
    pub actions: Vec<action::Model>,
    /// Content items, by publish date.
    pub content_items: Vec<content_item::Model>,
}

/// Reads every row of the plan `plan_id` in a fixed number of statements (20), or `None` when
/// the tenant has no such plan (one statement then).
pub async fn load<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
) -> StoreResult<Option<PlanRows>> {
    let Some(plan) = scope.find::<plan::Entity>(plan_id).await? else {
        return Ok(None);
    };
    let connection = scope.connection();
    let plan_personas = scope
        .select::<plan_persona::Entity>()
        .filter(plan_persona::Column::PlanId.eq(plan_id))
        .all(connection)
        .await?;
    let trends = scope
        .select::<market_trend::Entity>()
        .filter(market_trend::Column::PlanId.eq(plan_id))
        .order_by_asc(market_trend::Column::Id)
        .all(connection)
        .await?;
    let competitors = scope
        .select::<competitor::Entity>()
        .filter(competitor::Column::PlanId.eq(plan_id))
        .order_by_asc(competitor::Column::Id)
        .all(connection)
        .await?;
    let swot_items = scope
        .select::<swot_item::Entity>()
        .filter(swot_item::Column::PlanId.eq(plan_id))
        .order_by_asc(swot_item::Column::Id)
        .all(connection)
        .await?;
    let pest_factors = scope
        .select::<pest_factor::Entity>()
        .filter(pest_factor::Column::PlanId.eq(plan_id))
        .order_by_asc(pest_factor::Column::Id)
        .all(connection)
        .await?;
    let brand = scope
        .select::<brand::Entity>()
        .filter(brand::Column::PlanId.eq(plan_id))
        .one(connection)
        .await?;
    let mut mix = scope
        .select::<marketing_mix_entry::Entity>()
        .filter(marketing_mix_entry::Column::PlanId.eq(plan_id))
        .all(connection)
        .await?;
    mix.sort_by_key(|entry| entry.dimension);
    let segments = scope
        .select::<segment::Entity>()
        .filter(segment::Column::PlanId.eq(plan_id))
        .order_by_asc(segment::Column::Id)
        .all(connection)
        .await?;
    let segment_personas = scope
        .select::<persona_segment::Entity>()
        .filter(scope.one_of(
            persona_segment::Column::SegmentId,
            segments.iter().map(|segment| segment.id),
        ))
        .all(connection)
        .await?;
    let objectives = scope
        .select::<objective::Entity>()
        .filter(objective::Column::PlanId.eq(plan_id))
        .order_by_asc(objective::Column::Deadline)
        .order_by_asc(objective::Column::Id)
        .all(connection)
        .await?;
    let allocations = scope
        .select::<lever_allocation::Entity>()
        .filter(lever_allocation::Column::PlanId.eq(plan_id))
        .order_by_asc(lever_allocation::Column::Priority)
        .order_by_asc(lever_allocation::Column::Id)
        .all(connection)
        .await?;
    let interactions = scope
        .select::<lever_interaction::Entity>()
        .filter(lever_interaction::Column::PlanId.eq(plan_id))
        .order_by_asc(lever_interaction::Column::Id)
        .all(connection)
        .await?;
    let campaigns = scope
        .select::<campaign::Entity>()
        .filter(campaign::Column::PlanId.eq(plan_id))
        .order_by_asc(campaign::Column::StartDate)
        .order_by_asc(campaign::Column::Id)
        .all(connection)
        .await?;
    let campaign_ids: Vec<Uuid> = campaigns.iter().map(|campaign| campaign.id).collect();
    let campaign_levers = scope
        .select::<campaign_lever::Entity>()
        .filter(scope.one_of(
            campaign_lever::Column::CampaignId,
            campaign_ids.iter().copied(),
        ))
        .order_by_asc(campaign_lever::Column::Position)
        .all(connection)
        .await?;
    let campaign_personas = scope
        .select::<campaign_persona::Entity>()
        .filter(scope.one_of(
            campaign_persona::Column::CampaignId,
            campaign_ids.iter().copied(),
        ))
        .all(connection)
        .await?;
    let campaign_objectives = scope
        .select::<campaign_objective::Entity>()
        .filter(scope.one_of(
            campaign_objective::Column::CampaignId,
            campaign_ids.iter().copied(),
        ))
        .all(connection)
        .await?;
    let actions = scope
        .select::<action::Entity>()
        .filter(action::Column::PlanId.eq(plan_id))
        .order_by_asc(action::Column::StartDate)
        .order_by_asc(action::Column::Id)
        .all(connection)
        .await?;
    let content_items = scope
        .select::<content_item::Entity>()
        .filter(content_item::Column::PlanId.eq(plan_id))
        .order_by_asc(content_item::Column::PublishDate)
        .order_by_asc(content_item::Column::Id)
        .all(connection)
        .await?;
    let mut persona_ids: Vec<Uuid> = plan_personas
        .iter()
        .map(|link| link.persona_id)
        .chain(segment_personas.iter().map(|link| link.persona_id))
        .chain(campaign_personas.iter().map(|link| link.persona_id))
        .chain(content_items.iter().map(|item| item.persona_id))
        .collect();
    persona_ids.sort_unstable();
    persona_ids.dedup();
    let personas = scope
        .select::<persona::Entity>()
        .filter(scope.one_of(persona::Column::Id, persona_ids))
        .order_by_asc(persona::Column::Name)
        .order_by_asc(persona::Column::Id)
        .all(connection)
        .await?;
    Ok(Some(PlanRows {
        plan,
        plan_personas,
        personas,
        trends,
        competitors,
        swot_items,
        pest_factors,
        brand,
        mix,
        segments,
        segment_personas,
        objectives,
        allocations,
        interactions,
        campaigns,
        campaign_levers,
        campaign_personas,
        campaign_objectives,
        actions,
        content_items,
    }))
}

/// Rows per multi-row `INSERT`: keeps every statement well under SQLite's and PostgreSQL's
/// limits on bound parameters (the widest table has 25 columns).
const INSERT_CHUNK_ROWS: usize = 500;

/// Inserts copies of rows (already carrying their new ids and links) into this tenant, a few
/// statements per table: one per [`INSERT_CHUNK_ROWS`] rows.
pub async fn insert_rows<E, A, C>(scope: &Scoped<C>, rows: Vec<E::Model>) -> StoreResult<()>
where
    E: entity::TenantOwned,
    E::Model: IntoActiveModel<A>,
    A: ActiveModelTrait<Entity = E> + Send,
    C: crate::store::scope::ScopeConnection,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows
            .by_ref()
            .take(INSERT_CHUNK_ROWS)
            .map(|row| {
                let mut active = row.into_active_model();
                // Mark every column as set so that the INSERT writes them all.
                for column in <E::Column as sea_orm::Iterable>::iter() {
                    if let Some(value) = active.get(column).into_value() {
                        active.set(column, value);
                    }
                }
                active
            })
            .collect();
        scope.insert_many::<E, A>(chunk).await?;
    }
    Ok(())
}
