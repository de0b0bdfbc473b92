//! Inputs of `recordTouchpoints`, `recordConversions` and the `attribution` query.

use async_graphql::{Enum, ID, InputObject};
use entity::enums::Lever;

use crate::{
    domain::attribution::{
        self, AttributionRequest,
        record::{ConversionParams, TouchpointParams},
    },
    graphql::scalars::{DateTime, Decimal},
    ids::{self, NodeType},
};

/// One contact of a customer journey with a lever (and perhaps a campaign).
#[derive(Debug, InputObject)]
pub struct TouchpointInput {
    /// The journey (a visitor, lead or customer id of your source) the touch belongs to; the
    /// conversions of the same journey are credited to it. Not empty, at most 255 characters.
    pub journey_id: String,
    /// When the contact happened.
    pub occurred_at: DateTime,
    /// The lever of the contact.
    pub lever: Lever,
    /// Global ID of the campaign of the contact, if known; NOT_FOUND unless it is the
    /// tenant's.
    pub campaign_id: Option<ID>,
    /// Where the row comes from (`manual`, `ga4`…); at most 64 characters.
    #[graphql(default_with = "Some(\"manual\".to_owned())")]
    pub source: Option<String>,
    /// The source's own key of the row: re-sending the same (source, externalId) updates the
    /// row instead of adding one. Not empty, at most 255 characters.
    pub external_id: String,
}

impl From<TouchpointInput> for TouchpointParams {
    fn from(input: TouchpointInput) -> Self {
        Self {
            journey_id: input.journey_id,
            occurred_at: input.occurred_at.0,
            lever: input.lever,
            campaign_id: input
                .campaign_id
                .map(|id| ids::decode_link(&id, NodeType::Campaign)),
            source: input.source,
            external_id: input.external_id,
        }
    }
}

/// A batch of touchpoints.
#[derive(Debug, InputObject)]
pub struct RecordTouchpointsInput {
    /// Up to 1000 touchpoints, all recorded or none.
    pub touchpoints: Vec<TouchpointInput>,
}

/// One conversion (a sale, a lead) of a customer journey.
#[derive(Debug, InputObject)]
pub struct ConversionInput {
    /// The journey that converted. Not empty, at most 255 characters.
    pub journey_id: String,
    /// When it converted.
    pub occurred_at: DateTime,
    /// Its value in the tenant's currency: not negative, at most 6 decimal places.
    pub value: Decimal,
    /// Where the row comes from (`manual`, `shop`…); at most 64 characters.
    #[graphql(default_with = "Some(\"manual\".to_owned())")]
    pub source: Option<String>,
    /// The source's own key of the row: re-sending the same (source, externalId) updates the
    /// row instead of adding one. Not empty, at most 255 characters.
    pub external_id: String,
}

impl From<ConversionInput> for ConversionParams {
    fn from(input: ConversionInput) -> Self {
        Self {
            journey_id: input.journey_id,
            occurred_at: input.occurred_at.0,
            value: input.value.0,
            source: input.source,
            external_id: input.external_id,
        }
    }
}

/// A batch of conversions.
#[derive(Debug, InputObject)]
pub struct RecordConversionsInput {
    /// Up to 1000 conversions, all recorded or none.
    pub conversions: Vec<ConversionInput>,
}

/// How credit for a conversion is shared among the touches of its lookback window (the
/// touches of its journey at or before it, ordered by time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::domain::attribution::AttributionModel")]
pub enum AttributionModel {
    /// 100 % to the first touch.
    FirstTouch,
    /// 100 % to the last touch before the conversion.
    LastTouch,
    /// 1/n to each of the n touches.
    Linear,
    /// 40 % to the first touch, 40 % to the last, 20 % shared equally by the touches between
    /// (one touch: 100 %; two: 50/50). `positionWeights` changes the 40/40.
    PositionBased,
    /// Weight 2^(−days before the conversion / half-life), normalised to sum to 1; the
    /// half-life is 7 days unless `halfLifeDays` says otherwise.
    TimeDecay,
}

/// What the rows of an attribution report are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::domain::attribution::AttributionDimension")]
pub enum AttributionDimension {
    /// One row per lever.
    Lever,
    /// One row per campaign; touches without a campaign credit the row without one.
    Campaign,
}

/// The first and last touch's shares in the position-based model (seed 000's custom weighting
/// of first and last touch); the touches between share the rest equally. With two touches they
/// get first ÷ (first + last) and last ÷ (first + last) (50/50 when both are 0).
#[derive(Debug, InputObject)]
pub struct PositionWeightsInput {
    /// The first touch's share, between 0 and 1.
    pub first: f64,
    /// The last touch's share, between 0 and 1; first + last is at most 1.
    pub last: f64,
}

/// What to attribute: a model, a range of conversions, a lookback window and the rows wanted.
#[derive(Debug, InputObject)]
pub struct AttributionInput {
    /// The attribution model.
    pub model: AttributionModel,
    /// Conversions at or after this instant…
    pub from: DateTime,
    /// …and strictly before this one; must be after `from`.
    pub to: DateTime,
    /// How far back before each conversion its touches count, in days (1 to 365).
    #[graphql(default_with = "Some(attribution::DEFAULT_LOOKBACK_DAYS)")]
    pub lookback_days: Option<i32>,
    /// What the rows are.
    pub group_by: AttributionDimension,
    /// First and last shares for POSITION_BASED (default 0.4 and 0.4); ignored by the other
    /// models.
    pub position_weights: Option<PositionWeightsInput>,
    /// Half-life in days for TIME_DECAY (above 0, at most 365; default 7); ignored by the
    /// other models.
    #[graphql(default_with = "Some(attribution::DEFAULT_HALF_LIFE_DAYS)")]
    pub half_life_days: Option<f64>,
}

impl From<AttributionInput> for AttributionRequest {
    fn from(input: AttributionInput) -> Self {
        Self {
            model: input.model.into(),
            from: input.from.0,
            to: input.to.0,
            lookback_days: input.lookback_days,
            group_by: input.group_by.into(),
            position_weights: input
                .position_weights
                .map(|weights| (weights.first, weights.last)),
            half_life_days: input.half_life_days,
        }
    }
}
