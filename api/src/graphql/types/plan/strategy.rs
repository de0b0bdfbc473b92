//! `Plan`'s strategy fields: the personas it targets, its market analysis (trends and
//! competitors), SWOT, PEST, brand platform, marketing mix and segments. An object of their own
//! that `Plan` flattens, so that `Plan`'s file keeps to the plan itself.

use async_graphql::{Context, Object, Result};
use entity::strategy_enums::{MixDimension, PestCategory, SwotQuadrant};
use uuid::Uuid;

use crate::graphql::{
    context::loaders,
    types::{
        Brand, Competitor, MarketTrend, MarketingMixEntry, Persona, PestFactor, Segment, SwotItem,
    },
};

/// The strategy of the plan with this id.
pub struct PlanStrategy(pub Uuid);

#[Object]
impl PlanStrategy {
    /// The personas the plan targets.
    async fn personas(&self, ctx: &Context<'_>) -> Result<Vec<Persona>> {
        let personas = loaders(ctx)?.plan_personas.load_one(self.0).await?;
        Ok(personas
            .unwrap_or_default()
            .into_iter()
            .map(Persona)
            .collect())
    }

    /// Trends of the plan's market (market analysis), oldest first.
    async fn market_trends(&self, ctx: &Context<'_>) -> Result<Vec<MarketTrend>> {
        let rows = loaders(ctx)?.plan_market_trends.load_one(self.0).await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(MarketTrend)
            .collect())
    }

    /// Competitors studied in the market analysis, oldest first.
    async fn competitors(&self, ctx: &Context<'_>) -> Result<Vec<Competitor>> {
        let rows = loaders(ctx)?.plan_competitors.load_one(self.0).await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(Competitor)
            .collect())
    }

    /// Items of the plan's SWOT analysis, oldest first, optionally of one quadrant.
    async fn swot_items(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only items of this quadrant; all items when omitted.")] quadrant: Option<
            SwotQuadrant,
        >,
    ) -> Result<Vec<SwotItem>> {
        let rows = loaders(ctx)?.plan_swot_items.load_one(self.0).await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .filter(|row| quadrant.is_none_or(|wanted| row.quadrant == wanted))
            .map(SwotItem)
            .collect())
    }

    /// Factors of the plan's PEST (PESTEL) analysis, oldest first, optionally of one category.
    async fn pest_factors(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only factors of this category; all factors when omitted.")]
        category: Option<PestCategory>,
    ) -> Result<Vec<PestFactor>> {
        let rows = loaders(ctx)?.plan_pest_factors.load_one(self.0).await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .filter(|row| category.is_none_or(|wanted| row.category == wanted))
            .map(PestFactor)
            .collect())
    }

    /// The plan's brand platform; null until set with `setBrand`.
    async fn brand(&self, ctx: &Context<'_>) -> Result<Option<Brand>> {
        Ok(loaders(ctx)?.plan_brand.load_one(self.0).await?.map(Brand))
    }

    /// The ten dimensions of the marketing mix, always in the order PRODUCT, PRICE, PLACE,
    /// PROMOTION, PERSON, PROCESS, PROOF, PARTNERSHIP, PERMISSION, PURPLE_COW; `text` is null
    /// where unset.
    async fn marketing_mix(&self, ctx: &Context<'_>) -> Result<Vec<MarketingMixEntry>> {
        let rows = loaders(ctx)?
            .plan_marketing_mix
            .load_one(self.0)
            .await?
            .unwrap_or_default();
        Ok(MixDimension::ALL
            .into_iter()
            .map(|dimension| MarketingMixEntry {
                dimension,
                entry: rows.iter().find(|row| row.dimension == dimension).cloned(),
            })
            .collect())
    }

    /// The plan's market segments, oldest first.
    async fn segments(&self, ctx: &Context<'_>) -> Result<Vec<Segment>> {
        let rows = loaders(ctx)?.plan_segments.load_one(self.0).await?;
        Ok(rows.unwrap_or_default().into_iter().map(Segment).collect())
    }
}
