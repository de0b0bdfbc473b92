//! How each table's rows are copied into the new plan: the copy of a row takes a new id, points
//! at the new plan and at the copies of its parents, has its dates moved and its status reset,
//! and starts at version 1. A link to a row that is not copied (another plan's) is dropped.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    action, action_enums::ActionStatus, action_enums::ContentStatus, brand, campaign,
    campaign_lever, campaign_objective, campaign_persona, competitor, content_item,
    enums::CampaignStatus, lever_allocation, lever_interaction, market_trend, marketing_mix_entry,
    objective, persona_segment, pest_factor, plan_persona, segment, swot_item,
};
use uuid::Uuid;

use super::PeriodShift;
use crate::store::plan::contents::PlanRows;

/// What every copy of a row needs to know about the new plan.
pub(super) struct Copying {
    /// The new plan's id.
    pub plan_id: Uuid,
    /// How dates move.
    pub shift: PeriodShift,
    /// The creation time of every copy.
    pub now: DateTime<Utc>,
    /// The id of the copy of every row that has one, by the original's id.
    ids: HashMap<Uuid, Uuid>,
}

impl Copying {
    /// Draws every new id up front, so that a copy can point at the copy of any row whatever
    /// the order the tables are written in; table by table, each in the order its rows were
    /// loaded.
    pub fn new(source: &PlanRows, shift: PeriodShift) -> Self {
        let old_ids = (source.trends.iter().map(|row| row.id))
            .chain(source.competitors.iter().map(|row| row.id))
            .chain(source.swot_items.iter().map(|row| row.id))
            .chain(source.pest_factors.iter().map(|row| row.id))
            .chain(source.brand.iter().map(|row| row.id))
            .chain(source.segments.iter().map(|row| row.id))
            .chain(source.objectives.iter().map(|row| row.id))
            .chain(source.allocations.iter().map(|row| row.id))
            .chain(source.interactions.iter().map(|row| row.id))
            .chain(source.campaigns.iter().map(|row| row.id))
            .chain(source.actions.iter().map(|row| row.id))
            .chain(source.content_items.iter().map(|row| row.id));
        Self {
            plan_id: Uuid::now_v7(),
            shift,
            now: Utc::now(),
            ids: old_ids.map(|old| (old, Uuid::now_v7())).collect(),
        }
    }

    /// The id of the copy of the row `old`, `None` when that row is not copied.
    pub fn id(&self, old: Uuid) -> Option<Uuid> {
        self.ids.get(&old).copied()
    }
}

/// A row of a table the plan copies.
pub(super) trait Copied: Sized {
    /// The row's copy in the new plan, or `None` when it is left out (a link to a row that is
    /// not copied).
    fn copied(&self, copying: &Copying) -> Option<Self>;
}

/// A row of one of the plan's own tables (it has an id, a plan, a version and timestamps).
trait Renewed: Sized {
    /// The same row under its new id in the new plan, at version 1 and created now. The copy
    /// writes every column as given, so these are set here rather than by the store.
    fn renewed(&self, copying: &Copying) -> Option<Self>;
}

/// Implements [`Renewed`] for the plan's own tables.
macro_rules! renewed {
    ($($table:ident),*) => {$(
        impl Renewed for $table::Model {
            fn renewed(&self, copying: &Copying) -> Option<Self> {
                Some(Self {
                    id: copying.id(self.id)?,
                    plan_id: copying.plan_id,
                    version: 1,
                    created_at: copying.now,
                    updated_at: copying.now,
                    ..self.clone()
                })
            }
        }
    )*};
}

/// Implements [`Renewed`] for the plan's tables whose rows carry an external reference: the
/// copy drops it, since the reference names the original (and is unique in the tenant).
macro_rules! renewed_without_external_ref {
    ($($table:ident),*) => {$(
        impl Renewed for $table::Model {
            fn renewed(&self, copying: &Copying) -> Option<Self> {
                Some(Self {
                    id: copying.id(self.id)?,
                    plan_id: copying.plan_id,
                    version: 1,
                    created_at: copying.now,
                    updated_at: copying.now,
                    external_source: None,
                    external_id: None,
                    ..self.clone()
                })
            }
        }
    )*};
}

