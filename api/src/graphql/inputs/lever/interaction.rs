//! Inputs of the lever interaction mutations.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::{enums::Lever, lever_enums::LeverInteractionKind};
use uuid::Uuid;

use crate::domain::lever::interaction::{InteractionChanges, NewInteraction};
use crate::graphql::inputs::plan::maybe;

/// A new lever interaction of a plan.
#[derive(Debug, InputObject)]
pub struct CreateLeverInteractionInput {
    /// Global ID of the plan.
    pub plan_id: ID,
    /// The lever that acts.
    pub from_lever: Lever,
    /// The lever acted upon; not the same as `fromLever`.
    pub to_lever: Lever,
    /// Synergy, cannibalization or dependency; a plan states each (from, to, kind) once.
    pub kind: LeverInteractionKind,
    /// Explanation.
    pub note: Option<String>,
}

impl CreateLeverInteractionInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewInteraction {
        NewInteraction {
            plan_id,
            from_lever: self.from_lever,
            to_lever: self.to_lever,
            kind: self.kind,
            note: self.note,
        }
    }
}

/// Changes to a lever interaction; omitted fields stay as they are.
#[derive(Debug, InputObject)]
pub struct UpdateLeverInteractionInput {
    /// The interaction's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the interaction changed since.
    pub expected_version: i32,
    /// New acting lever.
    pub from_lever: Option<Lever>,
    /// New lever acted upon.
    pub to_lever: Option<Lever>,
    /// New kind.
    pub kind: Option<LeverInteractionKind>,
    /// New note; null clears it.
    pub note: MaybeUndefined<String>,
}

impl From<UpdateLeverInteractionInput> for InteractionChanges {
    fn from(input: UpdateLeverInteractionInput) -> Self {
        Self {
            from_lever: input.from_lever,
            to_lever: input.to_lever,
            kind: input.kind,
            note: maybe(input.note),
        }
    }
}

/// The lever interaction to delete.
#[derive(Debug, InputObject)]
pub struct DeleteLeverInteractionInput {
    /// The interaction's global ID.
    pub id: ID,
}
