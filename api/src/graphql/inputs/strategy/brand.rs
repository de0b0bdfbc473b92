//! Inputs of `setBrand`.

use async_graphql::{ID, InputObject};

use crate::domain::strategy::brand::BrandContent;

/// The whole brand platform of a plan. `setBrand` writes every field: an omitted text is
/// cleared and omitted values become an empty list.
#[derive(Debug, InputObject)]
pub struct SetBrandInput {
    /// Global ID of the plan.
    pub plan_id: ID,
    /// Null to create the plan's brand platform; the version read to replace it. Refused with
    /// CONFLICT when it does not match (a brand was created or changed meanwhile).
    pub expected_version: Option<i32>,
    /// How the brand is perceived today.
    pub current_perception: Option<String>,
    /// The brand's values (at most 50 items of 500 characters).
    #[graphql(default)]
    pub values: Vec<String>,
    /// Mission: why the company exists.
    pub mission: Option<String>,
    /// Vision: where the company is going.
    pub vision: Option<String>,
    /// Tone of voice.
    pub tone: Option<String>,
    /// Positioning statement.
    pub positioning_statement: Option<String>,
}

impl SetBrandInput {
    /// The content to write.
    pub fn content(self) -> BrandContent {
        BrandContent {
            current_perception: self.current_perception,
            values: self.values,
            mission: self.mission,
            vision: self.vision,
            tone: self.tone,
            positioning_statement: self.positioning_statement,
        }
    }
}
