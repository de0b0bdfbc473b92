//! Enumerations of actions and of the content plan, stored as strings.
//!
//! The journey steps and phases come from seed 003 (three phases of three steps), the funnel
//! stages from seed 000 (attirer, convertir, conclure, fidéliser).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The tactic an action carries out (the tactics the seeds name).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ActionType {
    /// A paid advertising campaign (search, social, display).
    #[sea_orm(string_value = "AD_CAMPAIGN")]
    AdCampaign,
    /// Search engine optimisation work (technical, on-page, netlinking).
    #[sea_orm(string_value = "SEO_OPTIMIZATION")]
    SeoOptimization,
    /// Engagement on social networks (posts, replies, community).
    #[sea_orm(string_value = "SOCIAL_ENGAGEMENT")]
    SocialEngagement,
    /// A piece of content (article, video, guide, infographic).
    #[sea_orm(string_value = "CONTENT_PIECE")]
    ContentPiece,
    /// A newsletter or email campaign.
    #[sea_orm(string_value = "EMAIL_CAMPAIGN")]
    EmailCampaign,
    /// A lead magnet (white paper, checklist, free trial) traded for contact details.
    #[sea_orm(string_value = "LEAD_MAGNET")]
    LeadMagnet,
    /// A call to action (button, banner, pop-in).
    #[sea_orm(string_value = "CALL_TO_ACTION")]
    CallToAction,
    /// A conversion-rate or user-experience improvement (CRO/UX).
    #[sea_orm(string_value = "CRO_UX_IMPROVEMENT")]
    CroUxImprovement,
    /// Customer support (chat, help centre, after-sales).
    #[sea_orm(string_value = "CUSTOMER_SUPPORT")]
    CustomerSupport,
    /// An upsell or cross-sell offer.
    #[sea_orm(string_value = "UPSELL_CROSS_SELL")]
    UpsellCrossSell,
    /// A loyalty program.
    #[sea_orm(string_value = "LOYALTY_PROGRAM")]
    LoyaltyProgram,
    /// A referral program.
    #[sea_orm(string_value = "REFERRAL_PROGRAM")]
    ReferralProgram,
    /// Collecting and showing reviews and testimonials.
    #[sea_orm(string_value = "REVIEWS_TESTIMONIALS")]
    ReviewsTestimonials,
    /// A collaboration with an influencer.
    #[sea_orm(string_value = "INFLUENCER_COLLABORATION")]
    InfluencerCollaboration,
    /// An affiliate program.
    #[sea_orm(string_value = "AFFILIATE_PROGRAM")]
    AffiliateProgram,
    /// An event (trade show, webinar, launch).
    #[sea_orm(string_value = "EVENT")]
    Event,
    /// Any other tactic.
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// The three phases of the customer journey (seed 003).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum JourneyPhase {
    /// Before the contact: choose the market, create the messages, reach prospects.
    #[sea_orm(string_value = "BEFORE")]
    Before,
    /// During the contact: capture, develop an audience, convert.
    #[sea_orm(string_value = "DURING")]
    During,
    /// After the sale: deliver the experience, raise customer value, orchestrate referrals.
    #[sea_orm(string_value = "AFTER")]
    After,
}

/// The nine steps of the customer journey (seed 003), three per phase.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum JourneyStep {
    /// BEFORE: choose the target market (segments, personas).
    #[sea_orm(string_value = "CHOOSE_TARGET_MARKET")]
    ChooseTargetMarket,
    /// BEFORE: create the messages for each persona.
    #[sea_orm(string_value = "CREATE_MESSAGES")]
    CreateMessages,
    /// BEFORE: reach prospects through the chosen media.
    #[sea_orm(string_value = "REACH_PROSPECTS")]
    ReachProspects,
    /// DURING: capture the attracted visitors' contact details.
    #[sea_orm(string_value = "CAPTURE_ATTRACTED")]
    CaptureAttracted,
    /// DURING: develop an audience (lead magnets, email, loyalty).
    #[sea_orm(string_value = "DEVELOP_AUDIENCE")]
    DevelopAudience,
    /// DURING: convert sales (UX/CRO, calls to action).
    #[sea_orm(string_value = "CONVERT_SALES")]
    ConvertSales,
    /// AFTER: deliver the experience (support, UX).
    #[sea_orm(string_value = "DELIVER_EXPERIENCE")]
    DeliverExperience,
    /// AFTER: raise customer value (upsell, cross-sell, loyalty programs).
    #[sea_orm(string_value = "RAISE_CUSTOMER_VALUE")]
    RaiseCustomerValue,
    /// AFTER: orchestrate referrals (referral programs, reviews and testimonials).
    #[sea_orm(string_value = "ORCHESTRATE_REFERRALS")]
    OrchestrateReferrals,
}

impl JourneyStep {
    /// The phase the step belongs to.
    pub fn phase(self) -> JourneyPhase {
        match self {
            Self::ChooseTargetMarket | Self::CreateMessages | Self::ReachProspects => {
                JourneyPhase::Before
            }
            Self::CaptureAttracted | Self::DevelopAudience | Self::ConvertSales => {
                JourneyPhase::During
            }
            Self::DeliverExperience | Self::RaiseCustomerValue | Self::OrchestrateReferrals => {
                JourneyPhase::After
            }
        }
    }
}

/// The funnel stage an action or a piece of content serves (seed 000).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum FunnelStage {
    /// Attract visitors (attirer).
    #[sea_orm(string_value = "ATTRACT")]
    Attract,
    /// Turn visitors into leads (convertir).
    #[sea_orm(string_value = "CONVERT")]
    Convert,
    /// Turn leads into customers (conclure).
    #[sea_orm(string_value = "CLOSE")]
    Close,
    /// Delight and keep customers (fidéliser).
    #[sea_orm(string_value = "DELIGHT")]
    Delight,
}

/// The progress of an action.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ActionStatus {
    /// Not started.
    #[sea_orm(string_value = "TODO")]
    Todo,
    /// Under way.
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    /// Finished.
    #[sea_orm(string_value = "DONE")]
    Done,
    /// Cannot progress until something else happens.
    #[sea_orm(string_value = "BLOCKED")]
    Blocked,
    /// Abandoned.
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

/// The editorial status of a content item.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ContentStatus {
    /// An idea, not yet written.
    #[sea_orm(string_value = "IDEA")]
    Idea,
    /// Being written.
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    /// Ready and scheduled for its publish date.
    #[sea_orm(string_value = "SCHEDULED")]
    Scheduled,
    /// Published.
    #[sea_orm(string_value = "PUBLISHED")]
    Published,
}
