//! Budget totals of plans, summed by the database over integer micros (exact on SQLite and
//! PostgreSQL alike: no float ever takes part, and sums beyond 64 bits stay exact, see
//! [`crate::store::sum`]).

use std::collections::HashMap;

use entity::{TenantOwned, campaign, lever_allocation};
use sea_orm::{ConnectionTrait, QueryFilter, QuerySelect, sea_query::Expr};
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
