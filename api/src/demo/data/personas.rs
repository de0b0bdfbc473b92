//! The three personas (seed 003, step 2), by index: [`CLAIRE`], [`JULIEN`], [`NATHALIE`].

use entity::enums::Lever;

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
