//! Enumerations of the strategy layer (SWOT, PEST, marketing mix), stored as strings.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The quadrant of a SWOT item.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SwotQuadrant {
    /// An internal quality that helps the company reach its objectives.
    #[sea_orm(string_value = "STRENGTH")]
    Strength,
    /// An internal shortcoming that holds the company back.
    #[sea_orm(string_value = "WEAKNESS")]
    Weakness,
    /// An external circumstance the company can take advantage of.
    #[sea_orm(string_value = "OPPORTUNITY")]
    Opportunity,
    /// An external circumstance that could harm the company.
    #[sea_orm(string_value = "THREAT")]
    Threat,
}

/// The category of a PEST (PESTEL) factor of the macro-environment.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PestCategory {
    /// Government policy, stability, taxation, trade rules.
    #[sea_orm(string_value = "POLITICAL")]
    Political,
    /// Growth, inflation, purchasing power, exchange rates.
    #[sea_orm(string_value = "ECONOMIC")]
    Economic,
    /// Demographics, culture, habits and attitudes of buyers.
    #[sea_orm(string_value = "SOCIAL")]
    Social,
    /// New technologies, platforms and tools, their adoption.
    #[sea_orm(string_value = "TECHNOLOGICAL")]
    Technological,
    /// Climate, ecology, sustainability expectations (PESTEL).
    #[sea_orm(string_value = "ENVIRONMENTAL")]
    Environmental,
    /// Laws and regulations, such as consumer law or personal-data rules (PESTEL).
    #[sea_orm(string_value = "LEGAL")]
    Legal,
}

/// A dimension of the marketing mix: the 4P extended by the six e-marketing P's of seed 000.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum MixDimension {
    /// The offer itself: what is sold, its features and range.
    #[sea_orm(string_value = "PRODUCT")]
    Product,
    /// How the offer is priced: price levels, discounts, payment terms.
    #[sea_orm(string_value = "PRICE")]
    Price,
    /// Where and how the offer is distributed: site, marketplaces, shops.
    #[sea_orm(string_value = "PLACE")]
    Place,
    /// How the offer is made known: advertising, content, promotions.
    #[sea_orm(string_value = "PROMOTION")]
    Promotion,
    /// The relationship with the customer (personalisation, service, community).
    #[sea_orm(string_value = "PERSON")]
    Person,
    /// The buying journey: how a prospect goes from discovery to purchase.
    #[sea_orm(string_value = "PROCESS")]
    Process,
    /// Social proof: reviews, testimonials, ratings, case studies.
    #[sea_orm(string_value = "PROOF")]
    Proof,
    /// Partnerships: influence, netlinking, co-marketing.
    #[sea_orm(string_value = "PARTNERSHIP")]
    Partnership,
    /// Permission marketing: consent to the use of personal data and to be contacted.
    #[sea_orm(string_value = "PERMISSION")]
    Permission,
    /// The purple cow: what makes the offer remarkable, worth talking about.
    #[sea_orm(string_value = "PURPLE_COW")]
    PurpleCow,
}

impl MixDimension {
    /// The ten dimensions in the order the plan presents them.
    pub const ALL: [Self; 10] = [
        Self::Product,
        Self::Price,
        Self::Place,
        Self::Promotion,
        Self::Person,
        Self::Process,
        Self::Proof,
        Self::Partnership,
        Self::Permission,
        Self::PurpleCow,
    ];
}
