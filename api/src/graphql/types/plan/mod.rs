//! `Plan`: a digital-marketing action plan.

pub mod arbitrage;
pub mod budget;
pub mod budget_report;
pub mod calendar;
pub mod lists;
pub mod objective;
pub mod review;
pub mod scenario;
pub mod strategy;

use async_graphql::{Context, ID, Object, Result};
use entity::{enums::PlanStatus, plan};

use self::{lists::PlanLists, strategy::PlanStrategy};
use crate::graphql::types::{
    BudgetReport, CalendarGroup, CalendarGrouping, LeverAllocation, LeverInteraction, Objective,
    PlanBudgetCheck, Scenario,
};
use crate::{
    connection,
    domain::{self, plan::budget::report},
    graphql::{
        context::loaders,
        scalars::{Date, DateTime, Decimal},
    },
    ids::{self, NodeType},
    store::plan::calendar::ActionGrouping,
};

/// A digital-marketing action plan over a period (usually a year): its budget, the personas it
/// targets, its SMART objectives and its campaigns.
#[derive(Debug, Clone)]
pub struct Plan(pub plan::Model);

connection!(
    PlanConnection,
    PlanEdge,
    Plan,
    plan::Model,
    "A page of plans.",
    "A plan in a page of plans."
);

/// A digital-marketing action plan over a period (usually a year): its budget, the personas it
/// targets, its SMART objectives and its campaigns.
#[Object]
impl Plan {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Plan, self.0.id)
    }

    /// The object's audit trail: `history` (ADMIN only).
    #[graphql(flatten)]
    async fn audited(&self) -> crate::graphql::types::AuditHistory {
        crate::graphql::types::AuditHistory(self.0.id)
    }

    /// The plan's comments: `commentCount` and `comments`.
    #[graphql(flatten)]
    async fn commented(&self) -> crate::graphql::types::Commented {
        crate::graphql::types::Commented(entity::comment::CommentTarget::Plan, self.0.id)
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Optional description.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// First day of the period.
    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }

    /// Last day of the period (inclusive).
    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }

    /// Currency (ISO 4217) of every amount of the plan.
    async fn currency(&self) -> &str {
        &self.0.currency
    }

    /// Total budget, in the plan's currency.
    async fn budget(&self) -> Decimal {
        Decimal::stored_amount(self.0.budget_micros, &self.0.currency)
    }

    /// Lifecycle status.
    async fn status(&self) -> PlanStatus {
        self.0.status
    }

    /// The plan's review and approval: its state (DRAFT, IN_REVIEW, APPROVED, apart from
    /// `status`), the version approved, by whom and when, and every step so far.
    async fn review(&self, ctx: &Context<'_>) -> Result<review::PlanReview> {
        let events = loaders(ctx)?.plan_review_events.load_one(self.0.id).await?;
        Ok(review::PlanReview(
            domain::plan::review::PlanReview::from_events(events.unwrap_or_default()),
        ))
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

    /// When the plan was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the plan was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }

    /// The plan's Relay connections: `campaigns`, `actions` and `contentItems`.
    #[graphql(flatten)]
    async fn lists(&self) -> PlanLists {
        PlanLists {
            plan_id: self.0.id,
            currency: self.0.currency.as_str().into(),
        }
    }

    /// The plan's SMART objectives, by deadline.
    async fn objectives(&self, ctx: &Context<'_>) -> Result<Vec<Objective>> {
        let objectives = loaders(ctx)?.plan_objectives.load_one(self.0.id).await?;
        Ok(objectives
            .unwrap_or_default()
            .into_iter()
            .map(Objective)
            .collect())
    }

    /// The budget the plan gives to each lever it uses, by priority (1, the highest, first).
    async fn lever_allocations(&self, ctx: &Context<'_>) -> Result<Vec<LeverAllocation>> {
        let rows = loaders(ctx)?
            .plan_lever_allocations
            .load_one(self.0.id)
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(LeverAllocation)
            .collect())
    }

    /// The plan's what-if scenarios of its budgets, by name (compare them with
    /// `scenarioComparison`).
    async fn scenarios(&self, ctx: &Context<'_>) -> Result<Vec<Scenario>> {
        let rows = loaders(ctx)?.plan_scenarios.load_one(self.0.id).await?;
        Ok(rows.unwrap_or_default().into_iter().map(Scenario).collect())
    }

    /// How the plan's levers affect each other, oldest first.
    async fn lever_interactions(&self, ctx: &Context<'_>) -> Result<Vec<LeverInteraction>> {
        let rows = loaders(ctx)?
            .plan_lever_interactions
            .load_one(self.0.id)
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(LeverInteraction)
            .collect())
    }

    /// The budget against the lever allocations and campaign budgets, with warnings when
    /// they exceed it.
    async fn budget_check(&self, ctx: &Context<'_>) -> Result<PlanBudgetCheck> {
        let totals = loaders(ctx)?
            .plan_budget_totals
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        PlanBudgetCheck::try_from(domain::plan::budget::check(
            self.0.budget_micros,
            &self.0.currency,
            totals,
        ))
        .map_err(Into::into)
    }

    /// The plan's calendar: every action of the plan exactly once, grouped by month (of its
    /// start date), by campaign or by action type, each group with the campaigns that matter to
    /// it and the planned budget and actual cost of its actions. Cancelled actions are listed
    /// and their actual cost counts, but their planned budget is left out of the sums.
    async fn calendar(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How to group the actions: MONTH (every month of the period, empty ones included), CAMPAIGN (by start date, then the actions without a campaign) or ACTION_TYPE."
        )]
        group_by: CalendarGrouping,
    ) -> Result<Vec<CalendarGroup>> {
        let loaders = loaders(ctx)?;
        let (actions, campaigns, sums) = futures::try_join!(
            loaders.plan_calendar_actions.load_one(self.0.id),
            loaders.plan_calendar_campaigns.load_one(self.0.id),
            loaders
                .plan_action_sums
                .load_one((self.0.id, group_by.sums()))
        )?;
        Ok(domain::plan::calendar::build(
            &self.0,
            group_by.domain(),
            &actions.unwrap_or_default(),
            &campaigns.unwrap_or_default(),
            &sums.unwrap_or_default(),
        )
        .map_err(crate::error::ApiError::from)?
        .into_iter()
        .map(|group| CalendarGroup {
            group,
            currency: self.0.currency.clone(),
        })
        .collect())
    }

    /// The budget report: planned against actual (the actual costs recorded on actions) with
    /// the variance, by lever, by campaign and by month, with the budget check's warnings.
    async fn budget_report(&self, ctx: &Context<'_>) -> Result<BudgetReport> {
        let loaders = loaders(ctx)?;
        let (allocations, campaigns, by_lever, by_campaign, by_month, totals) = futures::try_join!(
            loaders.plan_lever_allocations.load_one(self.0.id),
            loaders.plan_calendar_campaigns.load_one(self.0.id),
            loaders
                .plan_action_sums
                .load_one((self.0.id, ActionGrouping::Lever)),
            loaders
                .plan_action_sums
                .load_one((self.0.id, ActionGrouping::Campaign)),
            loaders
                .plan_action_sums
                .load_one((self.0.id, ActionGrouping::Month)),
            loaders.plan_budget_totals.load_one(self.0.id)
        )?;
        let report = report::build(
            &self.0,
            &allocations.unwrap_or_default(),
            &campaigns.unwrap_or_default(),
            report::ReportSums {
                by_lever: &by_lever.unwrap_or_default(),
                by_campaign: &by_campaign.unwrap_or_default(),
                by_month: &by_month.unwrap_or_default(),
            },
            totals.unwrap_or_default(),
        )
        .map_err(crate::error::ApiError::from)?;
        Ok(BudgetReport {
            currency: self.0.currency.clone(),
            report,
            plan_id: self.0.id,
            budget_micros: self.0.budget_micros,
        })
    }

    /// The plan's share links, oldest first, revoked and expired ones included (EDITOR).
    async fn share_links(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::types::ShareLink>> {
        let links = loaders(ctx)?.plan_share_links.load_one(self.0.id).await?;
        Ok(links
            .unwrap_or_default()
            .into_iter()
            .map(crate::graphql::types::ShareLink)
            .collect())
    }

    /// The plan's strategy: personas, market analysis, SWOT, PEST, brand, marketing mix and
    /// segments.
    #[graphql(flatten)]
    async fn strategy(&self) -> PlanStrategy {
        PlanStrategy(self.0.id)
    }
}
