//! The demo plan's content: Maison Lumière, a small candle and home-fragrance workshop in Lyon,
//! and its digital-marketing action plan for one calendar year, drawn from the two source
//! documents (seed 000: the action plan, its levers and the funnel; seed 003: personas, the
//! buying journey in nine steps, SWOT, PEST, brand). English text with the French source terms
//! where they help.
//!
//! Dates are `(month, day)` in the plan's year; other rows refer to personas, objectives,
//! campaigns and actions by their index in these tables.

use entity::{
    action_enums::{ActionStatus, ActionType, ContentStatus, FunnelStage, JourneyStep},
    enums::{CampaignStatus, Lever, ObjectiveKind},
    lever_enums::LeverInteractionKind,
    strategy_enums::{MixDimension, PestCategory, SwotQuadrant},
};

/// A day of the plan's year.
pub type Day = (u32, u32);

/// Every demo plan's name starts with this; it is how an existing demo plan is recognised.
pub const PLAN_NAME_PREFIX: &str = "Maison Lumière — digital-marketing action plan";

/// The plan's description.
pub const PLAN_DESCRIPTION: &str = "The yearly plan d'actions marketing digital of Maison \
Lumière, a workshop of eight people in Lyon that makes natural-wax candles and home fragrances \
and sells them on its e-shop, in its workshop-boutique and through about thirty concept stores. \
Strategy first (market, SWOT, PEST, brand, the ten P's of the mix), then SMART objectives, the \
levers and their budgets, the campaigns (notoriété, trafic, conversion, fidélisation) and the \
actions along the nine steps of the buying journey. A demo seeded by `levier seed-demo`.";

/// The plan's total budget, in euros.
pub const PLAN_BUDGET_EUROS: i64 = 60_000;

/// A persona's full profile.
pub struct PersonaData {
    pub name: &'static str,
    pub summary: &'static str,
    pub age: (i32, i32),
    pub gender: &'static str,
    pub location: &'static str,
    pub occupation: &'static str,
    pub income_band: &'static str,
    pub education: &'static str,
    pub behaviors: &'static [&'static str],
    pub values: &'static [&'static str],
    pub interests: &'static [&'static str],
    pub lifestyle: &'static str,
    pub goals: &'static [&'static str],
    pub motivations: &'static [&'static str],
    pub needs: &'static [&'static str],
    pub pain_points: &'static [&'static str],
    pub objections: &'static [&'static str],
    pub preferred_levers: &'static [Lever],
}

/// Index of Claire in [`PERSONAS`].
pub const CLAIRE: usize = 0;
/// Index of Julien in [`PERSONAS`].
pub const JULIEN: usize = 1;
/// Index of Nathalie in [`PERSONAS`].
pub const NATHALIE: usize = 2;

