//! KPI series: measurements aggregated by the database per period bucket and dimension group,
//! one grouped statement per KPI, on SQLite and PostgreSQL alike.
//!
//! Values are integer micros throughout, so every sum is exact, beyond 64 bits too (see
//! [`crate::store::sum`]: each sum is read as two columns, and recombined). A bucket is computed in SQL as
//! the first day of its period, written `YYYY-MM-DD` on both backends (dates are `YYYY-MM-DD`
//! text on SQLite, `DATE` on PostgreSQL). The statements are written by hand (window functions
//! and `CASE` sums) with every value bound; only fixed fragments of this file are pasted.

mod clauses;
mod sql;

use chrono::NaiveDate;
use entity::enums::{Lever, TimeGrain};
use sea_orm::{ConnectionTrait, QueryResult};
use uuid::Uuid;

use crate::store::{Scoped, StoreError, StoreResult, sum};

use clauses::{dimension_list, push_filter, push_group_and_limit};
pub(in crate::store) use sql::{Sql, bucket_start};

/// A column measurements can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    /// The campaign measured.
    Campaign,
    /// The lever measured.
    Lever,
    /// The persona measured.
    Persona,
    /// The action measured.
    Action,
}

impl Dimension {
    /// Every dimension, in the order results and exports list them.
    pub const ALL: [Self; 4] = [Self::Campaign, Self::Lever, Self::Persona, Self::Action];

    fn column(self) -> &'static str {
        match self {
            Self::Campaign => "\"campaign_id\"",
            Self::Lever => "\"lever\"",
            Self::Persona => "\"persona_id\"",
            Self::Action => "\"action_id\"",
        }
    }
}

/// Which measurements a series reads (the tenant is the scope's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesFilter {
    /// First date, inclusive.
    pub from: NaiveDate,
    /// Last date, inclusive.
    pub to: NaiveDate,
    /// Only measurements of this plan.
    pub plan_id: Option<Uuid>,
    /// Only measurements of these campaigns (no restriction when empty).
    pub campaign_ids: Vec<Uuid>,
    /// Only measurements of these levers (no restriction when empty).
    pub levers: Vec<Lever>,
    /// Only measurements of these personas (no restriction when empty).
    pub persona_ids: Vec<Uuid>,
}

/// How the measurements of a KPI combine within a bucket and group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Aggregate {
    /// The sum of the KPI's values.
    Sum(String),
    /// The values measured on the latest date of the bucket, summed across that date's rows.
    Last(String),
    /// The largest value measured exactly at the asked grain and dimension set.
    NonAdditive(String),
    /// The sums of a numerator KPI and of a denominator KPI.
    Ratio {
        /// Numerator KPI key.
        numerator: String,
        /// Denominator KPI key.
        denominator: String,
    },
}

/// The group a cell belongs to: its bucket and the values of the grouped dimensions (`None`
/// for a dimension not grouped by, or for rows without that link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellKey {
    /// First day of the bucket.
    pub period_start: NaiveDate,
    /// The campaign.
    pub campaign_id: Option<Uuid>,
    /// The lever.
    pub lever: Option<Lever>,
    /// The persona.
    pub persona_id: Option<Uuid>,
    /// The action.
    pub action_id: Option<Uuid>,
}

/// What the database computed for one cell, in micros (a sum may exceed 64 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellValue {
    /// The aggregated value of a base KPI.
    Micros(i128),
    /// The sums of a ratio's components; `None` where the group has no row of that component.
    Components {
        /// Σ numerator.
        numerator: Option<i128>,
        /// Σ denominator.
        denominator: Option<i128>,
    },
}

/// One aggregated cell of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// Bucket and group.
    pub key: CellKey,
    /// The value.
    pub value: CellValue,
}

/// Where a series reads its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The raw measurements (`measurements`): one row per measurement.
    Measurements,
    /// The daily rollups (`measurement_rollups`): per tenant, KPI, date, plan, campaign,
    /// action, lever and persona, the rows' count and exact sum, kept by triggers in the
    /// transaction of every write (see migration `m20261206_000019`).
    Rollups,
}

