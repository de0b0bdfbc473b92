//! KPI series for BI: any KPI, base or derived, between two dates, by day, week, month, quarter
//! or year, grouped by campaign, lever, persona or action, computed by the database.
//!
//! How values combine, per the KPI's aggregation rule (the grouping is always done in SQL, see
//! `store::kpi::series`):
//! - `SUM` (impressions, spend…): the sum of the values in the bucket and group, whatever the
//!   grain they were reported at (a monthly total lands on the month's first day).
//! - `RATIO` (ctr, cpm, roi…): `scale × Σnumerator / Σdenominator + offset`, from the components
//!   summed in the bucket and group, never an average of ratios; exact decimal arithmetic,
//!   rounded once at the end to 12 decimal places ([`crate::domain::ratio`]). No denominator row, or a zero sum, gives null. A group with denominator rows but
//!   no numerator row has a numerator of 0 (nothing was counted). Components are summed whatever
//!   their own rule.
//! - `LAST` (subscribers, followers): the values of the latest date that has measurements in the
//!   bucket and group, summed across that date's rows (two accounts), never across days.
//! - `NON_ADDITIVE` (reach, unique users): only values reported at the asked grain and at exactly
//!   the grouped dimensions (every grouped link set, every other link empty) count: a reach
//!   measured per campaign never makes a total, daily reach never makes a monthly one. When
//!   several sources reported one, the largest is taken.
//!
//! Only buckets and groups that have measurements appear: there is no gap filling, a client
//! fills the periods it wants to show. Points are ordered by KPI (in the order asked), period,
//! then campaign, lever, persona and action (rows without a link first; ids in creation order,
//! levers in the order of the `Lever` enum).

mod formula;

use chrono::NaiveDate;
use entity::enums::{Lever, TimeGrain};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::domain::{DomainError, DomainResult, FieldErrorCode, Session, validation::Violations};
use crate::{
    auth::Permission,
    store::{self, kpi::series::SeriesFilter},
};

pub use formula::{Formula, ratio_value};
pub use store::kpi::series::{CellKey, Dimension};

/// Most KPIs one series request may ask for.
pub const MAX_KPIS: usize = 20;

/// Most points one series request may return.
pub const MAX_POINTS: usize = 10_000;

/// What a series is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesRequest {
    /// The KPIs, in the order the points are wanted.
    pub kpi_keys: Vec<String>,
    /// First date, inclusive.
    pub from: NaiveDate,
    /// Last date, inclusive.
    pub to: NaiveDate,
    /// The bucket size.
    pub grain: TimeGrain,
    /// The dimensions to group by (any order, repeats ignored).
    pub group_by: Vec<Dimension>,
    /// Only measurements of this plan.
    pub plan_id: Option<Uuid>,
    /// Only measurements of these campaigns (all when empty).
    pub campaign_ids: Vec<Uuid>,
    /// Only measurements of these levers (all when empty).
    pub levers: Vec<Lever>,
    /// Only measurements of these personas (all when empty).
    pub persona_ids: Vec<Uuid>,
}

/// One value of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    /// The KPI.
    pub kpi_key: String,
    /// Bucket and group.
    pub key: CellKey,
    /// The value; `None` where a ratio has no denominator.
    pub value: Option<Decimal>,
}

/// The definitions of `keys`, in that order, with the index of each unknown key reported.
async fn formulas(
    session: &Session,
    violations: &mut Violations,
    keys: &[String],
) -> DomainResult<Vec<(String, Formula)>> {
    let scope = session.scope(Permission::ReadKpis)?;
    let definitions = store::kpi::catalogue::by_keys(&scope, keys).await?;
    let mut formulas = Vec::with_capacity(keys.len());
    for (index, key) in keys.iter().enumerate() {
        let position = index.to_string();
        match definitions.iter().find(|definition| &definition.key == key) {
            None => violations.add(
                &["kpiKeys", &position],
                FieldErrorCode::NotFound,
                format!("no KPI has the key `{key}`"),
            ),
            Some(definition) => match Formula::of(definition) {
                Ok(formula) => formulas.push((key.clone(), formula)),
                Err(problem) => {
                    violations.add(&["kpiKeys", &position], FieldErrorCode::Invalid, problem)
                }
            },
        }
    }
    Ok(formulas)
}

/// Whether the session may read series (viewers, API keys with READ_KPIS).
pub fn authorize(session: &Session) -> DomainResult<()> {
    session.scope(Permission::ReadKpis)?;
    Ok(())
}

/// The series asked for, in one catalogue read and one grouped statement per KPI.
pub async fn series(session: &Session, request: SeriesRequest) -> DomainResult<Vec<Point>> {
    let scope = session.scope(Permission::ReadKpis)?;
    let mut v = Violations::new();
    let mut keys: Vec<String> = Vec::with_capacity(request.kpi_keys.len());
    // A key no column can hold (a NUL, too long) is malformed: refused before any lookup.
    let mut malformed = false;
    for (index, key) in request.kpi_keys.iter().enumerate() {
        let at = index.to_string();
        malformed |= !v.check_text(
            &["kpiKeys", &at],
            key,
            crate::domain::kpi::measurement::MAX_KPI_KEY_CHARS,
        );
    }
    for key in &request.kpi_keys {
        if !keys.contains(key) {
            keys.push(key.clone());
        }
    }
    if keys.is_empty() {
        v.add(
            &["kpiKeys"],
            FieldErrorCode::Required,
            "ask for at least one KPI",
        );
    } else if keys.len() > MAX_KPIS {
        v.add(
            &["kpiKeys"],
            FieldErrorCode::OutOfRange,
            format!("ask for at most {MAX_KPIS} KPIs at once"),
        );
    }
    if request.from > request.to {
        v.add(
            &["to"],
            FieldErrorCode::DateOrder,
            "`to` comes before `from`",
        );
    }
    let formulas = if malformed || v.has(&["kpiKeys"]) {
        Vec::new()
    } else {
        formulas(session, &mut v, &keys).await?
    };
    v.finish()?;

    let filter = SeriesFilter {
        from: request.from,
        to: request.to,
        plan_id: request.plan_id,
        campaign_ids: request.campaign_ids,
        levers: request.levers,
        persona_ids: request.persona_ids,
    };
    let mut points = Vec::new();
    for (key, formula) in formulas {
        // One more than what is left tells whether the bound is crossed, cheaply.
        let left = MAX_POINTS - points.len();
        let mut cells = store::kpi::series::cells(
            &scope,
            &formula.aggregate(),
            request.grain,
            &request.group_by,
            &filter,
            left as u64 + 1,
        )
        .await?;
        if cells.len() > left {
            let mut too_many = Violations::new();
            too_many.add(
                &[],
                FieldErrorCode::OutOfRange,
                format!(
                    "the series would return more than {MAX_POINTS} points; narrow the dates, \
                     use a coarser grain or fewer dimensions"
                ),
            );
            too_many.finish()?;
        }
        cells.sort_by_key(|cell| cell.key);
        for cell in cells {
            let value = formula.value(cell.value).map_err(|_| {
                let mut beyond = Violations::new();
                beyond.add(
                    &[],
                    FieldErrorCode::OutOfRange,
                    format!(
                        "the value of `{key}` for the period starting {} leaves the range of \
                         an exact decimal (28 significant digits); narrow the request",
                        cell.key.period_start
                    ),
                );
                beyond.finish().err().unwrap_or(DomainError::NotFound)
            })?;
            points.push(Point {
                kpi_key: key.clone(),
                key: cell.key,
                value,
            });
        }
    }
    Ok(points)
}

#[cfg(test)]
mod tests;
