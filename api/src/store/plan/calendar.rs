//! Reads of the calendar and the budget report: a plan's actions and campaigns in calendar
//! order, and the planned budget and actual cost of its actions summed by the database per
//! month, campaign, action type or lever (exact: integer micros only, never a float).

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    action,
    action_enums::{ActionStatus, ActionType},
    campaign,
    enums::Lever,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, QueryFilter, QueryOrder, QuerySelect, TryGetable,
    sea_query::{Alias, Expr, Func},
};
use uuid::Uuid;

use crate::store::{Scoped, StoreResult, sum};

/// How the actions of a plan are grouped for their sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionGrouping {
    /// By the calendar month of the start date.
    Month,
    /// By campaign (actions without one form their own group).
    Campaign,
    /// By action type.
    ActionType,
    /// By lever.
    Lever,
}

/// The key of one group of sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKey {
    /// First day of the month the actions start in.
    Month(NaiveDate),
    /// The campaign, or none.
    Campaign(Option<Uuid>),
    /// The action type.
    ActionType(ActionType),
    /// The lever.
    Lever(Lever),
}

/// The sums of one group of actions, in micros of the plan's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupSum {
    /// The group.
    pub key: GroupKey,
    /// Sum of the planned budgets of its actions that are not cancelled (exact beyond 64 bits).
    pub planned_micros: i128,
    /// Sum of the actual costs of all its actions, cancelled ones included.
    pub actual_micros: i128,
}

/// The actions of each plan ordered by due date then id, in one statement.
pub async fn actions_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<action::Model>>> {
    if plan_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = scope
        .select::<action::Entity>()
        .filter(scope.one_of(action::Column::PlanId, plan_ids.iter().copied()))
        .order_by_asc(action::Column::DueDate)
        .order_by_asc(action::Column::Id)
        .all(scope.connection())
        .await?;
    let mut grouped: HashMap<Uuid, Vec<action::Model>> =
        plan_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        grouped.entry(row.plan_id).or_default().push(row);
    }
    Ok(grouped)
}

/// The campaigns of each plan ordered by start date then id, in one statement.
pub async fn campaigns_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<campaign::Model>>> {
    if plan_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = scope
        .select::<campaign::Entity>()
        .filter(scope.one_of(campaign::Column::PlanId, plan_ids.iter().copied()))
        .order_by_asc(campaign::Column::StartDate)
        .order_by_asc(campaign::Column::Id)
        .all(scope.connection())
        .await?;
    let mut grouped: HashMap<Uuid, Vec<campaign::Model>> =
        plan_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        grouped.entry(row.plan_id).or_default().push(row);
    }
    Ok(grouped)
}

/// `YYYY-MM` of an action's start date, in the dialect of the connection's backend: dates are
/// `YYYY-MM-DD` text on SQLite, a `DATE` on PostgreSQL.
fn start_month(backend: DbBackend) -> Expr {
    let column = Expr::col((action::Entity, action::Column::StartDate));
    match backend {
        DbBackend::Sqlite => Func::cust(Alias::new("substr"))
            .arg(column)
            .arg(1)
            .arg(7)
            .into(),
        _ => Func::cust(Alias::new("to_char"))
            .arg(column)
            .arg("YYYY-MM")
            .into(),
    }
}

/// A plan, a group key, and the high and low halves of its planned and actual sums.
type SplitSumRow<K> = (Uuid, K, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

/// `(plan_id, key, planned, actual)` per plan and group, in one statement; the sums are exact
/// beyond 64 bits (each read as two split sums, see [`crate::store::sum`]).
async fn sums<K, C>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
    key: Expr,
) -> StoreResult<Vec<(Uuid, K, i128, i128)>>
where
    K: TryGetable,
    C: ConnectionTrait,
{
    let planned = Expr::case(
        action::Column::Status.ne(ActionStatus::Cancelled),
        Expr::col((action::Entity, action::Column::BudgetMicros)),
    )
    .finally(Expr::val(0i64));
    let (planned_high, planned_low) = sum::split_sum_exprs(planned.into());
    let (actual_high, actual_low) = sum::split_sum_exprs(Expr::col((
        action::Entity,
        action::Column::ActualCostMicros,
    )));
    let rows: Vec<SplitSumRow<K>> = scope
        .select::<action::Entity>()
        .select_only()
        .column(action::Column::PlanId)
        .column_as(key, "group_key")
        .column_as(planned_high, "planned_high")
        .column_as(planned_low, "planned_low")
        .column_as(actual_high, "actual_high")
        .column_as(actual_low, "actual_low")
        .filter(scope.one_of(action::Column::PlanId, plan_ids.iter().copied()))
        .group_by(action::Column::PlanId)
        // By the output column's alias: repeating the expression would bind its parameters
        // anew (`to_char(start_date, $2)`), which PostgreSQL does not match with the select's.
        .group_by(Expr::col(Alias::new("group_key")))
        .into_tuple()
        .all(scope.connection())
        .await?;
    // A group only exists with actions, whose sums are never NULL.
    Ok(rows
        .into_iter()
        .map(
            |(plan, key, planned_high, planned_low, actual_high, actual_low)| {
                (
                    plan,
                    key,
                    sum::combine(planned_high, planned_low).unwrap_or(0),
                    sum::combine(actual_high, actual_low).unwrap_or(0),
                )
            },
        )
        .collect())
}

/// The sums of each plan's actions per group, in one statement whatever the number of plans;
/// groups without actions are absent. Planned sums leave cancelled actions out; actual sums
/// keep them (what was spent stays spent).
pub async fn sums_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
    grouping: ActionGrouping,
) -> StoreResult<HashMap<Uuid, Vec<GroupSum>>> {
    let mut grouped: HashMap<Uuid, Vec<GroupSum>> =
        plan_ids.iter().map(|id| (*id, Vec::new())).collect();
    if plan_ids.is_empty() {
        return Ok(grouped);
    }
    let rows: Vec<(Uuid, GroupKey, i128, i128)> = match grouping {
        ActionGrouping::Month => {
            let backend = scope.connection().get_database_backend();
            sums::<String, _>(scope, plan_ids, start_month(backend))
                .await?
                .into_iter()
                .filter_map(|(plan, month, planned, actual)| {
                    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
                        .ok()
                        .map(|first| (plan, GroupKey::Month(first), planned, actual))
                })
                .collect()
        }
        ActionGrouping::Campaign => sums::<Option<Uuid>, _>(
            scope,
            plan_ids,
            Expr::col((action::Entity, action::Column::CampaignId)),
        )
        .await?
        .into_iter()
        .map(|(plan, id, planned, actual)| (plan, GroupKey::Campaign(id), planned, actual))
        .collect(),
        ActionGrouping::ActionType => sums::<ActionType, _>(
            scope,
            plan_ids,
            Expr::col((action::Entity, action::Column::ActionType)),
        )
        .await?
        .into_iter()
        .map(|(plan, kind, planned, actual)| (plan, GroupKey::ActionType(kind), planned, actual))
        .collect(),
        ActionGrouping::Lever => sums::<Lever, _>(
            scope,
            plan_ids,
            Expr::col((action::Entity, action::Column::Lever)),
        )
        .await?
        .into_iter()
        .map(|(plan, lever, planned, actual)| (plan, GroupKey::Lever(lever), planned, actual))
        .collect(),
    };
    for (plan, key, planned_micros, actual_micros) in rows {
        grouped.entry(plan).or_default().push(GroupSum {
            key,
            planned_micros,
            actual_micros,
        });
    }
    Ok(grouped)
}