impl Source {
    /// Where `aggregate` is read from: sums, ratios of sums and snapshots (`Last`, the rows of
    /// the latest date summed) only need each day's sums per group, which the rollups hold;
    /// non-additive values are read from the raw rows (their grain and exact dimension set
    /// matter, and no two of them are ever combined).
    pub fn of(aggregate: &Aggregate) -> Self {
        match aggregate {
            Aggregate::NonAdditive(_) => Self::Measurements,
            _ => Self::Rollups,
        }
    }

    fn table(self) -> &'static str {
        match self {
            Self::Measurements => "\"measurements\"",
            Self::Rollups => "\"measurement_rollups\"",
        }
    }

    /// The value columns a row carries (what the inner query of a snapshot passes on).
    fn value_columns(self) -> &'static str {
        match self {
            Self::Measurements => "\"value_micros\"",
            Self::Rollups => "\"value_high\", \"value_low\"",
        }
    }

    /// Appends the two columns of the exact sum (see [`crate::store::sum`]) of the values of
    /// the rows of `kpi` (of every row when `None`; a row of another KPI adds NULL). Raw rows
    /// are split by the database; rollups are stored split, and their halves summed as they are.
    fn push_sum(self, sql: &mut Sql, kpi: Option<&str>) {
        fn of_kpi(sql: &mut Sql, kpi: Option<&str>, column: &str) {
            match kpi {
                None => {
                    sql.push(column);
                }
                Some(key) => {
                    sql.push("CASE WHEN \"kpi_key\" = ")
                        .bind(key.to_owned())
                        .push(" THEN ")
                        .push(column)
                        .push(" END");
                }
            }
        }
        match self {
            Self::Measurements => {
                sql.push_split_sum(|sql| of_kpi(sql, kpi, "\"value_micros\""));
            }
            Self::Rollups => {
                sql.push("CAST(SUM(");
                of_kpi(sql, kpi, "\"value_high\"");
                sql.push(") AS BIGINT), CAST(SUM(");
                of_kpi(sql, kpi, "\"value_low\"");
                sql.push(") AS BIGINT)");
            }
        }
    }
}

