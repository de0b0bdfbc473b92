//! Recording measurements: batches of KPI values from ingestion jobs and people, all-or-nothing
//! and idempotent on (source, external id).
//!
//! Each row is checked in `checks.rs`, against the KPIs, campaigns, actions and personas the
//! batch refers to, loaded once for the whole batch. A value of money sent in another currency
//! than the tenant's is converted in `convert.rs`, with the rates loaded once for the batch.

mod checks;
mod convert;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};
use entity::{
    enums::{Lever, TimeGrain},
    measurement,
};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::domain::{
    DomainResult, FieldErrorCode, Session,
    validation::{self, Violations},
};
use crate::{auth::Permission, store};
use checks::{check_row, load_references};

/// Most rows accepted in one call.
pub const MAX_BATCH_ROWS: usize = 1000;

/// Longest KPI key (the length of every `kpi_key` column).
pub const MAX_KPI_KEY_CHARS: usize = 64;

/// One value to record.
#[derive(Debug, Clone)]
pub struct NewMeasurement {
    /// Key of a base KPI.
    pub kpi_key: String,
    /// First day of the period measured.
    pub date: NaiveDate,
    /// The period the value covers.
    pub grain: TimeGrain,
    /// The value, in the KPI's unit.
    pub value: Decimal,
    /// Where it comes from.
    pub source: String,
    /// The source's own key, for idempotent re-sends.
    pub external_id: Option<String>,
    /// Campaign measured.
    pub campaign_id: Option<Uuid>,
    /// Action measured.
    pub action_id: Option<Uuid>,
    /// Lever measured.
    pub lever: Option<Lever>,
    /// Persona measured.
    pub persona_id: Option<Uuid>,
    /// The currency of `value` (ISO 4217), for a KPI of unit CURRENCY; `None` is the tenant's
    /// reporting currency. Another currency is converted into the tenant's before it is stored.
    pub currency: Option<String>,
}

/// What a batch did.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    /// Rows that were new.
    pub inserted: usize,
    /// Rows that replaced a row with the same (source, external id).
    pub updated: usize,
    /// Every row as stored, in input order, with whether it was new.
    pub rows: Vec<(measurement::Model, bool)>,
}

/// Whether `date` is the first day of a `grain` period (ISO weeks start on Monday).
pub fn starts_period(date: NaiveDate, grain: TimeGrain) -> bool {
    match grain {
        TimeGrain::Day => true,
        TimeGrain::Week => date.weekday() == chrono::Weekday::Mon,
        TimeGrain::Month => date.day() == 1,
        TimeGrain::Quarter => date.day() == 1 && date.month0().is_multiple_of(3),
        TimeGrain::Year => date.ordinal() == 1,
    }
}

/// Records a batch: every row or none. A row whose (source, external id) was recorded before
/// replaces it and counts as updated; a row without an external id is always a new row.
pub async fn record(session: &Session, rows: Vec<NewMeasurement>) -> DomainResult<Recorded> {
    record_up_to(session, rows, MAX_BATCH_ROWS).await
}