/// The three personas (seed 003, step 2: "déterminer le buyer persona").
pub const PERSONAS: [PersonaData; 3] = [
    PersonaData {
        name: "Claire, 38 — the thoughtful gift buyer (l'acheteuse cadeau)",
        summary: "An urban professional who buys meaningful, well-made gifts for family and \
friends several times a year and treats herself to a candle when she does.",
        age: (32, 45),
        gender: "Female",
        location: "Lyon and Paris, large French cities",
        occupation: "Marketing manager in a mid-sized company",
        income_band: "€45,000–60,000 a year",
        education: "Master's degree",
        behaviors: &[
            "Searches gift ideas on Google and Pinterest two weeks before an occasion",
            "Reads reviews before a first order",
            "Opens newsletters from brands she already bought from",
        ],
        values: &[
            "Craftsmanship (savoir-faire)",
            "Made in France",
            "Sustainability",
        ],
        interests: &["Interior design", "Weekend markets", "Slow living"],
        lifestyle: "Busy weekdays, cosy weekends at home with friends.",
        goals: &[
            "Find a gift that looks personal without spending hours on it",
            "Make her home feel warm and calm",
        ],
        motivations: &["Pleasing people she loves", "Supporting local makers"],
        needs: &[
            "Gift wrapping and a card",
            "Delivery in 48 hours",
            "Clear scent descriptions",
        ],
        pain_points: &[
            "Cannot smell a candle online",
            "Mass-market candles that smoke and smell synthetic",
        ],
        objections: &[
            "€39 is expensive for a candle",
            "What if the scent is too strong?",
        ],
        preferred_levers: &[Lever::SocialMedia, Lever::Emailing, Lever::Influence],
    },
    PersonaData {
        name: "Julien, 29 — the cosy-home enthusiast (le cocooning urbain)",
        summary: "A young professional who has just moved into his first flat, follows home \
accounts on Instagram and TikTok and buys on mobile, often late in the evening.",
        age: (24, 34),
        gender: "Male",
        location: "French cities, mostly rented flats",
        occupation: "UX designer",
        income_band: "€30,000–40,000 a year",
        education: "Bachelor's degree",
        behaviors: &[
            "Discovers brands through short videos and creators",
            "Compares prices on his phone and abandons carts easily",
            "Searches 'bougie naturelle' and 'bougie soja' on Google",
        ],
        values: &["Authenticity", "Natural ingredients", "Design"],
        interests: &["Home decoration", "Coffee culture", "Indie music"],
        lifestyle: "Works from home two days a week; evenings are for friends and streaming.",
        goals: &[
            "Make his flat feel like home",
            "Discover brands before everyone else",
        ],
        motivations: &["Aesthetic pleasure", "Sharing finds with his community"],
        needs: &[
            "Mobile checkout in one minute",
            "Discovery sets at a small price",
        ],
        pain_points: &[
            "Long checkout forms",
            "Shipping fees revealed at the last step",
        ],
        objections: &[
            "Is natural wax really better?",
            "I can find something similar cheaper",
        ],
        preferred_levers: &[Lever::SocialAds, Lever::Seo, Lever::Content],
    },
    PersonaData {
        name: "Nathalie, 52 — the concept-store owner (la revendeuse)",
        summary: "Owns an independent concept store in a mid-sized town and looks for French \
makers whose products sell well, arrive on time and come with point-of-sale material.",
        age: (45, 60),
        gender: "Female",
        location: "Mid-sized French towns (Annecy, Nantes, Bordeaux)",
        occupation: "Concept-store owner and buyer",
        income_band: "Store turnover €300,000–600,000",
        education: "Business school",
        behaviors: &[
            "Visits Maison&Objet and regional trade fairs twice a year",
            "Searches wholesale suppliers on Google ('bougie artisanale revendeur')",
            "Reorders by email when a best-seller runs out",
        ],
        values: &["Reliability", "Local production", "Long-term partnerships"],
        interests: &["Retail merchandising", "Local crafts", "Trade fairs"],
        lifestyle: "Six days a week in the shop; buys in January and September.",
        goals: &[
            "Offer products customers cannot find online elsewhere",
            "Keep a healthy margin",
        ],
        motivations: &["Differentiating her store", "Supporting French makers"],
        needs: &[
            "A wholesale price list",
            "Minimum order below €300",
            "Display material",
        ],
        pain_points: &[
            "Late deliveries before Christmas",
            "Brands that undercut her online",
        ],
        objections: &[
            "Will my customers know the brand?",
            "Your retail price online is lower",
        ],
        preferred_levers: &[Lever::Seo, Lever::Emailing, Lever::Events],
    },
];

/// A segment and its personas (seed 003, step 3: "choisissez un marché cible").
pub struct SegmentData {
    pub name: &'static str,
    pub criteria: &'static [&'static str],
    pub estimated_size: i64,
    pub positioning: &'static str,
    pub personas: &'static [usize],
}

/// The two targeted segments.
pub const SEGMENTS: [SegmentData; 2] = [
    SegmentData {
        name: "Urban gift and home buyers (acheteurs cadeaux urbains)",
        criteria: &[
            "age: 24–45",
            "place: French cities over 100,000 inhabitants",
            "interests: interior design, gifting, slow living",
        ],
        estimated_size: 2_400_000,
        positioning: "The French artisan candle you give with pride: natural wax, honest \
scents, hand-poured in Lyon.",
        personas: &[CLAIRE, JULIEN],
    },
    SegmentData {
        name: "Independent retailers and concept stores (revendeurs indépendants)",
        criteria: &[
            "business: independent gift, decoration and concept stores",
            "place: France, Belgium, Switzerland",
            "size: 1–10 employees",
        ],
        estimated_size: 6_500,
        positioning: "A reliable French maker with fast reorders, protected retail prices and \
ready-to-use display material.",
        personas: &[NATHALIE],
    },
];

/// SWOT items: quadrant, statement, impact (1–5).
pub const SWOT: [(SwotQuadrant, &str, i32); 9] = [
    (
        SwotQuadrant::Strength,
        "Hand-poured natural rapeseed and soy wax, made in Lyon (savoir-faire, made in France)",
        5,
    ),
    (
        SwotQuadrant::Strength,
        "Loyal customer base: 4.8/5 average rating over 1,200 reviews",
        4,
    ),
    (
        SwotQuadrant::Strength,
        "30 concept stores already stock the brand",
        3,
    ),
    (
        SwotQuadrant::Weakness,
        "Small team: one marketing lead and an agency two days a month",
        4,
    ),
    (
        SwotQuadrant::Weakness,
        "E-shop conversion rate of 1.2 %, below the 2 % of the sector",
        4,
    ),
    (
        SwotQuadrant::Opportunity,
        "Growing demand for natural, local home products (consommation responsable)",
        5,
    ),
    (
        SwotQuadrant::Opportunity,
        "Short-video platforms make small makers discoverable without big budgets",
        4,
    ),
    (
        SwotQuadrant::Threat,
        "Mass-market brands copy the natural-candle codes at half the price",
        4,
    ),
    (
        SwotQuadrant::Threat,
        "Rising wax, glass and shipping costs squeeze margins",
        3,
    ),
];

