//! Queries on actions: the filtered, ordered lists (per plan, per campaign, or across plans),
//! their counts, and detaching actions from a campaign about to be deleted.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use entity::{
    Versioned, action,
    action_enums::{ActionStatus, FunnelStage, JourneyPhase, JourneyStep},
    enums::Lever,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Select,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::store::{
    Scoped, StoreResult,
    page::{self, OrderedPageRequest, Page, SortKind, SortValue},
};

/// Filters of an action list; every set field must match (`None` matches anything, an empty
/// list matches nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ActionFilter {
    /// Only actions of this plan.
    pub plan_id: Option<Uuid>,
    /// Only actions in one of these statuses.
    pub statuses: Option<Vec<ActionStatus>>,
    /// Only actions using one of these levers.
    pub levers: Option<Vec<Lever>>,
    /// Only actions of this campaign.
    pub campaign_id: Option<Uuid>,
    /// Only actions in one of these journey phases.
    pub phases: Option<Vec<JourneyPhase>>,
    /// Only actions at one of these journey steps.
    pub steps: Option<Vec<JourneyStep>>,
    /// Only actions serving one of these funnel stages.
    pub stages: Option<Vec<FunnelStage>>,
    /// Only actions of this owner (exact text).
    pub owner: Option<String>,
    /// Only actions whose start..due range overlaps the calendar month of this date.
    pub month: Option<NaiveDate>,
}

/// The column an action list is sorted by (ties broken by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionSort {
    /// Due date.
    DueDate,
    /// ICE score (impact × confidence × ease).
    Priority,
    /// Planned budget.
    Budget,
    /// Creation time.
    CreatedAt,
}

impl ActionSort {
    /// The sorted column.
    pub fn column(self) -> action::Column {
        match self {
            Self::DueDate => action::Column::DueDate,
            Self::Priority => action::Column::IceScore,
            Self::Budget => action::Column::BudgetMicros,
            Self::CreatedAt => action::Column::CreatedAt,
        }
    }

    /// The type of the sorted column, which the cursors of the list carry.
    pub fn kind(self) -> SortKind {
        match self {
            Self::DueDate => SortKind::Date,
            Self::Priority | Self::Budget => SortKind::Integer,
            Self::CreatedAt => SortKind::Instant,
        }
    }

    /// A row's value in the sorted column, for its cursor.
    pub fn value_of(self, row: &action::Model) -> SortValue {
        match self {
            Self::DueDate => SortValue::Date(row.due_date),
            Self::Priority => SortValue::Integer(i64::from(row.ice_score)),
            Self::Budget => SortValue::Integer(row.budget_micros),
            Self::CreatedAt => SortValue::Instant(row.created_at),
        }
    }
}

/// The parent a nested action list hangs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionParent {
    /// `Plan.actions`.
    Plan,
    /// `Campaign.actions`.
    Campaign,
}

impl ActionParent {
    fn column(self) -> action::Column {
        match self {
            Self::Plan => action::Column::PlanId,
            Self::Campaign => action::Column::CampaignId,
        }
    }
}

/// The first and last day of the calendar month of `day`.
pub fn month_bounds(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap_or(day);
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    let last = next.and_then(|next| next.pred_opt()).unwrap_or(first);
    (first, last)
}

fn filtered<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &ActionFilter,
) -> Select<action::Entity> {
    let mut select = scope.select::<action::Entity>();
    if let Some(plan_id) = filter.plan_id {
        select = select.filter(action::Column::PlanId.eq(plan_id));
    }
    if let Some(statuses) = &filter.statuses {
        select = select.filter(action::Column::Status.is_in(statuses.iter().copied()));
    }
    if let Some(levers) = &filter.levers {
        select = select.filter(action::Column::Lever.is_in(levers.iter().copied()));
    }
    if let Some(campaign_id) = filter.campaign_id {
        select = select.filter(action::Column::CampaignId.eq(campaign_id));
    }
    if let Some(phases) = &filter.phases {
        select = select.filter(action::Column::JourneyPhase.is_in(phases.iter().copied()));
    }
    if let Some(steps) = &filter.steps {
        select = select.filter(action::Column::JourneyStep.is_in(steps.iter().copied()));
    }
    if let Some(stages) = &filter.stages {
        select = select.filter(action::Column::FunnelStage.is_in(stages.iter().copied()));
    }
    if let Some(owner) = &filter.owner {
        select = select.filter(action::Column::Owner.eq(owner.trim()));
    }
    if let Some(day) = filter.month {
        let (first, last) = month_bounds(day);
        select = select
            .filter(action::Column::StartDate.lte(last))
            .filter(action::Column::DueDate.gte(first));
    }
    select
}

