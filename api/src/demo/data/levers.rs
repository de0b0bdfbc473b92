//! The levers: each one's budget and priority, and how they feed each other.

use entity::{enums::Lever, lever_enums::LeverInteractionKind};

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
