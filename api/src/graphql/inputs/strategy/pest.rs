//! Inputs of the PEST mutations.

use async_graphql::{ID, InputObject};
use entity::strategy_enums::PestCategory;
use uuid::Uuid;

use crate::domain::strategy::pest::{NewPestFactor, PestFactorChanges};

/// A new PEST factor.
#[derive(Debug, InputObject)]
pub struct CreatePestFactorInput {
    /// Global ID of the plan whose PEST analysis holds the factor.
    pub plan_id: ID,
    /// Political, economic, social, technological, environmental or legal.
    pub category: PestCategory,
    /// The factor in one sentence (1 to 1000 characters).
    pub statement: String,
    /// Impact, 1 (low) to 5 (high).
    pub impact: i32,
    /// Likelihood, 1 (unlikely) to 5 (almost certain).
    pub likelihood: i32,
}

impl CreatePestFactorInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewPestFactor {
        NewPestFactor {
            plan_id,
            category: self.category,
            statement: self.statement,
            impact: self.impact,
            likelihood: self.likelihood,
        }
    }
}

/// Changes to a PEST factor; omitted fields stay as they are.
#[derive(Debug, InputObject)]
pub struct UpdatePestFactorInput {
    /// The factor's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the factor changed since.
    pub expected_version: i32,
    /// New category.
    pub category: Option<PestCategory>,
    /// New statement.
    pub statement: Option<String>,
    /// New impact, 1 to 5.
    pub impact: Option<i32>,
    /// New likelihood, 1 to 5.
    pub likelihood: Option<i32>,
}

impl From<UpdatePestFactorInput> for PestFactorChanges {
    fn from(input: UpdatePestFactorInput) -> Self {
        Self {
            category: input.category,
            statement: input.statement,
            impact: input.impact,
            likelihood: input.likelihood,
        }
    }
}

/// The PEST factor to delete.
#[derive(Debug, InputObject)]
pub struct DeletePestFactorInput {
    /// The factor's global ID.
    pub id: ID,
}