/// The cells of one KPI over `filter`, by bucket of `grain` and by `dimensions` (deduplicated,
/// any order), in one statement; at most `limit` cells, in no particular order. Only buckets
/// and groups that have measurements are returned. Read from [`Source::of`] the aggregate:
/// the rollups, or for `NonAdditive` the raw rows.
///
/// - `Sum`: Σ value.
/// - `Last`: within each bucket and group, the rows of the latest date, summed (two accounts
///   measured that day add up; days never do).
/// - `NonAdditive`: only rows reported at `grain` and at exactly the grouped dimensions (every
///   grouped column set, every other column NULL), never combined: the largest value when
///   several sources reported one.
/// - `Ratio`: Σ numerator and Σ denominator, side by side.
pub async fn cells<C: ConnectionTrait>(
    scope: &Scoped<C>,
    aggregate: &Aggregate,
    grain: TimeGrain,
    dimensions: &[Dimension],
    filter: &SeriesFilter,
    limit: u64,
) -> StoreResult<Vec<Cell>> {
    let dimensions: Vec<Dimension> = Dimension::ALL
        .into_iter()
        .filter(|dimension| dimensions.contains(dimension))
        .collect();
    let source = Source::of(aggregate);
    let table = source.table();
    let backend = scope.connection().get_database_backend();
    let bucket = bucket_start(backend, grain, "\"date\"");
    let grouped = dimension_list(&dimensions);
    let mut sql = Sql::new(backend);
    match aggregate {
        Aggregate::Sum(key) => {
            sql.push(&format!("SELECT {bucket} AS \"bucket\"{grouped}, "));
            source.push_sum(&mut sql, None);
            push_filter(&mut sql, table, scope.tenant_id(), &[key], filter);
            push_group_and_limit(&mut sql, &dimensions, limit);
        }
        Aggregate::Ratio {
            numerator,
            denominator,
        } => {
            // Each component's value, or NULL on the other component's rows, summed exactly.
            sql.push(&format!("SELECT {bucket} AS \"bucket\"{grouped}, "));
            source.push_sum(&mut sql, Some(numerator));
            sql.push(", ");
            source.push_sum(&mut sql, Some(denominator));
            push_filter(
                &mut sql,
                table,
                scope.tenant_id(),
                &[numerator, denominator],
                filter,
            );
            push_group_and_limit(&mut sql, &dimensions, limit);
        }
        Aggregate::Last(key) => {
            let partition = format!("\"bucket\"{grouped}");
            let values = source.value_columns();
            sql.push(&format!("SELECT \"bucket\"{grouped}, "));
            source.push_sum(&mut sql, None);
            sql.push(&format!(
                " FROM (SELECT \"bucket\"{grouped}, \"date\", {values}, \
                 MAX(\"date\") OVER (PARTITION BY {partition}) AS \"last_date\" \
                 FROM (SELECT {bucket} AS \"bucket\"{grouped}, \"date\", {values}"
            ));
            push_filter(&mut sql, table, scope.tenant_id(), &[key], filter);
            sql.push(") AS \"in_range\") AS \"dated\" WHERE \"date\" = \"last_date\"");
            push_group_and_limit(&mut sql, &dimensions, limit);
        }
        Aggregate::NonAdditive(key) => {
            sql.push(&format!(
                "SELECT {bucket} AS \"bucket\"{grouped}, CAST(MAX(\"value_micros\") AS BIGINT) AS \"total\""
            ));
            push_filter(&mut sql, table, scope.tenant_id(), &[key], filter);
            sql.push(" AND \"grain\" = ")
                .bind(sea_orm::ActiveEnum::to_value(&grain));
            for dimension in Dimension::ALL {
                let test = if dimensions.contains(&dimension) {
                    " IS NOT NULL"
                } else {
                    " IS NULL"
                };
                sql.push(" AND ").push(dimension.column()).push(test);
            }
            push_group_and_limit(&mut sql, &dimensions, limit);
        }
    }
    let rows = scope.connection().query_all_raw(sql.statement()).await?;
    rows.iter()
        .map(|row| decode_cell(row, aggregate, &dimensions))
        .collect()
}

fn decode_cell(
    row: &QueryResult,
    aggregate: &Aggregate,
    dimensions: &[Dimension],
) -> StoreResult<Cell> {
    let bucket: String = row.try_get_by_index(0)?;
    let period_start = crate::iso_date::parse(&bucket).ok_or_else(|| {
        StoreError::Database(sea_orm::DbErr::Type(format!(
            "bucket `{bucket}` is not a date"
        )))
    })?;
    let mut key = CellKey {
        period_start,
        campaign_id: None,
        lever: None,
        persona_id: None,
        action_id: None,
    };
    for (offset, dimension) in dimensions.iter().enumerate() {
        let index = offset + 1;
        match dimension {
            Dimension::Campaign => key.campaign_id = row.try_get_by_index(index)?,
            Dimension::Lever => key.lever = row.try_get_by_index(index)?,
            Dimension::Persona => key.persona_id = row.try_get_by_index(index)?,
            Dimension::Action => key.action_id = row.try_get_by_index(index)?,
        }
    }
    let first_value = dimensions.len() + 1;
    let value = match aggregate {
        Aggregate::Ratio { .. } => CellValue::Components {
            numerator: sum::read(row, first_value)?,
            denominator: sum::read(row, first_value + 2)?,
        },
        Aggregate::NonAdditive(_) => {
            CellValue::Micros(row.try_get_by_index::<i64>(first_value)?.into())
        }
        // A bucket and group only exist with rows, whose sum is never NULL.
        _ => CellValue::Micros(sum::read(row, first_value)?.unwrap_or(0)),
    };
    Ok(Cell { key, value })
}