/// [`record`] with another bound on the batch's rows: an imported report is written whole, in
/// one transaction, up to the import's own bound (its file's size bounds it too).
pub async fn record_up_to(
    session: &Session,
    rows: Vec<NewMeasurement>,
    max_rows: usize,
) -> DomainResult<Recorded> {
    let scope = session.scope(Permission::WriteMeasurements)?;
    if rows.len() > max_rows {
        let mut v = Violations::new();
        v.add(
            &["measurements"],
            FieldErrorCode::OutOfRange,
            format!(
                "send at most {max_rows} measurements per call ({} were sent)",
                rows.len()
            ),
        );
        v.finish()?;
    }
    if rows.is_empty() {
        return Ok(Recorded::default());
    }

    let tx = scope.begin().await?;
    let mut v = Violations::new();
    let references = load_references(&tx, &rows).await?;
    let mut checked = Vec::with_capacity(rows.len());
    let mut seen = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        let row_checked = check_row(&mut v, index, row, &references);
        if let Some(external_id) = &row_checked.external_id {
            let key = (row_checked.source.clone(), external_id.clone());
            if let Some(first) = seen.insert(key, index) {
                v.add_item(
                    "measurements",
                    index,
                    "externalId",
                    FieldErrorCode::Duplicate,
                    format!("row {first} of this batch has the same source and external id"),
                );
            }
        }
        checked.push(row_checked);
    }
    convert::apply(&tx, &mut v, &rows, &mut checked).await?;
    v.finish()?;

    let now = Utc::now();
    let mut models: Vec<measurement::Model> = rows
        .into_iter()
        .zip(checked)
        .map(|(row, checked)| measurement::Model {
            tenant_id: tx.tenant_id(),
            id: Uuid::now_v7(),
            kpi_key: checked.kpi_key,
            date: row.date,
            grain: row.grain,
            value_micros: checked.value_micros,
            source: checked.source,
            external_id: checked.external_id,
            plan_id: checked.plan_id,
            campaign_id: row.campaign_id,
            action_id: row.action_id,
            lever: row.lever,
            persona_id: row.persona_id,
            original_value_micros: checked.conversion.as_ref().map(|c| c.original_micros),
            original_currency: checked.conversion.as_ref().map(|c| c.currency.clone()),
            exchange_rate: checked.conversion.as_ref().map(|c| c.rate.clone()),
            rate_date: checked.conversion.as_ref().map(|c| c.rate_date),
            created_at: now,
            updated_at: now,
        })
        .collect();
    // A row recorded again keeps the id and creation time of the first recording.
    let inserted = store::kpi::measurement::write_batch(&tx, &mut models).await?;
    let inserted_count = inserted.iter().filter(|&&new| new).count();
    // The batch is one audit entry with its counts (its rows are not recorded one by one).
    tx.audit(vec![store::audit::Entry {
        action: store::audit::MEASUREMENTS_RECORDED.to_owned(),
        object_type: "MeasurementBatch".to_owned(),
        object_id: Uuid::now_v7(),
        plan_id: None,
        before: None,
        after: None,
        changed_fields: Vec::new(),
        details: Some(serde_json::json!({
            "inserted": inserted_count,
            "updated": inserted.len() - inserted_count,
        })),
    }])
    .await?;
    let recorded = Recorded {
        inserted: inserted_count,
        updated: inserted.len() - inserted_count,
        rows: models.into_iter().zip(inserted).collect(),
    };
    // Commits, and announces the rows to live subscribers if (and only if) the commit succeeds.
    session
        .events()
        .commit_measurements(tx, &recorded.rows)
        .await?;
    Ok(recorded)
}

/// One page of the tenant's measurements matching `filter`, in recording order, with the total.
pub async fn list(
    session: &Session,
    filter: &store::kpi::measurement::MeasurementFilter,
    request: &store::page::PageRequest,
) -> DomainResult<(store::page::Page<measurement::Model>, u64)> {
    let scope = session.scope(Permission::ReadKpis)?;
    validation::filter_texts("filter", &["kpiKeys"], &filter.kpi_keys)?;
    if let Some(source) = &filter.source {
        validation::filter_text("filter", &["source"], source)?;
    }
    Ok((
        store::kpi::measurement::list(&scope, filter, request).await?,
        store::kpi::measurement::count(&scope, filter).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn periods_start_where_the_calendar_says() {
        assert!(starts_period(date("2026-03-17"), TimeGrain::Day));
        // 2026-03-16 is a Monday.
        assert!(starts_period(date("2026-03-16"), TimeGrain::Week));
        assert!(!starts_period(date("2026-03-17"), TimeGrain::Week));
        assert!(starts_period(date("2026-03-01"), TimeGrain::Month));
        assert!(!starts_period(date("2026-03-02"), TimeGrain::Month));
        assert!(starts_period(date("2026-04-01"), TimeGrain::Quarter));
        assert!(!starts_period(date("2026-05-01"), TimeGrain::Quarter));
        assert!(starts_period(date("2026-01-01"), TimeGrain::Year));
        assert!(!starts_period(date("2026-02-01"), TimeGrain::Year));
    }
}
