//! Budget totals of plans, summed by the database over integer micros (exact on SQLite and
//! PostgreSQL alike: no float ever takes part, and sums beyond 64 bits stay exact, see
//! [`crate::store::sum`]).

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{TenantOwned, campaign, lever_allocation};
use sea_orm::{
    ColumnTrait, ConnectionTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, Func},
};
use uuid::Uuid;

use crate::store::{Scoped, StoreResult, sum};

/// The sums that a plan's budget is checked against, in micros of the plan's currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BudgetTotals {
    /// Sum of the plan's lever allocations.
    pub allocated_micros: i128,
    /// Sum of the plan's campaign budgets.
    pub campaigns_micros: i128,
}

/// `SUM(amount)` per plan, exact beyond 64 bits (two split sums, see [`crate::store::sum`]).
async fn sum_by_plan<E, C>(
    scope: &Scoped<C>,
    plan_column: E::Column,
    amount_column: E::Column,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, i128>>
where
    E: TenantOwned,
    C: ConnectionTrait,
{
    let (high, low) = sum::split_sum_exprs(Expr::col(amount_column));
    let rows: Vec<(Uuid, Option<i64>, Option<i64>)> = scope
        .select::<E>()
        .select_only()
        .column(plan_column)
        .column_as(high, "total_high")
        .column_as(low, "total_low")
        .filter(scope.one_of(plan_column, plan_ids.iter().copied()))
        .group_by(plan_column)
        .into_tuple()
        .all(scope.connection())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(plan, high, low)| (plan, sum::combine(high, low).unwrap_or(0)))
        .collect())
}

/// The allocation and campaign totals of each plan, in two statements whatever the number of
/// plans; plans without allocations or campaigns total 0.
pub async fn totals_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, BudgetTotals>> {
    if plan_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let allocated = sum_by_plan::<lever_allocation::Entity, _>(
        scope,
        lever_allocation::Column::PlanId,
        lever_allocation::Column::BudgetMicros,
        plan_ids,
    )
    .await?;
    let campaigns = sum_by_plan::<campaign::Entity, _>(
        scope,
        campaign::Column::PlanId,
        campaign::Column::BudgetMicros,
        plan_ids,
    )
    .await?;
    Ok(plan_ids
        .iter()
        .map(|id| {
            (
                *id,
                BudgetTotals {
                    allocated_micros: allocated.get(id).copied().unwrap_or(0),
                    campaigns_micros: campaigns.get(id).copied().unwrap_or(0),
                },
            )
        })
        .collect())
}

/// The KPI whose measurements are a plan's measured spend.
pub const SPEND_KPI: &str = "spend";

/// The spend measured for a plan in one original currency at one rate (or recorded in the
/// reporting currency, without a rate), summed by the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendGroup {
    /// The currency the values were sent in; `None` for values recorded in the reporting
    /// currency.
    pub original_currency: Option<String>,
    /// The rate they were converted with (an exact decimal string), with its day.
    pub rate: Option<(String, NaiveDate)>,
    /// The sum of the stored (converted) values, in micros of the reporting currency.
    pub converted_micros: i128,
    /// The sum of the values as sent, in micros of `original_currency` (0 without one).
    pub original_micros: i128,
    /// How many measurements.
    pub measurements: i64,
}

/// The measured spend of each plan (measurements of [`SPEND_KPI`] tied to the plan through
/// their campaign or action), grouped by original currency and rate, in one statement whatever
/// the number of plans; a plan without spend has no group.
pub async fn spend_by_plan<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<SpendGroup>>> {
    use entity::measurement::{Column, Entity};
    let mut grouped: HashMap<Uuid, Vec<SpendGroup>> =
        plan_ids.iter().map(|id| (*id, Vec::new())).collect();
    if plan_ids.is_empty() {
        return Ok(grouped);
    }
    let (value_high, value_low) = sum::split_sum_exprs(Expr::col(Column::ValueMicros));
    let (original_high, original_low) =
        sum::split_sum_exprs(Expr::col(Column::OriginalValueMicros));
    type Row = (
        Uuid,
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        i64,
    );
    let rows: Vec<Row> = scope
        .select::<Entity>()
        .select_only()
        .column(Column::PlanId)
        .column(Column::OriginalCurrency)
        .column(Column::ExchangeRate)
        .column(Column::RateDate)
        .column_as(value_high, "value_high")
        .column_as(value_low, "value_low")
        .column_as(original_high, "original_high")
        .column_as(original_low, "original_low")
        .column_as(
            Expr::from(Func::count(Expr::col(Column::Id))),
            "measurements",
        )
        .filter(Column::KpiKey.eq(SPEND_KPI))
        .filter(Column::PlanId.is_in(plan_ids.iter().copied()))
        .group_by(Column::PlanId)
        .group_by(Column::OriginalCurrency)
        .group_by(Column::ExchangeRate)
        .group_by(Column::RateDate)
        .into_tuple()
        .all(scope.connection())
        .await?;
    for (plan, currency, rate, rate_date, vh, vl, oh, ol, measurements) in rows {
        grouped.entry(plan).or_default().push(SpendGroup {
            original_currency: currency,
            rate: rate.zip(rate_date),
            converted_micros: sum::combine(vh, vl).unwrap_or(0),
            original_micros: sum::combine(oh, ol).unwrap_or(0),
            measurements,
        });
    }
    Ok(grouped)
}
