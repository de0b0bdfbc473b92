//! Queries on the strategy layer of plans: the rows of each plan (trends, competitors, SWOT
//! items, PEST factors, brand, marketing mix, segments) and the persona–segment links.

pub mod persona;

use std::collections::HashMap;

use entity::{
    Identified, brand, competitor, market_trend, marketing_mix_entry, persona_segment, pest_factor,
    segment, strategy_enums::MixDimension, swot_item,
};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::store::{Scoped, StoreResult};

/// A table whose rows belong to one plan and are listed in creation order.
pub trait PlanChild: Identified {
    /// The `plan_id` column.
    fn plan_column() -> Self::Column;
    /// The plan of a row.
    fn plan_of(row: &Self::Model) -> Uuid;
}

macro_rules! plan_child {
    ($module:ident) => {
        impl PlanChild for $module::Entity {
            fn plan_column() -> $module::Column {
                $module::Column::PlanId
            }
            fn plan_of(row: &$module::Model) -> Uuid {
                row.plan_id
            }
        }
    };
}

plan_child!(market_trend);
plan_child!(competitor);
plan_child!(swot_item);
plan_child!(pest_factor);
plan_child!(brand);
plan_child!(segment);

/// The rows of each plan, oldest first, in one statement. Every plan gets an entry.
pub async fn by_plan<E: PlanChild, C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<E::Model>>> {
    let rows = scope
        .select::<E>()
        .filter(scope.one_of(E::plan_column(), plan_ids.iter().copied()))
        .order_by_asc(E::id_column())
        .all(scope.connection())
        .await?;
    let mut grouped: HashMap<Uuid, Vec<E::Model>> =
        plan_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        grouped.entry(E::plan_of(&row)).or_default().push(row);
    }
    Ok(grouped)
}

/// The brand of each plan that has one, in one statement.
pub async fn brands_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, brand::Model>> {
    Ok(by_plan::<brand::Entity, _>(scope, plan_ids)
        .await?
        .into_iter()
        .filter_map(|(plan_id, rows)| rows.into_iter().next().map(|row| (plan_id, row)))
        .collect())
}

/// The brand of one plan, if set.
pub async fn brand_of_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
) -> StoreResult<Option<brand::Model>> {
    Ok(scope
        .select::<brand::Entity>()
        .filter(brand::Column::PlanId.eq(plan_id))
        .one(scope.connection())
        .await?)
}

/// The marketing-mix entries set on each plan, in one statement.
pub async fn mix_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<marketing_mix_entry::Model>>> {
    let rows = scope
        .select::<marketing_mix_entry::Entity>()
        .filter(scope.one_of(
            marketing_mix_entry::Column::PlanId,
            plan_ids.iter().copied(),
        ))
        .all(scope.connection())
        .await?;
    let mut grouped: HashMap<Uuid, Vec<marketing_mix_entry::Model>> =
        plan_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        grouped.entry(row.plan_id).or_default().push(row);
    }
    Ok(grouped)
}

/// Sets (or, with `None`, clears) the text of one dimension of a plan's mix.
pub async fn set_mix<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    plan_id: Uuid,
    dimension: MixDimension,
    text: Option<String>,
) -> StoreResult<Option<marketing_mix_entry::Model>> {
    scope
        .delete_where::<marketing_mix_entry::Entity>(
            Condition::all()
                .add(marketing_mix_entry::Column::PlanId.eq(plan_id))
                .add(marketing_mix_entry::Column::Dimension.eq(dimension)),
        )
        .await?;
    let Some(text) = text else {
        return Ok(None);
    };
    Ok(Some(
        scope
            .insert(marketing_mix_entry::ActiveModel {
                plan_id: Set(plan_id),
                dimension: Set(dimension),
                text: Set(text),
                ..Default::default()
            })
            .await?,
    ))
}

/// Replaces the personas of a segment.
pub async fn set_segment_personas<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    segment_id: Uuid,
    persona_ids: &[Uuid],
) -> StoreResult<()> {
    let rows = persona_ids
        .iter()
        .map(|persona_id| persona_segment::ActiveModel {
            segment_id: Set(segment_id),
            persona_id: Set(*persona_id),
            ..Default::default()
        })
        .collect();
    scope
        .replace_children::<persona_segment::Entity, _>(
            persona_segment::Column::SegmentId,
            segment_id,
            rows,
        )
        .await
}

/// The personas of each segment, in two statements whatever the number of segments.
pub async fn personas_by_segment<C: ConnectionTrait>(
    scope: &Scoped<C>,
    segment_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<std::sync::Arc<entity::persona::Model>>>> {
    let links: Vec<(Uuid, Uuid)> = scope
        .select::<persona_segment::Entity>()
        .filter(scope.one_of(
            persona_segment::Column::SegmentId,
            segment_ids.iter().copied(),
        ))
        .all(scope.connection())
        .await?
        .into_iter()
        .map(|link| (link.segment_id, link.persona_id))
        .collect();
    crate::store::strategy::persona::group_linked(scope, segment_ids, &links).await
}

/// The segments each persona belongs to (across the tenant's plans), oldest first, in two
/// statements whatever the number of personas.
pub async fn segments_by_persona<C: ConnectionTrait>(
    scope: &Scoped<C>,
    persona_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<segment::Model>>> {
    let links = scope
        .select::<persona_segment::Entity>()
        .filter(scope.one_of(
            persona_segment::Column::PersonaId,
            persona_ids.iter().copied(),
        ))
        .all(scope.connection())
        .await?;
    let mut segment_ids: Vec<Uuid> = links.iter().map(|link| link.segment_id).collect();
    segment_ids.sort_unstable();
    segment_ids.dedup();
    let segments: HashMap<Uuid, segment::Model> = scope
        .find_many::<segment::Entity>(&segment_ids)
        .await?
        .into_iter()
        .map(|segment| (segment.id, segment))
        .collect();
    let mut grouped: HashMap<Uuid, Vec<segment::Model>> =
        persona_ids.iter().map(|id| (*id, Vec::new())).collect();
    for link in links {
        if let Some(segment) = segments.get(&link.segment_id) {
            grouped
                .entry(link.persona_id)
                .or_default()
                .push(segment.clone());
        }
    }
    for segments in grouped.values_mut() {
        segments.sort_by_key(|segment| segment.id);
    }
    Ok(grouped)
}
