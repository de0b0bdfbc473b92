//! `Objective`: a SMART objective of a plan.

use async_graphql::{Context, ID, Object, Result};
use entity::{enums::ObjectiveKind, objective};

use crate::graphql::types::{KpiDefinition, Plan};
use crate::{
    domain::kpi::progress::{ObjectiveRef, ObjectiveStatus},
    error::ApiError,
    graphql::{
        context::loaders,
        scalars::{Date, DateTime, Decimal},
    },
    ids::{self, NodeType},
};

/// A SMART objective: Specific (title, statement), Measurable (KPI, baseline, target),
/// Achievable and Realistic (rationale), Time-bound (deadline inside the plan's period).
#[derive(Debug, Clone)]
pub struct Objective(pub objective::Model);

impl Objective {
    /// Where the objective stands, loaded with every other objective of the request.
    async fn status(&self, ctx: &Context<'_>) -> Result<ObjectiveStatus> {
        let objective = ObjectiveRef {
            id: self.0.id,
            plan_id: self.0.plan_id,
            kpi_key: self.0.kpi_key.clone(),
            baseline_micros: self.0.baseline_micros,
            target_micros: self.0.target_micros,
            deadline: self.0.deadline,
        };
        let status = loaders(ctx)?
            .objective_statuses
            .load_one(objective)
            .await?
            .unwrap_or_default();
        if status.out_of_range {
            return Err(ApiError::bad_input(
                "this objective's current value or progress leaves the range of an exact \
                 decimal (28 significant digits); its measurements add up beyond it",
            )
            .into());
        }
        Ok(status)
    }
}

/// A SMART objective: Specific (title, statement), Measurable (KPI, baseline, target),
/// Achievable and Realistic (rationale), Time-bound (deadline inside the plan's period).
#[Object]
impl Objective {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Objective, self.0.id)
    }

    /// The object's audit trail: `history` (ADMIN only).
    #[graphql(flatten)]
    async fn audited(&self) -> crate::graphql::types::AuditHistory {
        crate::graphql::types::AuditHistory(self.0.id)
    }

    /// The objective's comments: `commentCount` and `comments`.
    #[graphql(flatten)]
    async fn commented(&self) -> crate::graphql::types::Commented {
        crate::graphql::types::Commented(entity::comment::CommentTarget::Objective, self.0.id)
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
        self.0.baseline_micros.map(Decimal::stored_plain)
    }

    /// The value to reach by the deadline, in the KPI's unit.
    async fn target(&self) -> Decimal {
        Decimal::stored_plain(self.0.target_micros)
    }

    /// Why the target is achievable and realistic.
    async fn rationale(&self) -> Option<&str> {
        self.0.rationale.as_deref()
    }

    /// The date by which the target is to be reached (Time-bound).
    async fn deadline(&self) -> Date {
        Date(self.0.deadline)
    }

    /// The KPI's value from the plan's first day to the deadline (inclusive), over the
    /// measurements of this plan and those of no plan (tenant-wide numbers such as site
    /// sessions), combined as in `kpiSeries`: SUM KPIs summed, ratios from summed components
    /// (null without a denominator), snapshots (LAST) the latest date's values summed,
    /// non-additive KPIs the largest value of the latest date. Null without measurements.
    /// Needs the right to read KPIs (viewers, API keys with READ_KPIS).
    async fn current_value(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        Ok(self.status(ctx).await?.current_value.map(Decimal::plain))
    }

    /// Progress from baseline to target, `(current − baseline) / (target − baseline)`, as a
    /// plain fraction: 0.5 is half-way, 1 reached, above 1 over-achieved, below 0 worse than
    /// the baseline (not clamped); a missing baseline counts as 0. Direction-aware by
    /// construction: a CPA objective from 40 to 20 is at 0.5 with a current CPA of 30. When
    /// target equals baseline: 1 if reached in the KPI's direction, else 0. Null without a
    /// current value.
    async fn progress(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        Ok(self
            .status(ctx)
            .await?
            .progress
            .and_then(|progress| rust_decimal::prelude::ToPrimitive::to_f64(&progress)))
    }

    /// Whether progress keeps the linear pace from baseline at the plan's start to target at
    /// the deadline: progress ≥ (min(today, deadline) − plan start) / (deadline − plan start),
    /// that share clamped to [0, 1] (1 when the deadline is the plan's first day; today is the
    /// UTC date). Null without a current value.
    async fn on_track(&self, ctx: &Context<'_>) -> Result<Option<bool>> {
        Ok(self.status(ctx).await?.on_track)
    }

    /// Its reference in the system it is synced from (set by `externalRef` on create, update
    /// or upsert); null when it has none.
    async fn external_ref(&self) -> Option<crate::graphql::types::external_ref::ExternalRef> {
        crate::graphql::types::external_ref::ExternalRef::of(
            &self.0.external_source,
            &self.0.external_id,
        )
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
