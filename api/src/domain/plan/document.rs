//! The plan as a document, loaded: every row of the plan, with the calendar and the budget report
//! that the API serves (`Plan.calendar`, `Plan.budgetReport`) built by the same functions
//! ([`calendar::build`], [`report::build`]) from the same sums of the database. The document's
//! totals are therefore the API's, cancelled actions counted or left out exactly as there.
//! Turning it into Markdown is presentation, and lives in `crate::http::document`.
//!
//! Loading reads the store in a fixed number of statements whatever the size of the plan: the
//! plan's rows (see [`store::plan::contents`]), the names of its objectives' KPIs, and the sums of
//! its actions by month, by campaign and by lever.

use std::collections::HashMap;

use entity::enums::Lever;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::domain::{
    DomainError, DomainResult, Session,
    plan::budget::report::{self, BudgetLine, BudgetReport, ReportSums},
    plan::calendar::{self, CalendarGroup, CalendarGrouping},
    plan::review::PlanReview,
};
use crate::{
    auth::Permission,
    store::{
        self, Scoped,
        plan::{
            budget::BudgetTotals,
            calendar::{ActionGrouping, GroupKey, GroupSum},
            contents::PlanRows,
        },
    },
};

/// Everything the document shows, loaded.
#[derive(Debug, Clone)]
pub struct PlanDocument {
    /// Every row of the plan.
    pub rows: PlanRows,
    /// KPI names by key, for the KPIs the objectives measure.
    pub kpi_names: HashMap<String, String>,
    /// The calendar by month, as `Plan.calendar(groupBy: MONTH)` serves it: every month of the
    /// period (stretched to the actions), each with its actions by due date and its sums.
    pub calendar_by_month: Vec<CalendarGroup>,
    /// The calendar by campaign, as `Plan.calendar(groupBy: CAMPAIGN)` serves it: one group per
    /// campaign by start date, then the group of the actions without a campaign.
    pub calendar_by_campaign: Vec<CalendarGroup>,
    /// The budget report, as `Plan.budgetReport` serves it.
    pub budget_report: BudgetReport,
    /// The sums of the plan's actions per lever, the ones the budget report is built from: the
    /// report shows a lever's allocation as its planned amount where there is one, and the
    /// document also shows what the lever's actions plan.
    pub lever_sums: Vec<GroupSum>,
    /// The plan's review, as `Plan.review` serves it: its state, the approval in force and
    /// every step.
    pub review: PlanReview,
}

impl PlanDocument {
    /// The planned budget of the plan's actions, cancelled ones left out: the sum of the
    /// calendar's groups, as a client of the API adds them up.
    pub fn planned_micros(&self) -> i128 {
        // At most `calendar::MAX_MONTHS` groups of less than 2^96 each: never near saturating.
        self.calendar_by_month.iter().fold(0i128, |total, group| {
            total.saturating_add(group.planned_micros)
        })
    }

    /// The actual cost of the plan's actions, cancelled ones included: the budget report's.
    pub fn actual_micros(&self) -> i128 {
        self.budget_report.total.actual_micros
    }

    /// What the actions of `lever` plan (cancelled ones left out) and cost; zeros for a lever
    /// without actions.
    pub fn lever_actions(&self, lever: Lever) -> BudgetLine {
        self.lever_sums
            .iter()
            .find(|sum| sum.key == GroupKey::Lever(lever))
            .map(|sum| BudgetLine {
                planned_micros: sum.planned_micros,
                actual_micros: sum.actual_micros,
            })
            .unwrap_or_default()
    }

    /// The calendar group of the campaign `campaign_id`, or of the actions without a campaign
    /// for `None`.
    pub fn campaign_group(&self, campaign_id: Option<Uuid>) -> Option<&CalendarGroup> {
        self.calendar_by_campaign
            .iter()
            .find(|group| match &group.key {
                calendar::CalendarKey::Campaign(campaign) => {
                    campaign.as_ref().map(|campaign| campaign.id) == campaign_id
                }
                _ => false,
            })
    }
}

/// The sums of the plan's actions for one grouping, in one statement.
async fn sums_of<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
    grouping: ActionGrouping,
) -> DomainResult<Vec<GroupSum>> {
    Ok(
        store::plan::calendar::sums_by_plan(scope, &[plan_id], grouping)
            .await?
            .remove(&plan_id)
            .unwrap_or_default(),
    )
}

/// Loads the document of the plan `plan_id` as the caller, in a fixed number of statements
/// whatever the size of the plan. Another tenant's plan is [`DomainError::NotFound`]; a plan
/// whose calendar the API refuses (a period longer than [`calendar::MAX_MONTHS`] months, stored
/// before periods were bounded) is refused the same way.
pub async fn load(session: &Session, plan_id: Uuid) -> DomainResult<PlanDocument> {
    let scope = session.scope(Permission::ReadPlan)?;
    let rows = store::plan::contents::load(&scope, plan_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut keys: Vec<String> = rows
        .objectives
        .iter()
        .map(|objective| objective.kpi_key.clone())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let kpi_names = store::kpi::catalogue::by_keys(&scope, &keys)
        .await?
        .into_iter()
        .map(|definition| (definition.key, definition.name))
        .collect();

    let by_month = sums_of(&scope, plan_id, ActionGrouping::Month).await?;
    let by_campaign = sums_of(&scope, plan_id, ActionGrouping::Campaign).await?;
    let lever_sums = sums_of(&scope, plan_id, ActionGrouping::Lever).await?;
    let review =
        PlanReview::from_events(store::plan::review::events_of_plan(&scope, plan_id).await?);
    // The rows hold actions by start date; the calendar takes them by due date then id, the
    // order `Plan.calendar` reads them in. Campaigns are already by start date then id.
    let mut actions = rows.actions.clone();
    actions.sort_by_key(|action| (action.due_date, action.id));
    let calendar_by_month = calendar::build(
        &rows.plan,
        CalendarGrouping::Month,
        &actions,
        &rows.campaigns,
        &by_month,
    )?;
    let calendar_by_campaign = calendar::build(
        &rows.plan,
        CalendarGrouping::Campaign,
        &actions,
        &rows.campaigns,
        &by_campaign,
    )?;
    // The totals `store::plan::budget::totals_by_plan` sums: every allocation and every
    // campaign of the plan, whatever their status. The rows hold all of them, so adding them
    // here (exactly, in 128 bits) gives the same totals and saves two statements.
    let totals = BudgetTotals {
        allocated_micros: rows
            .allocations
            .iter()
            .map(|allocation| i128::from(allocation.budget_micros))
            .sum(),
        campaigns_micros: rows
            .campaigns
            .iter()
            .map(|campaign| i128::from(campaign.budget_micros))
            .sum(),
    };
    let budget_report = report::build(
        &rows.plan,
        &rows.allocations,
        &rows.campaigns,
        ReportSums {
            by_lever: &lever_sums,
            by_campaign: &by_campaign,
            by_month: &by_month,
        },
        totals,
    )?;
    Ok(PlanDocument {
        rows,
        kpi_names,
        calendar_by_month,
        calendar_by_campaign,
        budget_report,
        lever_sums,
        review,
    })
}