/// PEST(EL) factors: category, statement, impact, likelihood (1–5).
pub const PEST: [(PestCategory, &str, i32, i32); 6] = [
    (
        PestCategory::Political,
        "Public support for French craftsmanship (label Entreprise du Patrimoine Vivant)",
        2,
        3,
    ),
    (
        PestCategory::Economic,
        "Household budgets under pressure: gifts are chosen more carefully",
        4,
        4,
    ),
    (
        PestCategory::Social,
        "Cocooning and slow living keep growing among 25–45-year-olds",
        4,
        5,
    ),
    (
        PestCategory::Technological,
        "Third-party cookies fade: first-party data and consent matter more",
        3,
        5,
    ),
    (
        PestCategory::Environmental,
        "Customers ask for refills, recyclable glass and plastic-free packaging",
        4,
        4,
    ),
    (
        PestCategory::Legal,
        "CLP labelling rules for scented products and GDPR consent for e-mail marketing",
        3,
        5,
    ),
];

/// Market trends: statement, details, source, impact.
pub const TRENDS: [(&str, &str, &str, i32); 3] = [
    (
        "Natural and refillable home fragrance grows faster than the candle market",
        "Shoppers move from paraffin to vegetable waxes and expect refills.",
        "Trade press and the workshop's own sales, 2023–2025",
        5,
    ),
    (
        "Gifting moves online and starts on social media",
        "Gift ideas are found on Instagram, Pinterest and TikTok weeks before the occasion.",
        "Google Trends ('idée cadeau'), Meta audience insights",
        4,
    ),
    (
        "Independent retail recovers in town centres",
        "Concept stores look for local brands that online giants do not sell.",
        "Regional chambers of commerce",
        3,
    ),
];

/// A competitor.
pub struct CompetitorData {
    pub name: &'static str,
    pub website: &'static str,
    pub positioning: &'static str,
    pub strategy_notes: &'static str,
    pub levers: &'static [Lever],
    pub strengths: &'static [&'static str],
    pub weaknesses: &'static [&'static str],
}

/// Two competitors (seed 003: "analyser les stratégies de vos concurrents").
pub const COMPETITORS: [CompetitorData; 2] = [
    CompetitorData {
        name: "Cire & Sens",
        website: "https://www.cire-et-sens.example",
        positioning: "Premium Parisian candle brand sold in department stores",
        strategy_notes: "Heavy influencer seeding, paid social around Christmas, strong PR.",
        levers: &[Lever::Influence, Lever::SocialAds, Lever::Pr],
        strengths: &["Brand awareness in Paris", "Department-store presence"],
        weaknesses: &["€55 average price", "Weak SEO, few articles"],
    },
    CompetitorData {
        name: "Flamme Nordique",
        website: "https://flamme-nordique.example",
        positioning: "Direct-to-consumer Scandinavian-style candles at low prices",
        strategy_notes: "Always-on Google Shopping and Meta ads, aggressive discount codes.",
        levers: &[Lever::Sea, Lever::SocialAds, Lever::Affiliation],
        strengths: &["Prices 40 % lower", "Fast delivery"],
        weaknesses: &["Paraffin blends", "Generic brand, low loyalty"],
    },
];

/// The brand (seed 003, step 8: "understand brand").
pub struct BrandData {
    pub current_perception: &'static str,
    pub values: &'static [&'static str],
    pub mission: &'static str,
    pub vision: &'static str,
    pub tone: &'static str,
    pub positioning_statement: &'static str,
}

/// Maison Lumière's brand platform.
pub const BRAND: BrandData = BrandData {
    current_perception: "Known and loved by customers of the Lyon workshop and its retailers; \
almost unknown elsewhere. Seen as beautiful, natural and a little expensive.",
    values: &["Savoir-faire", "Naturalness", "Warmth", "Transparency"],
    mission: "Bring calm and warmth into homes with candles poured by hand from natural waxes.",
    vision: "Be the French artisan candle brand people think of first for a gift, by 2030.",
    tone: "Warm, sensory and simple; tutoiement on social media, vouvoiement in e-mails.",
    positioning_statement: "For people who make their home a refuge, Maison Lumière is the \
artisan candle from Lyon whose natural wax and honest scents turn an evening into a ritual.",
};

