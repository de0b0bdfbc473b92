//! Loaders of the strategy layer: each plan's trends, competitors, SWOT items, PEST factors,
//! brand, marketing mix and segments, and the persona–segment links in both directions.

use std::{collections::HashMap, marker::PhantomData};

use async_graphql::dataloader::Loader;
use entity::{brand, marketing_mix_entry, persona, segment};
use uuid::Uuid;

use super::ReadScope;
use crate::{
    error::ApiError,
    store::{self, strategy::PlanChild},
};

/// The rows of `E` of each plan, oldest first, in one statement.
pub struct PlanRows<E> {
    scope: ReadScope,
    entity: PhantomData<fn() -> E>,
}

impl<E> PlanRows<E> {
    /// A loader reading through `scope`.
    pub fn new(scope: ReadScope) -> Self {
        Self {
            scope,
            entity: PhantomData,
        }
    }
}

impl<E> Loader<Uuid> for PlanRows<E>
where
    E: PlanChild,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = Vec<E::Model>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::strategy::by_plan::<E, _>(&self.scope.clone()?, plan_ids).await?)
    }
}

/// The brand of each plan that has one.
pub struct PlanBrand(pub ReadScope);

impl Loader<Uuid> for PlanBrand {
    type Value = brand::Model;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::strategy::brands_by_plan(&self.0.clone()?, plan_ids).await?)
    }
}

/// The marketing-mix entries set on each plan.
pub struct PlanMarketingMix(pub ReadScope);

impl Loader<Uuid> for PlanMarketingMix {
    type Value = Vec<marketing_mix_entry::Model>;
    type Error = ApiError;

    async fn load(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::strategy::mix_by_plan(&self.0.clone()?, plan_ids).await?)
    }
}

/// The personas of each segment.
pub struct SegmentPersonas(pub ReadScope);

impl Loader<Uuid> for SegmentPersonas {
    type Value = Vec<std::sync::Arc<persona::Model>>;
    type Error = ApiError;

    async fn load(&self, segment_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::strategy::personas_by_segment(&self.0.clone()?, segment_ids).await?)
    }
}

/// The segments each persona belongs to.
pub struct PersonaSegments(pub ReadScope);

impl Loader<Uuid> for PersonaSegments {
    type Value = Vec<segment::Model>;
    type Error = ApiError;

    async fn load(&self, persona_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::strategy::segments_by_persona(&self.0.clone()?, persona_ids).await?)
    }
}
