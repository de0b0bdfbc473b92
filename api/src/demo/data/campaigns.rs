//! The campaigns: five and one sub-campaign (notoriété, trafic, conversion, fidélisation).

use entity::enums::{CampaignStatus, Lever, ObjectiveKind};

use super::{
    CLAIRE, Day, JULIEN, NATHALIE, OBJ_CONVERSION_RATE, OBJ_CPA, OBJ_FOLLOWERS, OBJ_LEADS,
    OBJ_SESSIONS, OBJ_SUBSCRIBERS,
};

/// A campaign.
pub struct CampaignData {
    pub name: &'static str,
    pub kind: ObjectiveKind,
    pub levers: &'static [Lever],
    pub personas: &'static [usize],
    pub objectives: &'static [usize],
    pub start: Day,
    pub end: Day,
    pub budget_euros: i64,
    pub status: CampaignStatus,
    /// The UTM code; the year is appended.
    pub utm_prefix: &'static str,
    /// Index of the parent campaign, earlier in [`CAMPAIGNS`].
    pub parent: Option<usize>,
}

/// Index of the spring awareness campaign.
pub const C_SPRING: usize = 0;
/// Index of the always-on search campaign.
pub const C_SEARCH: usize = 1;
/// Index of the Mother's Day conversion campaign.
pub const C_MOTHERS_DAY: usize = 2;
/// Index of the retailer campaign.
pub const C_RETAILERS: usize = 3;
/// Index of the Christmas loyalty campaign.
pub const C_CHRISTMAS: usize = 4;
/// Index of the Black Friday sub-campaign.
pub const C_BLACK_FRIDAY: usize = 5;

/// Five campaigns and one sub-campaign (seed 000: "campagnes de notoriété, de trafic et de
/// conversions").
pub const CAMPAIGNS: [CampaignData; 6] = [
    CampaignData {
        name: "Spring awakening — the 'Jardin' collection (notoriété)",
        kind: ObjectiveKind::Awareness,
        levers: &[Lever::SocialAds, Lever::Influence, Lever::SocialMedia],
        personas: &[CLAIRE, JULIEN],
        objectives: &[OBJ_FOLLOWERS],
        start: (3, 1),
        end: (5, 31),
        budget_euros: 14_000,
        status: CampaignStatus::Completed,
        utm_prefix: "printemps-jardin",
        parent: None,
    },
    CampaignData {
        name: "Always-on search (SEO + SEA)",
        kind: ObjectiveKind::Traffic,
        levers: &[Lever::Seo, Lever::Sea, Lever::Content],
        personas: &[JULIEN, NATHALIE],
        objectives: &[OBJ_SESSIONS],
        start: (1, 15),
        end: (12, 15),
        budget_euros: 16_000,
        status: CampaignStatus::Active,
        utm_prefix: "search-always-on",
        parent: None,
    },
    CampaignData {
        name: "Mother's Day e-shop conversion (Fête des mères)",
        kind: ObjectiveKind::Conversion,
        levers: &[Lever::Sea, Lever::SocialAds, Lever::Emailing],
        personas: &[CLAIRE, JULIEN],
        objectives: &[OBJ_CPA, OBJ_CONVERSION_RATE],
        start: (4, 15),
        end: (6, 15),
        budget_euros: 8_000,
        status: CampaignStatus::Completed,
        utm_prefix: "fete-des-meres",
        parent: None,
    },
    CampaignData {
        name: "Retailer programme (programme revendeurs)",
        kind: ObjectiveKind::Conversion,
        levers: &[
            Lever::Seo,
            Lever::Emailing,
            Lever::MarketingAutomation,
            Lever::Events,
        ],
        personas: &[NATHALIE],
        objectives: &[OBJ_LEADS],
        start: (2, 1),
        end: (10, 31),
        budget_euros: 7_000,
        status: CampaignStatus::Active,
        utm_prefix: "revendeurs",
        parent: None,
    },
    CampaignData {
        name: "Christmas and the Cercle Lumière loyalty club (fidélisation)",
        kind: ObjectiveKind::Loyalty,
        levers: &[
            Lever::Emailing,
            Lever::MarketingAutomation,
            Lever::SocialMedia,
            Lever::Affiliation,
        ],
        personas: &[CLAIRE, JULIEN],
        objectives: &[OBJ_SUBSCRIBERS],
        start: (10, 1),
        end: (12, 31),
        budget_euros: 8_000,
        status: CampaignStatus::Planned,
        utm_prefix: "noel-cercle-lumiere",
        parent: None,
    },
    CampaignData {
        name: "Black Friday for club members (Vendredi lumineux)",
        kind: ObjectiveKind::Conversion,
        levers: &[Lever::Emailing, Lever::Sea],
        personas: &[CLAIRE],
        objectives: &[OBJ_CPA, OBJ_SUBSCRIBERS],
        start: (11, 20),
        end: (11, 30),
        budget_euros: 2_500,
        status: CampaignStatus::Planned,
        utm_prefix: "vendredi-lumineux",
        parent: Some(C_CHRISTMAS),
    },
];