/// The ten dimensions of the mix (seed 000: the 4P and the six e-marketing P's).
pub const MIX: [(MixDimension, &str); 10] = [
    (
        MixDimension::Product,
        "Produit: 24 candles in four collections, refills, discovery sets and a seasonal \
edition (the spring 'Jardin' collection).",
    ),
    (
        MixDimension::Price,
        "Prix: €18 (mini) to €45 (large); discovery set €29; refills 30 % cheaper; \
wholesale at 50 % of retail with protected retail prices.",
    ),
    (
        MixDimension::Place,
        "Place (distribution): the e-shop first, the Lyon workshop-boutique, about thirty \
concept stores and two seasonal markets.",
    ),
    (
        MixDimension::Promotion,
        "Promotion: SEO and content all year, SEA on gift queries, social ads and \
influencers at launches, e-mails for every season.",
    ),
    (
        MixDimension::Person,
        "Personne (relation client): a named customer-care person, answers within 24 \
hours, a handwritten card in every parcel.",
    ),
    (
        MixDimension::Process,
        "Process (parcours d'achat): mobile checkout in three steps, shipping costs shown \
on the product page, delivery in 48 hours.",
    ),
    (
        MixDimension::Proof,
        "Preuve: customer reviews on every product page, retailer testimonials, the \
workshop filmed at work.",
    ),
    (
        MixDimension::Partnership,
        "Partenariat: micro-influencers in home decoration, netlinking with lifestyle \
blogs, co-branded candles with two Lyon cafés.",
    ),
    (
        MixDimension::Permission,
        "Permission: double opt-in newsletter, a clear consent banner, preferences centre \
and one-click unsubscribe (GDPR).",
    ),
    (
        MixDimension::PurpleCow,
        "Vache pourpre (purple cow): the 'bougie à message', a candle whose wax reveals a \
hidden handwritten word as it burns.",
    ),
];

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

/// Lever allocations: lever, budget in euros, priority (1 highest), rationale.
pub const ALLOCATIONS: [(Lever, i64, i32, &str); 10] = [
    (
        Lever::Seo,
        8_000,
        1,
        "Référencement naturel: the cheapest lasting traffic; gift queries convert well.",
    ),
    (
        Lever::Sea,
        10_000,
        2,
        "Google Ads on gift and natural-candle queries, and Shopping for the best-sellers.",
    ),
    (
        Lever::SocialAds,
        7_500,
        2,
        "Meta and Pinterest ads at the spring launch and before Christmas.",
    ),
    (
        Lever::SocialMedia,
        3_000,
        2,
        "SMO: organic Instagram and Pinterest, weekly lives, community management.",
    ),
    (
        Lever::Emailing,
        3_500,
        1,
        "The newsletter is the best-converting channel for returning customers.",
    ),
    (
        Lever::Content,
        6_000,
        3,
        "Marketing de contenu: articles, guides and videos that feed SEO and social.",
    ),
    (
        Lever::MarketingAutomation,
        3_000,
        3,
        "Welcome, abandoned-cart and retailer nurturing workflows.",
    ),
    (
        Lever::Influence,
        5_000,
        3,
        "Marketing d'influence: micro-influencers in home decoration.",
    ),
    (
        Lever::Affiliation,
        1_500,
        5,
        "Affiliation and referral rewards; a small test this year.",
    ),
    (
        Lever::Events,
        5_000,
        4,
        "One trade fair for retailers and two Christmas markets.",
    ),
];

/// Lever interactions (seed 000: the levers "interagissent et s'alimentent les uns les autres").
pub const INTERACTIONS: [(Lever, Lever, LeverInteractionKind, &str); 7] = [
    (
        Lever::Seo,
        Lever::Sea,
        LeverInteractionKind::Synergy,
        "Organic rankings show which queries convert; SEA bids on them first.",
    ),
    (
        Lever::Sea,
        Lever::Seo,
        LeverInteractionKind::Synergy,
        "SEA search-term reports reveal keywords worth an article.",
    ),
    (
        Lever::Sea,
        Lever::Seo,
        LeverInteractionKind::Cannibalization,
        "Ads on the brand name take clicks the first organic result would get for free.",
    ),
    (
        Lever::SocialMedia,
        Lever::Seo,
        LeverInteractionKind::Synergy,
        "Shared articles earn links and brand searches (réseaux sociaux → SEO).",
    ),
    (
        Lever::Seo,
        Lever::Content,
        LeverInteractionKind::Dependency,
        "SEO depends on the content calendar: no article, no new rankings.",
    ),
    (
        Lever::Influence,
        Lever::SocialMedia,
        LeverInteractionKind::Synergy,
        "Creators' posts bring followers to the brand's own accounts.",
    ),
    (
        Lever::MarketingAutomation,
        Lever::Emailing,
        LeverInteractionKind::Dependency,
        "Workflows need a consented, segmented e-mail base.",
    ),
];

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

/// An action of the plan.
pub struct ActionData {
    pub title: &'static str,
    pub description: &'static str,
    pub action_type: ActionType,
    pub lever: Lever,
    pub step: JourneyStep,
    pub stage: FunnelStage,
    pub campaign: Option<usize>,
    pub start: Day,
    pub due: Day,
    pub owner: &'static str,
    pub status: ActionStatus,
    pub budget_euros: i64,
    pub actual_cost_euros: i64,
    /// Impact, confidence, ease (ICE, 1–10).
    pub ice: (i32, i32, i32),
}

