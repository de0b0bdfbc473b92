//! The plan's strategy: target segments, SWOT, PEST(EL), market trends, competitors, brand
//! platform and the ten dimensions of the marketing mix.

use entity::{
    enums::Lever,
    strategy_enums::{MixDimension, PestCategory, SwotQuadrant},
};

use super::{CLAIRE, JULIEN, NATHALIE};

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
