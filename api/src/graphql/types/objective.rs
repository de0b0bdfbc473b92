//! `Objective`: a SMART objective of a plan.

use async_graphql::{Context, ID, Object, Result};
use entity::{enums::ObjectiveKind, objective};

use super::{KpiDefinition, Plan};
use crate::{
    domain::money,
    graphql::{
        context::loaders,
        errors::ApiError,
        ids::{self, NodeType},
        scalars::{Date, DateTime, Decimal},
    },
};

/// A SMART objective: Specific (title, statement), Measurable (KPI, baseline, target),
/// Achievable and Realistic (rationale), Time-bound (deadline inside the plan's period).
#[derive(Debug, Clone)]
pub struct Objective(pub objective::Model);

/// A SMART objective: Specific (title, statement), Measurable (KPI, baseline, target),
/// Achievable and Realistic (rationale), Time-bound (deadline inside the plan's period).
#[Object]
impl Objective {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Objective, self.0.id)
    }

    /// The plan the objective belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// Short title (Specific).
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The full statement (Specific).
    async fn statement(&self) -> Option<&str> {
        self.0.statement.as_deref()
    }

    /// Family: awareness, traffic, conversion or loyalty.
    async fn kind(&self) -> ObjectiveKind {
        self.0.kind
    }

    /// The KPI that measures it (Measurable).
    async fn kpi(&self, ctx: &Context<'_>) -> Result<KpiDefinition> {
        let kpi = loaders(ctx)?
            .kpi_by_key
            .load_one(self.0.kpi_key.clone())
            .await?;
        Ok(KpiDefinition(kpi.ok_or_else(ApiError::not_found)?))
    }

    /// The KPI's value when the plan starts, in the KPI's unit.
    async fn baseline(&self) -> Option<Decimal> {
        self.0
            .baseline_micros
            .map(|micros| Decimal(money::from_micros(micros)))
    }

    /// The value to reach by the deadline, in the KPI's unit.
    async fn target(&self) -> Decimal {
        Decimal(money::from_micros(self.0.target_micros))
    }

    /// Why the target is achievable and realistic.
    async fn rationale(&self) -> Option<&str> {
        self.0.rationale.as_deref()
    }

    /// The date by which the target is to be reached (Time-bound).
    async fn deadline(&self) -> Date {
        Date(self.0.deadline)
    }

    /// The KPI's value over the objective's window, computed from recorded measurements; null
    /// while none are recorded (measurement ingestion is not available yet).
    async fn current_value(&self) -> Option<Decimal> {
        None
    }

    /// Progress from baseline to target as a fraction (0.5 is half-way), direction-aware; null
    /// while there is no current value.
    async fn progress(&self) -> Option<f64> {
        None
    }

    /// Whether the current value is at or ahead of the linear pace from baseline at the plan's
    /// start to target at the deadline; null while there is no current value.
    async fn on_track(&self) -> Option<bool> {
        None
    }

    /// Version, incremented by every update; pass it as `expectedVersion` to update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the objective was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the objective was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
