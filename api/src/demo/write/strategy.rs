//! The strategy layer of the demo plan: SWOT, PEST, market trends, competitors, brand, marketing
//! mix and segments.

use uuid::Uuid;

use super::{personas, strings};
use crate::{
    demo::{SeedError, SeedSummary, data, refused},
    domain::{
        self, Session, strategy::brand::BrandContent, strategy::competitor::CompetitorProfile,
        strategy::market::NewMarketTrend, strategy::pest::NewPestFactor,
        strategy::segment::NewSegment,
    },
};

/// Writes the strategy layer.
pub(super) async fn write(
    session: &Session,
    plan_id: Uuid,
    persona_ids: &[Uuid],
    summary: &mut SeedSummary,
) -> Result<(), SeedError> {
    for (quadrant, statement, impact) in data::SWOT {
        domain::strategy::swot::create(session, plan_id, quadrant, statement, impact)
            .await
            .map_err(refused("a SWOT item"))?;
        summary.swot_items += 1;
    }
    for (category, statement, impact, likelihood) in data::PEST {
        domain::strategy::pest::create(
            session,
            NewPestFactor {
                plan_id,
                category,
                statement: statement.to_owned(),
                impact,
                likelihood,
            },
        )
        .await
        .map_err(refused("a PEST factor"))?;
        summary.pest_factors += 1;
    }
    for (statement, description, source, impact) in data::TRENDS {
        domain::strategy::market::create(
            session,
            NewMarketTrend {
                plan_id,
                statement: statement.to_owned(),
                description: Some(description.to_owned()),
                source: Some(source.to_owned()),
                impact,
            },
        )
        .await
        .map_err(refused("a market trend"))?;
        summary.market_trends += 1;
    }
    for competitor in &data::COMPETITORS {
        domain::strategy::competitor::create(
            session,
            plan_id,
            competitor.name.to_owned(),
            CompetitorProfile {
                website: Some(competitor.website.to_owned()),
                positioning: Some(competitor.positioning.to_owned()),
                strategy_notes: Some(competitor.strategy_notes.to_owned()),
                levers: competitor.levers.to_vec(),
                strengths: strings(competitor.strengths),
                weaknesses: strings(competitor.weaknesses),
            },
        )
        .await
        .map_err(refused(format!("competitor \"{}\"", competitor.name)))?;
        summary.competitors += 1;
    }
    let brand = &data::BRAND;
    domain::strategy::brand::set(
        session,
        plan_id,
        None,
        BrandContent {
            current_perception: Some(brand.current_perception.to_owned()),
            values: strings(brand.values),
            mission: Some(brand.mission.to_owned()),
            vision: Some(brand.vision.to_owned()),
            tone: Some(brand.tone.to_owned()),
            positioning_statement: Some(brand.positioning_statement.to_owned()),
        },
    )
    .await
    .map_err(refused("the brand"))?;
    for (dimension, text) in data::MIX {
        domain::strategy::mix::set(session, plan_id, dimension, Some(text))
            .await
            .map_err(refused(format!("the marketing mix ({dimension:?})")))?;
        summary.mix_dimensions += 1;
    }
    for segment in &data::SEGMENTS {
        domain::strategy::segment::create(
            session,
            NewSegment {
                plan_id,
                name: segment.name.to_owned(),
                criteria: strings(segment.criteria),
                estimated_size: Some(segment.estimated_size),
                targeted: true,
                positioning: Some(segment.positioning.to_owned()),
                persona_ids: personas(persona_ids, segment.personas),
            },
        )
        .await
        .map_err(refused(format!("segment \"{}\"", segment.name)))?;
        summary.segments += 1;
    }
    Ok(())
}
