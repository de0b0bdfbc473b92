//! The measurements behind objectives' current values: for each objective, its KPI's
//! measurements dated from its plan's start to its deadline that belong to its plan or to no
//! plan, aggregated by the database for all the objectives of a request at once.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::store::{Scoped, StoreResult, kpi::series::Sql, sum};

/// `FROM objectives JOIN plans JOIN measurements … WHERE tenant AND id IN (…)`: the objective
/// windows' measurements. `own_key` restricts them to the objective's own KPI.
fn push_windows(sql: &mut Sql, tenant_id: Uuid, objective_ids: &[Uuid], own_key: bool) {
    sql.push(
        " FROM \"objectives\" AS o \
         JOIN \"plans\" AS p ON p.\"tenant_id\" = o.\"tenant_id\" AND p.\"id\" = o.\"plan_id\" \
         JOIN \"measurements\" AS m ON m.\"tenant_id\" = o.\"tenant_id\" \
         AND (m.\"plan_id\" = o.\"plan_id\" OR m.\"plan_id\" IS NULL) \
         AND m.\"date\" >= p.\"period_start\" AND m.\"date\" <= o.\"deadline\"",
    );
    if own_key {
        sql.push(" AND m.\"kpi_key\" = o.\"kpi_key\"");
    }
    sql.push(" WHERE o.\"tenant_id\" = ")
        .bind(tenant_id)
        .push(" AND o.\"id\" IN ")
        .bind_list(objective_ids.iter().copied());
}

/// Σ value micros per (objective, KPI key) over each objective's window, for the KPIs `keys`
/// (an objective's own KPI or its ratio's components), in one statement; exact beyond 64 bits
/// (see [`crate::store::sum`]). Pairs without measurements are absent.
pub async fn sums<C: ConnectionTrait>(
    scope: &Scoped<C>,
    objective_ids: &[Uuid],
    keys: &[String],
) -> StoreResult<HashMap<(Uuid, String), i128>> {
    if objective_ids.is_empty() || keys.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new(scope.connection().get_database_backend());
    sql.push("SELECT o.\"id\", m.\"kpi_key\", ")
        .push_split_sum(|sql| {
            sql.push("m.\"value_micros\"");
        });
    push_windows(&mut sql, scope.tenant_id(), objective_ids, false);
    sql.push(" AND m.\"kpi_key\" IN ")
        .bind_list(keys.iter().cloned())
        .push(" GROUP BY o.\"id\", m.\"kpi_key\"");
    let rows = scope.connection().query_all_raw(sql.statement()).await?;
    rows.iter()
        .map(|row| {
            Ok((
                (row.try_get_by_index(0)?, row.try_get_by_index(1)?),
                // A pair only exists with measurements, whose sum is never NULL.
                sum::read(row, 2)?.unwrap_or(0),
            ))
        })
        .collect()
}

/// The measurements of an objective's KPI on the latest date of its window that has any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latest {
    /// Their sum, in micros (exact beyond 64 bits).
    pub sum_micros: i128,
    /// The largest of them, in micros.
    pub max_micros: i64,
}

/// For each objective, its own KPI's measurements on the latest date of its window, in one
/// statement; objectives without measurements are absent.
pub async fn latest<C: ConnectionTrait>(
    scope: &Scoped<C>,
    objective_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Latest>> {
    if objective_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new(scope.connection().get_database_backend());
    sql.push("SELECT \"objective_id\", ")
        .push_split_sum(|sql| {
            sql.push("\"value\"");
        })
        .push(
            ", CAST(MAX(\"value\") AS BIGINT) \
         FROM (SELECT o.\"id\" AS \"objective_id\", m.\"date\" AS \"date\", \
         m.\"value_micros\" AS \"value\", \
         MAX(m.\"date\") OVER (PARTITION BY o.\"id\") AS \"last_date\"",
        );
    push_windows(&mut sql, scope.tenant_id(), objective_ids, true);
    sql.push(") AS \"dated\" WHERE \"date\" = \"last_date\" GROUP BY \"objective_id\"");
    let rows = scope.connection().query_all_raw(sql.statement()).await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get_by_index(0)?,
                Latest {
                    sum_micros: sum::read(row, 1)?.unwrap_or(0),
                    max_micros: row.try_get_by_index(3)?,
                },
            ))
        })
        .collect()
}