const CAMILLE: &str = "Camille Roux (marketing lead)";
const AGENCY: &str = "Agence Rhône Digital (SEO/SEA agency)";
const LEA: &str = "Léa Martin (community manager)";
const KARIM: &str = "Karim Benali (e-shop and customer care)";
const SOPHIE: &str = "Sophie Lambert (founder)";

/// Index of the content-calendar action.
pub const A_ARTICLES: usize = 2;
/// Index of the influencer action.
pub const A_INFLUENCERS: usize = 7;
/// Index of the lead-magnet action.
pub const A_LEAD_MAGNET: usize = 8;
/// Index of the newsletter action.
pub const A_NEWSLETTER: usize = 10;
/// Index of the loyalty-club action.
pub const A_LOYALTY_CLUB: usize = 19;
/// Index of the reviews action.
pub const A_REVIEWS: usize = 21;

/// The actions, along the nine steps of the buying journey (seed 003) and the four funnel
/// stages (seed 000).
pub const ACTIONS: [ActionData; 23] = [
    // BEFORE — choose the target market.
    ActionData {
        title: "Segment last year's customers from e-shop orders (segmentation)",
        description: "RFM analysis of 3,800 orders; confirm the two target segments.",
        action_type: ActionType::Other,
        lever: Lever::Other,
        step: JourneyStep::ChooseTargetMarket,
        stage: FunnelStage::Attract,
        campaign: None,
        start: (1, 5),
        due: (1, 30),
        owner: CAMILLE,
        status: ActionStatus::Done,
        budget_euros: 800,
        actual_cost_euros: 650,
        ice: (8, 7, 8),
    },
    ActionData {
        title: "Positioning workshop for the retailer segment (positionnement)",
        description: "Half a day with five retailers: price, minimum order, display needs.",
        action_type: ActionType::Event,
        lever: Lever::Events,
        step: JourneyStep::ChooseTargetMarket,
        stage: FunnelStage::Attract,
        campaign: Some(C_RETAILERS),
        start: (2, 1),
        due: (2, 15),
        owner: SOPHIE,
        status: ActionStatus::Done,
        budget_euros: 600,
        actual_cost_euros: 540,
        ice: (6, 7, 8),
    },
    // BEFORE — create the messages.
    ActionData {
        title: "Editorial calendar: 12 articles 'L'art de la bougie'",
        description: "One article a month on care, scents and gifting (plan de contenu).",
        action_type: ActionType::ContentPiece,
        lever: Lever::Content,
        step: JourneyStep::CreateMessages,
        stage: FunnelStage::Attract,
        campaign: Some(C_SEARCH),
        start: (2, 1),
        due: (11, 30),
        owner: CAMILLE,
        status: ActionStatus::InProgress,
        budget_euros: 4_800,
        actual_cost_euros: 2_600,
        ice: (7, 7, 6),
    },
    ActionData {
        title: "Photo and video shoot of the 'Jardin' collection",
        description: "Product photos, three reels and a workshop film for the spring launch.",
        action_type: ActionType::ContentPiece,
        lever: Lever::SocialMedia,
        step: JourneyStep::CreateMessages,
        stage: FunnelStage::Attract,
        campaign: Some(C_SPRING),
        start: (2, 10),
        due: (3, 5),
        owner: LEA,
        status: ActionStatus::Done,
        budget_euros: 2_200,
        actual_cost_euros: 2_350,
        ice: (7, 8, 7),
    },
    // BEFORE — reach prospects.
    ActionData {
        title: "Google Ads search and Shopping on gift and natural-candle queries",
        description: "Campagnes payantes on 'idée cadeau', 'bougie naturelle', best-sellers.",
        action_type: ActionType::AdCampaign,
        lever: Lever::Sea,
        step: JourneyStep::ReachProspects,
        stage: FunnelStage::Attract,
        campaign: Some(C_SEARCH),
        start: (1, 15),
        due: (12, 15),
        owner: AGENCY,
        status: ActionStatus::InProgress,
        budget_euros: 9_000,
        actual_cost_euros: 6_100,
        ice: (8, 7, 7),
    },
    ActionData {
        title: "Technical SEO audit and product-page optimisation",
        description: "Optimisation SEO: speed, structured data, titles and descriptions.",
        action_type: ActionType::SeoOptimization,
        lever: Lever::Seo,
        step: JourneyStep::ReachProspects,
        stage: FunnelStage::Attract,
        campaign: Some(C_SEARCH),
        start: (1, 20),
        due: (4, 30),
        owner: AGENCY,
        status: ActionStatus::Done,
        budget_euros: 3_500,
        actual_cost_euros: 3_500,
        ice: (8, 8, 6),
    },
    ActionData {
        title: "Instagram and Pinterest ads for the 'Jardin' launch",
        description: "Social Ads to lookalikes of customers and home-decoration interests.",
        action_type: ActionType::AdCampaign,
        lever: Lever::SocialAds,
        step: JourneyStep::ReachProspects,
        stage: FunnelStage::Attract,
        campaign: Some(C_SPRING),
        start: (3, 1),
        due: (5, 31),
        owner: LEA,
        status: ActionStatus::Done,
        budget_euros: 6_000,
        actual_cost_euros: 5_800,
        ice: (7, 6, 8),
    },
    ActionData {
        title: "Ten micro-influencer collaborations (marketing d'influence)",
        description: "Creators of 10k–50k followers in home decoration receive the collection.",
        action_type: ActionType::InfluencerCollaboration,
        lever: Lever::Influence,
        step: JourneyStep::ReachProspects,
        stage: FunnelStage::Attract,
        campaign: Some(C_SPRING),
        start: (3, 1),
        due: (5, 15),
        owner: LEA,
        status: ActionStatus::Done,
        budget_euros: 4_500,
        actual_cost_euros: 4_700,
        ice: (8, 6, 6),
    },
    // DURING — capture the attracted.
    ActionData {
        title: "Lead magnet: the 'Guide du cocooning' e-book",
        description: "A free guide in exchange for an e-mail address, with double opt-in.",
        action_type: ActionType::LeadMagnet,
        lever: Lever::Content,
        step: JourneyStep::CaptureAttracted,
        stage: FunnelStage::Convert,
        campaign: Some(C_MOTHERS_DAY),
        start: (4, 15),
        due: (5, 10),
        owner: CAMILLE,
        status: ActionStatus::Done,
        budget_euros: 1_200,
        actual_cost_euros: 1_100,
        ice: (7, 7, 8),
    },
    ActionData {
        title: "Weekly Instagram lives from the workshop",
        description: "Engagement sur les réseaux sociaux: pouring, scent pairing, Q&A.",
        action_type: ActionType::SocialEngagement,
        lever: Lever::SocialMedia,
        step: JourneyStep::CaptureAttracted,
        stage: FunnelStage::Convert,
        campaign: Some(C_SPRING),
        start: (3, 1),
        due: (5, 31),
        owner: LEA,
        status: ActionStatus::Done,
        budget_euros: 900,
        actual_cost_euros: 750,
        ice: (6, 7, 9),
    },
    // DURING — develop the audience.
    ActionData {
        title: "Monthly newsletter and welcome sequence (séquence de bienvenue)",
        description: "Personalised newsletters by persona; a three-e-mail welcome series.",
        action_type: ActionType::EmailCampaign,
        lever: Lever::Emailing,
        step: JourneyStep::DevelopAudience,
        stage: FunnelStage::Convert,
        campaign: None,
        start: (1, 10),
        due: (12, 20),
        owner: CAMILLE,
        status: ActionStatus::InProgress,
        budget_euros: 1_800,
        actual_cost_euros: 1_300,
        ice: (7, 8, 8),
    },
    ActionData {
        title: "Retailer nurturing workflow in the automation tool",
        description: "Price list, case studies and reorder reminders; waits on the CRM sync.",
        action_type: ActionType::EmailCampaign,
        lever: Lever::MarketingAutomation,
        step: JourneyStep::DevelopAudience,
        stage: FunnelStage::Convert,
        campaign: Some(C_RETAILERS),
        start: (3, 1),
        due: (6, 30),
        owner: KARIM,
        status: ActionStatus::Blocked,
        budget_euros: 2_000,
        actual_cost_euros: 400,
        ice: (6, 5, 4),
    },
    ActionData {
        title: "Booth at a regional trade fair for retailers (salon professionnel)",
        description: "Meet concept-store buyers during the September buying season.",
        action_type: ActionType::Event,
        lever: Lever::Events,
        step: JourneyStep::DevelopAudience,
        stage: FunnelStage::Convert,
        campaign: Some(C_RETAILERS),
        start: (9, 5),
        due: (9, 8),
        owner: SOPHIE,
        status: ActionStatus::Todo,
        budget_euros: 4_000,
        actual_cost_euros: 0,
        ice: (7, 6, 5),
    },
    // DURING — convert sales.
    ActionData {
        title: "Checkout redesign and A/B tests (optimisation de la conversion)",
        description: "Three-step mobile checkout, shipping costs on product pages, UX/UI tests.",
        action_type: ActionType::CroUxImprovement,
        lever: Lever::Other,
        step: JourneyStep::ConvertSales,
        stage: FunnelStage::Close,
        campaign: Some(C_MOTHERS_DAY),
        start: (4, 15),
        due: (6, 15),
        owner: KARIM,
        status: ActionStatus::Done,
        budget_euros: 3_000,
        actual_cost_euros: 3_200,
        ice: (9, 7, 5),
    },
    ActionData {
        title: "Mother's Day calls to action and limited-edition banner",
        description: "Appels à l'action in e-mails, on the home page and in ads.",
        action_type: ActionType::CallToAction,
        lever: Lever::Emailing,
        step: JourneyStep::ConvertSales,
        stage: FunnelStage::Close,
        campaign: Some(C_MOTHERS_DAY),
        start: (5, 1),
        due: (5, 31),
        owner: CAMILLE,
        status: ActionStatus::Done,
        budget_euros: 500,
        actual_cost_euros: 450,
        ice: (6, 8, 9),
    },
    ActionData {
        title: "Black Friday retargeting ads for club members",
        description: "Search and Shopping retargeting of visitors who did not buy.",
        action_type: ActionType::AdCampaign,
        lever: Lever::Sea,
        step: JourneyStep::ConvertSales,
        stage: FunnelStage::Close,
        campaign: Some(C_BLACK_FRIDAY),
        start: (11, 20),
        due: (11, 30),
        owner: AGENCY,
        status: ActionStatus::Todo,
        budget_euros: 1_500,
        actual_cost_euros: 0,
        ice: (7, 6, 7),
    },
    // AFTER — deliver the experience.
    ActionData {
        title: "Customer care within 24 hours, chat and e-mail (support client)",
        description: "A named contact, answer templates and a returns page in plain words.",
        action_type: ActionType::CustomerSupport,
        lever: Lever::Other,
        step: JourneyStep::DeliverExperience,
        stage: FunnelStage::Delight,
        campaign: None,
        start: (2, 1),
        due: (12, 31),
        owner: KARIM,
        status: ActionStatus::InProgress,
        budget_euros: 1_200,
        actual_cost_euros: 700,
        ice: (6, 8, 7),
    },
    ActionData {
        title: "Unboxing experience: handwritten card and candle-care guide",
        description: "Expérience utilisateur after the purchase: every parcel feels personal.",
        action_type: ActionType::CroUxImprovement,
        lever: Lever::Other,
        step: JourneyStep::DeliverExperience,
        stage: FunnelStage::Delight,
        campaign: None,
        start: (6, 1),
        due: (6, 30),
        owner: SOPHIE,
        status: ActionStatus::Done,
        budget_euros: 900,
        actual_cost_euros: 950,
        ice: (5, 8, 8),
    },
    // AFTER — raise customer value.
    ActionData {
        title: "Cross-sell refills and wick trimmers after each purchase",
        description: "Upselling et cross-selling in a post-purchase workflow, 30 days later.",
        action_type: ActionType::UpsellCrossSell,
        lever: Lever::MarketingAutomation,
        step: JourneyStep::RaiseCustomerValue,
        stage: FunnelStage::Delight,
        campaign: Some(C_CHRISTMAS),
        start: (10, 1),
        due: (12, 15),
        owner: CAMILLE,
        status: ActionStatus::Todo,
        budget_euros: 700,
        actual_cost_euros: 0,
        ice: (7, 7, 7),
    },
    ActionData {
        title: "Launch the 'Cercle Lumière' loyalty club (programme de fidélité)",
        description: "Points on every order, early access to collections, a birthday candle.",
        action_type: ActionType::LoyaltyProgram,
        lever: Lever::Emailing,
        step: JourneyStep::RaiseCustomerValue,
        stage: FunnelStage::Delight,
        campaign: Some(C_CHRISTMAS),
        start: (10, 1),
        due: (10, 31),
        owner: CAMILLE,
        status: ActionStatus::Todo,
        budget_euros: 2_500,
        actual_cost_euros: 0,
        ice: (8, 6, 5),
    },
    // AFTER — orchestrate referrals.
    ActionData {
        title: "Referral programme: give a candle, get one (parrainage)",
        description: "Each club member gets a code; both friends receive a mini candle.",
        action_type: ActionType::ReferralProgram,
        lever: Lever::Affiliation,
        step: JourneyStep::OrchestrateReferrals,
        stage: FunnelStage::Delight,
        campaign: Some(C_CHRISTMAS),
        start: (10, 15),
        due: (12, 15),
        owner: CAMILLE,
        status: ActionStatus::Todo,
        budget_euros: 1_000,
        actual_cost_euros: 0,
        ice: (6, 5, 7),
    },
    ActionData {
        title: "Collect and showcase customer reviews (avis et témoignages)",
        description: "Review request seven days after delivery; best reviews on product pages.",
        action_type: ActionType::ReviewsTestimonials,
        lever: Lever::Content,
        step: JourneyStep::OrchestrateReferrals,
        stage: FunnelStage::Delight,
        campaign: None,
        start: (7, 1),
        due: (12, 31),
        owner: KARIM,
        status: ActionStatus::InProgress,
        budget_euros: 600,
        actual_cost_euros: 200,
        ice: (7, 8, 9),
    },
    ActionData {
        title: "Affiliate programme with lifestyle bloggers",
        description: "Cancelled: commissions too high for the margin; referral tested instead.",
        action_type: ActionType::AffiliateProgram,
        lever: Lever::Affiliation,
        step: JourneyStep::OrchestrateReferrals,
        stage: FunnelStage::Attract,
        campaign: None,
        start: (6, 1),
        due: (8, 31),
        owner: CAMILLE,
        status: ActionStatus::Cancelled,
        budget_euros: 800,
        actual_cost_euros: 0,
        ice: (4, 4, 6),
    },
];

