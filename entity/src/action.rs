//! `actions`: the unit of the action plan, placed in the journey and the funnel, with a budget
//! and ICE prioritisation inputs.

use sea_orm::entity::prelude::*;

use crate::{
    action_enums::{ActionStatus, ActionType, FunnelStage, JourneyPhase, JourneyStep},
    enums::Lever,
};

/// An action row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "actions")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// The campaign it is part of, in the same plan.
    pub campaign_id: Option<Uuid>,
    /// Title.
    pub title: String,
    /// Optional description.
    pub description: Option<String>,
    /// The tactic.
    pub action_type: ActionType,
    /// The lever it uses.
    pub lever: Lever,
    /// Its step in the customer journey.
    pub journey_step: JourneyStep,
    /// The phase of `journey_step`, stored for filtering (always derived from the step).
    pub journey_phase: JourneyPhase,
    /// The funnel stage it serves.
    pub funnel_stage: FunnelStage,
    /// First day.
    pub start_date: Date,
    /// Due day (inclusive).
    pub due_date: Date,
    /// Who is responsible (free text).
    pub owner: Option<String>,
    /// Progress.
    pub status: ActionStatus,
    /// Planned budget in micros of the plan's currency.
    pub budget_micros: i64,
    /// Actual cost so far in micros of the plan's currency.
    pub actual_cost_micros: i64,
    /// ICE impact, 1 to 10.
    pub impact: i32,
    /// ICE confidence, 1 to 10.
    pub confidence: i32,
    /// ICE ease, 1 to 10.
    pub ease: i32,
    /// impact × confidence × ease (1 to 1000), stored so SQL can order by it.
    pub ice_score: i32,
    /// The system this row is synced from (with `external_id`; both or neither).
    pub external_source: Option<String>,
    /// Its identifier in that system, unique per tenant with `external_source`.
    pub external_id: Option<String>,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last update time.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::versioned!(Entity, Column);
crate::externally_referenced!(Entity, Column, Model);