/// Implements [`Copied`] as a plain renewal, for the tables whose copies change nothing else.
macro_rules! copied_as_renewed {
    ($($table:ident),*) => {$(
        impl Copied for $table::Model {
            fn copied(&self, copying: &Copying) -> Option<Self> {
                self.renewed(copying)
            }
        }
    )*};
}

renewed!(
    market_trend,
    competitor,
    swot_item,
    pest_factor,
    brand,
    segment,
    lever_interaction
);
renewed_without_external_ref!(lever_allocation, objective, campaign, action, content_item);
copied_as_renewed!(
    market_trend,
    competitor,
    swot_item,
    pest_factor,
    brand,
    segment,
    lever_allocation,
    lever_interaction
);

impl Copied for plan_persona::Model {
    fn copied(&self, copying: &Copying) -> Option<Self> {
        Some(Self {
            plan_id: copying.plan_id,
            ..self.clone()
        })
    }
}

impl Copied for marketing_mix_entry::Model {
    fn copied(&self, copying: &Copying) -> Option<Self> {
        Some(Self {
            plan_id: copying.plan_id,
            updated_at: copying.now,
            ..self.clone()
        })
    }
}

impl Copied for persona_segment::Model {
    fn copied(&self, copying: &Copying) -> Option<Self> {
        Some(Self {
            segment_id: copying.id(self.segment_id)?,
            ..self.clone()
        })
    }
}

impl Copied for objective::Model {
    fn copied(&self, copying: &Copying) -> Option<Self> {
        Some(Self {
            deadline: copying.shift.apply(self.deadline),
            ..self.renewed(copying)?
        })
    }
}

impl Copied for campaign::Model {
    fn copied(&self, copying: &Copying) -> Option<Self> {
        Some(Self {
            start_date: copying.shift.apply(self.start_date),
            end_date: copying.shift.apply(self.end_date),
            status: CampaignStatus::Planned,
            parent_campaign_id: self.parent_campaign_id.and_then(|id| copying.id(id)),
            ..self.renewed(copying)?
        })
    }
}

impl Copied for campaign_lever::Model {
    fn copied(&self, copying: &Copying) -> Option<Self> {
        Some(Self {
            campaign_id: copying.id(self.campaign_id)?,
            ..self.clone()
        })
    }
}

impl Copied for campaign_persona::Model {
    fn copied(&self, copying: &Copying) -> Option<Self> {
        Some(Self {
            campaign_id: copying.id(self.campaign_id)?,
            ..self.clone()
        })
    }
}

impl Copied for campaign_objective::Model {
    fn copied(&self, copying: &Copying) -> Option<Self> {
        Some(Self {
            campaign_id: copying.id(self.campaign_id)?,
            objective_id: copying.id(self.objective_id)?,
            ..self.clone()
        })
    }
}

impl Copied for action::Model {
    fn copied(&self, copying: &Copying) -> Option<Self> {
        Some(Self {
            campaign_id: self.campaign_id.and_then(|id| copying.id(id)),
            start_date: copying.shift.apply(self.start_date),
            due_date: copying.shift.apply(self.due_date),
            status: ActionStatus::Todo,
            actual_cost_micros: 0,
            ..self.renewed(copying)?
        })
    }
}

impl Copied for content_item::Model {
    fn copied(&self, copying: &Copying) -> Option<Self> {
        Some(Self {
            action_id: self.action_id.and_then(|id| copying.id(id)),
            publish_date: copying.shift.apply(self.publish_date),
            status: ContentStatus::Idea,
            ..self.renewed(copying)?
        })
    }
}