/// One page of the tenant's actions matching `filter`, sorted by `sort`.
pub async fn list<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &ActionFilter,
    sort: ActionSort,
    request: &OrderedPageRequest,
) -> StoreResult<Page<action::Model>> {
    page::fetch_ordered(scope, filtered(scope, filter), sort.column(), request).await
}

/// How many of the tenant's actions match `filter`.
pub async fn count<C: ConnectionTrait>(
    scope: &Scoped<C>,
    filter: &ActionFilter,
) -> StoreResult<u64> {
    page::count(scope, filtered(scope, filter)).await
}

/// One page of matching actions for each parent, in one statement.
pub async fn pages_by_parent<C: ConnectionTrait>(
    scope: &Scoped<C>,
    parent: ActionParent,
    parent_ids: &[Uuid],
    filter: &ActionFilter,
    sort: ActionSort,
    request: &OrderedPageRequest,
) -> StoreResult<HashMap<Uuid, Page<action::Model>>> {
    page::fetch_ordered_by_parent(
        scope,
        filtered(scope, filter),
        parent.column(),
        parent_ids,
        sort.column(),
        request,
    )
    .await
}

/// How many matching actions each parent has, in one statement.
pub async fn counts_by_parent<C: ConnectionTrait>(
    scope: &Scoped<C>,
    parent: ActionParent,
    parent_ids: &[Uuid],
    filter: &ActionFilter,
) -> StoreResult<HashMap<Uuid, u64>> {
    page::count_by_parent_in(scope, filtered(scope, filter), parent.column(), parent_ids).await
}

/// Detaches every action of a campaign from it (a new version of each), so that the campaign
/// can be deleted while its actions stay in the plan.
pub async fn detach_from_campaign<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    campaign_id: Uuid,
) -> StoreResult<u64> {
    scope
        .detach::<action::Entity>(action::Column::CampaignId, campaign_id)
        .await
}

/// How many actions of the plan start or end outside `[start, end]`.
pub async fn count_outside_period<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
    start: NaiveDate,
    end: NaiveDate,
) -> StoreResult<u64> {
    page::count(
        scope,
        scope
            .select::<action::Entity>()
            .filter(action::Column::PlanId.eq(plan_id))
            .filter(
                Condition::any()
                    .add(action::Column::StartDate.lt(start))
                    .add(action::Column::DueDate.gt(end)),
            ),
    )
    .await
}

/// Every action of a plan, by id (the arbitrage reads them all: it weighs each against the
/// others).
pub async fn all_of_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_id: Uuid,
) -> StoreResult<Vec<action::Model>> {
    use sea_orm::QueryOrder;
    Ok(scope
        .select::<action::Entity>()
        .filter(action::Column::PlanId.eq(plan_id))
        .order_by_asc(action::Column::Id)
        .all(scope.connection())
        .await?)
}

/// Cancels the actions `(id, version)` in one statement, each only if still at that version
/// (a new version of each). Reports [`crate::store::StoreError::Conflict`] when any of them changed,
/// leaving the caller's transaction to roll back.
pub async fn cancel_at_versions<C: ConnectionTrait>(
    scope: &Scoped<C>,
    actions: &[(Uuid, i32)],
) -> StoreResult<u64> {
    if actions.is_empty() {
        return Ok(0);
    }
    let version = action::Entity::version_column();
    let mut at_version = Condition::any();
    for (id, expected) in actions {
        at_version = at_version.add(
            Condition::all()
                .add(action::Column::Id.eq(*id))
                .add(version.eq(*expected)),
        );
    }
    let result = action::Entity::update_many()
        .col_expr(action::Column::Status, Expr::value(ActionStatus::Cancelled))
        .col_expr(version, Expr::col(version).add(1))
        .col_expr(action::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
        .filter(action::Column::TenantId.eq(scope.tenant_id()))
        .filter(at_version)
        .exec(scope.connection())
        .await?;
    if result.rows_affected != actions.len() as u64 {
        return Err(crate::store::StoreError::Conflict);
    }
    Ok(result.rows_affected)
}