/// A content item of the content plan (seed 003: "créez des messages").
pub struct ContentData {
    pub persona: usize,
    pub lever: Lever,
    pub stage: FunnelStage,
    pub message: &'static str,
    pub format: &'static str,
    pub call_to_action: &'static str,
    pub publish: Day,
    pub status: ContentStatus,
    pub action: Option<usize>,
}

/// The content plan, crossing personas × levers × funnel stages.
pub const CONTENT: [ContentData; 10] = [
    ContentData {
        persona: JULIEN,
        lever: Lever::Seo,
        stage: FunnelStage::Attract,
        message: "Natural wax or paraffin? What really burns in your living room",
        format: "Blog article",
        call_to_action: "Discover our natural-wax candles",
        publish: (3, 12),
        status: ContentStatus::Published,
        action: Some(A_ARTICLES),
    },
    ContentData {
        persona: CLAIRE,
        lever: Lever::Seo,
        stage: FunnelStage::Attract,
        message: "Twenty gift ideas for Mother's Day that look handmade (idées cadeaux)",
        format: "Blog article",
        call_to_action: "See the gift sets",
        publish: (4, 20),
        status: ContentStatus::Published,
        action: Some(A_ARTICLES),
    },
    ContentData {
        persona: JULIEN,
        lever: Lever::Influence,
        stage: FunnelStage::Attract,
        message: "A creator lights the 'Jardin' candle in her studio flat",
        format: "Instagram reel",
        call_to_action: "Use code JARDIN10",
        publish: (3, 20),
        status: ContentStatus::Published,
        action: Some(A_INFLUENCERS),
    },
    ContentData {
        persona: CLAIRE,
        lever: Lever::Content,
        stage: FunnelStage::Convert,
        message: "The cocooning guide: make your home a refuge in ten rituals",
        format: "E-book (lead magnet)",
        call_to_action: "Download the free guide",
        publish: (4, 25),
        status: ContentStatus::Published,
        action: Some(A_LEAD_MAGNET),
    },
    ContentData {
        persona: CLAIRE,
        lever: Lever::Emailing,
        stage: FunnelStage::Close,
        message: "Mother's Day: order before 22 May, gift-wrapped with a handwritten card",
        format: "Newsletter",
        call_to_action: "Choose her candle",
        publish: (5, 12),
        status: ContentStatus::Published,
        action: Some(A_NEWSLETTER),
    },
    ContentData {
        persona: JULIEN,
        lever: Lever::SocialAds,
        stage: FunnelStage::Close,
        message: "Your discovery set, delivered in 48 hours, shipping included",
        format: "Carousel ad",
        call_to_action: "Shop the discovery set",
        publish: (5, 2),
        status: ContentStatus::Published,
        action: None,
    },
    ContentData {
        persona: NATHALIE,
        lever: Lever::Seo,
        stage: FunnelStage::Attract,
        message: "Stock a French artisan candle: wholesale terms and best-sellers",
        format: "Landing page",
        call_to_action: "Request the wholesale price list",
        publish: (2, 20),
        status: ContentStatus::Published,
        action: None,
    },
    ContentData {
        persona: NATHALIE,
        lever: Lever::Emailing,
        stage: FunnelStage::Convert,
        message: "How a concept store in Annecy sells 200 candles a season (témoignage)",
        format: "Case-study e-mail",
        call_to_action: "Book a call with Sophie",
        publish: (9, 15),
        status: ContentStatus::Draft,
        action: None,
    },
    ContentData {
        persona: CLAIRE,
        lever: Lever::Emailing,
        stage: FunnelStage::Delight,
        message: "Welcome to the Cercle Lumière: your first points and a birthday candle",
        format: "Newsletter",
        call_to_action: "Join the club",
        publish: (10, 5),
        status: ContentStatus::Scheduled,
        action: Some(A_LOYALTY_CLUB),
    },
    ContentData {
        persona: JULIEN,
        lever: Lever::SocialMedia,
        stage: FunnelStage::Delight,
        message: "Your candles, your homes: the best customer photos of the year",
        format: "Instagram carousel (user-generated content)",
        call_to_action: "Share yours with #MaisonLumiere",
        publish: (12, 10),
        status: ContentStatus::Idea,
        action: Some(A_REVIEWS),
    },
];
