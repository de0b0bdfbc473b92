//! Enumerations shared by the database, the domain and the API, stored as strings.
//!
//! The `graphql` feature derives `async_graphql::Enum` on each, so that the schema uses exactly
//! the values stored (SCREAMING_SNAKE_CASE) and the doc comments become their descriptions.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The lifecycle of a plan.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PlanStatus {
    /// Being written; not yet the plan the team follows.
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    /// The plan the team currently follows.
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// Kept for the record; no longer followed.
    #[sea_orm(string_value = "ARCHIVED")]
    Archived,
}

/// The family of a campaign or objective (seed 000: notoriété, trafic, conversion, fidélisation).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ObjectiveKind {
    /// Make the brand or offer known (notoriété).
    #[sea_orm(string_value = "AWARENESS")]
    Awareness,
    /// Bring visitors to the site or shop.
    #[sea_orm(string_value = "TRAFFIC")]
    Traffic,
    /// Turn visitors into leads or customers.
    #[sea_orm(string_value = "CONVERSION")]
    Conversion,
    /// Keep customers and raise their value (fidélisation).
    #[sea_orm(string_value = "LOYALTY")]
    Loyalty,
}

/// A digital-marketing lever (seed 000: "les leviers webmarketing").
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Lever {
    /// Search engine optimisation (organic search).
    #[sea_orm(string_value = "SEO")]
    Seo,
    /// Search engine advertising (paid search).
    #[sea_orm(string_value = "SEA")]
    Sea,
    /// Paid advertising on social networks.
    #[sea_orm(string_value = "SOCIAL_ADS")]
    SocialAds,
    /// Organic presence on social networks (SMO).
    #[sea_orm(string_value = "SOCIAL_MEDIA")]
    SocialMedia,
    /// Email campaigns and newsletters.
    #[sea_orm(string_value = "EMAILING")]
    Emailing,
    /// Content marketing (articles, videos, guides).
    #[sea_orm(string_value = "CONTENT")]
    Content,
    /// Automated scenarios (nurturing, triggered messages).
    #[sea_orm(string_value = "MARKETING_AUTOMATION")]
    MarketingAutomation,
    /// Influencer marketing.
    #[sea_orm(string_value = "INFLUENCE")]
    Influence,
    /// Affiliate marketing.
    #[sea_orm(string_value = "AFFILIATION")]
    Affiliation,
    /// Display advertising (banners, programmatic).
    #[sea_orm(string_value = "DISPLAY")]
    Display,
    /// Press and public relations.
    #[sea_orm(string_value = "PR")]
    Pr,
    /// Events, trade shows, webinars.
    #[sea_orm(string_value = "EVENTS")]
    Events,
    /// Any other lever.
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// The lifecycle of a campaign.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CampaignStatus {
    /// Scheduled, not started.
    #[sea_orm(string_value = "PLANNED")]
    Planned,
    /// Running.
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// Started, then put on hold.
    #[sea_orm(string_value = "PAUSED")]
    Paused,
    /// Finished.
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
    /// Abandoned.
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

/// The unit a KPI is measured in; it tells a client how to display a value.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum KpiUnit {
    /// A number of things (impressions, clicks, leads).
    #[sea_orm(string_value = "COUNT")]
    Count,
    /// An amount of money, in the plan's currency.
    #[sea_orm(string_value = "CURRENCY")]
    Currency,
    /// A plain fraction to display as a percentage (0.034 is 3.4 %).
    #[sea_orm(string_value = "PERCENT")]
    Percent,
    /// A plain ratio (ROAS 4.2 means 4.2 of revenue per 1 spent).
    #[sea_orm(string_value = "RATIO")]
    Ratio,
    /// A duration in seconds.
    #[sea_orm(string_value = "SECONDS")]
    Seconds,
}

/// Whether a KPI improves as it rises or as it falls.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum KpiDirection {
    /// More is better (clicks, revenue, ROAS).
    #[sea_orm(string_value = "HIGHER_IS_BETTER")]
    HigherIsBetter,
    /// Less is better (CPA, CPC, bounce rate).
    #[sea_orm(string_value = "LOWER_IS_BETTER")]
    LowerIsBetter,
}

/// How the values of a KPI combine over a period or a group.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum KpiAggregation {
    /// Summed over days and groups (impressions, spend).
    #[sea_orm(string_value = "SUM")]
    Sum,
    /// A snapshot: the last value in the period, never summed (subscribers, followers).
    #[sea_orm(string_value = "LAST")]
    Last,
    /// Not additive (reach, unique users): only a value measured at the grain asked counts.
    #[sea_orm(string_value = "NON_ADDITIVE")]
    NonAdditive,
    /// Derived: `scale × numerator / denominator + offset`, recomputed from summed components.
    #[sea_orm(string_value = "RATIO")]
    Ratio,
}

/// A period of time that series are bucketed by and that a measurement covers.
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
pub enum TimeGrain {
    /// One calendar day.
    #[sea_orm(string_value = "DAY")]
    Day,
    /// One ISO week, starting on Monday.
    #[sea_orm(string_value = "WEEK")]
    Week,
    /// One calendar month.
    #[sea_orm(string_value = "MONTH")]
    Month,
    /// One calendar quarter (January, April, July, October).
    #[sea_orm(string_value = "QUARTER")]
    Quarter,
    /// One calendar year.
    #[sea_orm(string_value = "YEAR")]
    Year,
}
