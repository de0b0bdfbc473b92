//! The actions, along the nine steps of the buying journey (seed 003) and the four funnel
//! stages (seed 000), in three tables by phase of the journey: `before.rs` (choose the target
//! market, create the messages, reach prospects), `during.rs` (capture the attracted, develop
//! the audience, convert sales) and `after.rs` (deliver the experience, raise customer value,
//! orchestrate referrals). [`actions`] reads them in that order, the order the `A_*` indexes
//! count in.

mod after;
mod before;
mod during;

use entity::{
    action_enums::{ActionStatus, ActionType, FunnelStage, JourneyStep},
    enums::Lever,
};

use super::Day;

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

/// Every action in journey order: before, during, then after the purchase.
pub fn actions() -> impl Iterator<Item = &'static ActionData> {
    before::ACTIONS
        .iter()
        .chain(during::ACTIONS.iter())
        .chain(after::ACTIONS.iter())
}
