//! The SMART objectives, each measured by a KPI of the built-in catalogue.

use entity::enums::ObjectiveKind;

use super::Day;

/// A SMART objective.
pub struct ObjectiveData {
    pub title: &'static str,
    pub statement: &'static str,
    pub kind: ObjectiveKind,
    pub kpi_key: &'static str,
    /// Baseline, as (mantissa, scale) of a decimal.
    pub baseline: (i64, u32),
    /// Target, as (mantissa, scale) of a decimal.
    pub target: (i64, u32),
    pub rationale: &'static str,
    pub deadline: Day,
}

/// Index of the awareness objective in [`OBJECTIVES`].
pub const OBJ_FOLLOWERS: usize = 0;
/// Index of the traffic objective.
pub const OBJ_SESSIONS: usize = 1;
/// Index of the CPA objective.
pub const OBJ_CPA: usize = 2;
/// Index of the conversion-rate objective.
pub const OBJ_CONVERSION_RATE: usize = 3;
/// Index of the B2B leads objective.
pub const OBJ_LEADS: usize = 4;
/// Index of the subscribers objective.
pub const OBJ_SUBSCRIBERS: usize = 5;

/// SMART objectives measured by KPIs of the built-in catalogue.
pub const OBJECTIVES: [ObjectiveData; 6] = [
    ObjectiveData {
        title: "Triple the Instagram community",
        statement: "Grow Instagram followers from 4,200 to 12,000 by the end of September.",
        kind: ObjectiveKind::Awareness,
        kpi_key: "followers",
        baseline: (4_200, 0),
        target: (12_000, 0),
        rationale: "Achievable with the spring launch, ten micro-influencers and weekly \
lives; comparable makers grew at this pace.",
        deadline: (9, 30),
    },
    ObjectiveData {
        title: "Grow e-shop traffic by 80 %",
        statement: "Reach 110,000 e-shop sessions over the year, from 60,000 last year.",
        kind: ObjectiveKind::Traffic,
        kpi_key: "sessions",
        baseline: (60_000, 0),
        target: (110_000, 0),
        rationale: "SEO work on product pages and twelve articles, plus always-on SEA on \
gift queries.",
        deadline: (12, 31),
    },
    ObjectiveData {
        title: "Lower the cost per acquisition to €22",
        statement: "Bring the paid-media CPA from €32 to €22 by the end of June.",
        kind: ObjectiveKind::Conversion,
        kpi_key: "cpa",
        baseline: (32, 0),
        target: (22, 0),
        rationale: "Checkout redesign and better-targeted ads; the CPA counts down.",
        deadline: (6, 30),
    },
    ObjectiveData {
        title: "Reach a 2 % conversion rate",
        statement: "Raise the e-shop conversion rate from 1.2 % to 2 % by the end of the year.",
        kind: ObjectiveKind::Conversion,
        kpi_key: "conversion_rate",
        baseline: (12, 3),
        target: (2, 2),
        rationale: "The sector average; CRO tests and mobile checkout close most of the gap.",
        deadline: (12, 31),
    },
    ObjectiveData {
        title: "Win 150 retailer leads",
        statement: "Collect 150 qualified retailer leads (demandes revendeurs) by October.",
        kind: ObjectiveKind::Conversion,
        kpi_key: "leads",
        baseline: (40, 0),
        target: (150, 0),
        rationale: "A wholesale landing page, the trade fair and a nurturing workflow.",
        deadline: (10, 31),
    },
    ObjectiveData {
        title: "Build a newsletter of 8,000 subscribers",
        statement: "Grow newsletter subscribers from 2,500 to 8,000 by the end of the year.",
        kind: ObjectiveKind::Loyalty,
        kpi_key: "subscribers",
        baseline: (2_500, 0),
        target: (8_000, 0),
        rationale: "The lead magnet, the loyalty club and pop-ups with double opt-in.",
        deadline: (12, 31),
    },
];
