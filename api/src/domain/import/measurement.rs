//! Measurement imports from the ad platforms' CSV reports (`platform.rs` says which columns
//! mean what): each row's impressions, clicks, spend and conversions become measurements of
//! the built-in KPIs for the day and the campaign of the plan it names, recorded through the
//! measurement batch ([`crate::domain::kpi::measurement::record_up_to`]): all or nothing, in
//! one transaction whatever the report's length, and idempotent.
//!
//! - Campaigns are mapped by external reference first: a campaign of the plan whose
//!   `external_source` is the platform's source (`google_ads`…, any case) and whose
//!   `external_id` is the row's `Campaign ID`; else by name within the plan (ignoring case and
//!   surrounding spaces). A row mapped to no campaign of the plan is a problem at its campaign
//!   cell.
//! - Rows of the same campaign and day (a report broken down by device or ad group) are
//!   summed, so that each (campaign, day, KPI) is one measurement.
//! - Each measurement's external id is `campaign:<Levier campaign id>:<day>:<kpi>` under the
//!   platform's source (`google_ads`, `meta_ads`, `linkedin_ads`): importing the same report
//!   again, or a later report covering the same days, updates those measurements instead of
//!   adding new ones.
//! - Spend is in the file's currency: the `currency` asked for, else the one Meta's header
//!   names (`Amount spent (USD)`), else the tenant's; another currency than the tenant's is
//!   converted as `recordMeasurements` converts it (README "Currencies").
//! - Title lines above the header (Google Ads writes the report's name and dates there) and
//!   total lines (`Total: …`) are skipped; `--` (no data) leaves that KPI out of the row;
//!   thousands separators (`1,234`) are allowed in numbers.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use entity::{enums::TimeGrain, plan};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use super::{
    Place, Problem, Problems,
    platform::{AdPlatform, header_currency, matches},
    table::{self, RawRow},
};
use crate::{
    auth::Permission,
    domain::{
        DomainError, DomainResult, FieldErrorCode, Session,
        kpi::measurement::{NewMeasurement, record_up_to},
        validation,
    },
    store,
};

/// The most measurements one report may make (one per campaign, day and KPI: a year of 25
/// campaigns is 36 500), written in one transaction; the upload's size limit bounds it too.
pub const MAX_IMPORT_MEASUREMENTS: usize = 50_000;

/// How far down a report its header row may be (below the title lines).
const HEADER_SEARCH_ROWS: usize = 10;

/// What a measurement import is asked for.
#[derive(Debug, Clone)]
pub struct MeasurementImportRequest {
    /// The platform the report comes from.
    pub platform: AdPlatform,
    /// The plan whose campaigns the report's campaigns are.
    pub plan_id: Uuid,
    /// The currency of the report's money columns (ISO 4217).
    pub currency: Option<String>,
    /// Check and map, but record nothing.
    pub dry_run: bool,
}

/// What a measurement import did, or would do.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeasurementImport {
    /// Every problem of the file; when there is one, nothing was recorded.
    pub problems: Vec<Problem>,
    /// Data rows read (title, header and total lines left out).
    pub rows: usize,
    /// Measurements the rows make (one per campaign, day and KPI).
    pub measurements: usize,
    /// Measurements recorded for the first time (0 on a dry run).
    pub inserted: usize,
    /// Measurements recorded again, replacing the value of an earlier import (0 on a dry run).
    pub updated: usize,
    /// The currency the money columns were read in; `None` is the tenant's.
    pub currency: Option<String>,
}

/// One measurement in the making, with where it comes from.
struct Pending {
    value: Decimal,
    place: Place,
    column: String,
    money: bool,
}

/// Reads, maps and (unless a dry run or a problem) records the report in `bytes`.
pub async fn import(
    session: &Session,
    bytes: &[u8],
    request: MeasurementImportRequest,
) -> DomainResult<MeasurementImport> {
    let scope = session.scope(Permission::WriteMeasurements)?;
    let plan = scope.get::<plan::Entity>(request.plan_id).await?;
    let plan_campaigns = store::campaign::of_plan(&scope, plan.id).await?;
    let campaigns: HashMap<String, Uuid> = plan_campaigns
        .iter()
        .map(|campaign| (campaign.name.trim().to_lowercase(), campaign.id))
        .collect();
    let source = request.platform.source();
    let by_reference: HashMap<&str, Uuid> = plan_campaigns
        .iter()
        .filter(|campaign| {
            campaign
                .external_source
                .as_deref()
                .is_some_and(|external| external.eq_ignore_ascii_case(source))
        })
        .filter_map(|campaign| Some((campaign.external_id.as_deref()?, campaign.id)))
        .collect();
    let mut problems = Problems::default();
    let mut outcome = MeasurementImport::default();
    let sheet = match table::read_csv(bytes) {
        Ok(sheet) => sheet,
        Err(message) => {
            problems.file(None, FieldErrorCode::Invalid, message);
            outcome.problems = problems.into_sorted();
            return Ok(outcome);
        }
    };
    let mapping = request.platform.mapping();
    let find = |row: &RawRow, names: &[&str]| {
        names
            .iter()
            .find_map(|name| row.cells.iter().position(|cell| matches(name, cell)))
    };
    let header = sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(index, row)| {
            Some((
                index,
                find(row, mapping.date)?,
                find(row, mapping.campaign)?,
            ))
        });
    let Some((header_index, date_column, campaign_column)) = header else {
        problems.file(
            None,
            FieldErrorCode::Invalid,
            format!(
                "no header row with a date column ({}) and a campaign column ({}) in the first {HEADER_SEARCH_ROWS} rows of this {} report",
                mapping.date.join(" or "),
                mapping.campaign.join(" or "),
                request.platform.name()
            ),
        );
        outcome.problems = problems.into_sorted();
        return Ok(outcome);
    };
    let header = &sheet.rows[header_index];
    let id_column = find(header, mapping.campaign_id);
    let kpi_columns: Vec<_> = mapping
        .kpis
        .iter()
        .filter_map(|kpi| Some((kpi, find(header, kpi.names)?)))
        .collect();
    if kpi_columns.is_empty() {
        problems.row(
            &Place {
                sheet: None,
                row: header.number,
            },
            FieldErrorCode::Required,
            "the header names none of the columns of impressions, clicks, spend or conversions",
        );
    }
    outcome.currency = request.currency.clone().or_else(|| {
        kpi_columns
            .iter()
            .find(|(kpi, _)| kpi.money)
            .and_then(|(_, index)| header_currency(header.at(*index)))
    });

    let mut pending: BTreeMap<(Uuid, NaiveDate, &'static str), Pending> = BTreeMap::new();
    for row in &sheet.rows[header_index + 1..] {
        let (date_text, campaign_text) = (row.at(date_column), row.at(campaign_column));
        if is_total(date_text)
            || is_total(campaign_text)
            || (campaign_text.is_empty() && row.cells.iter().any(|cell| is_total(cell)))
        {
            continue;
        }
        outcome.rows += 1;
        let place = Place {
            sheet: None,
            row: row.number,
        };
        let date = parse_report_date(date_text);
        if date.is_none() {
            problems.cell(
                &place,
                header.at(date_column),
                if date_text.is_empty() {
                    FieldErrorCode::Required
                } else {
                    FieldErrorCode::Invalid
                },
                format!("{date_text:?} is not a date (2027-03-01 or 3/1/2027)"),
            );
        }
        let campaign = id_column
            .and_then(|index| by_reference.get(row.at(index)).copied())
            .or_else(|| campaigns.get(&campaign_text.to_lowercase()).copied());
        if campaign.is_none() {
            problems.cell(
                &place,
                header.at(campaign_column),
                FieldErrorCode::NotFound,
                format!(
                    "no campaign of the plan {:?} is named {campaign_text:?}",
                    plan.name
                ),
            );
        }
        for (kpi, index) in &kpi_columns {
            let text = row.at(*index);
            let Some(value) = parse_report_number(text) else {
                problems.cell(
                    &place,
                    header.at(*index),
                    FieldErrorCode::Invalid,
                    format!("{text:?} is not a number"),
                );
                continue;
            };
            let (Some(value), Some(date), Some(campaign)) = (value, date, campaign) else {
                continue;
            };
            pending
                .entry((campaign, date, kpi.kpi_key))
                .and_modify(|sum| sum.value += value)
                .or_insert(Pending {
                    value,
                    place: place.clone(),
                    column: header.at(*index).to_owned(),
                    money: kpi.money,
                });
        }
    }
    outcome.measurements = pending.len();
    if pending.len() > MAX_IMPORT_MEASUREMENTS {
        problems.file(
            None,
            FieldErrorCode::OutOfRange,
            format!(
                "one import records at most {MAX_IMPORT_MEASUREMENTS} measurements (one per campaign, day and KPI); this report makes {}: split it by date",
                pending.len()
            ),
        );
    }
    if !problems.is_empty() || request.dry_run {
        outcome.problems = problems.into_sorted();
        return Ok(outcome);
    }

    let (rows, places): (Vec<NewMeasurement>, Vec<(Place, String)>) = pending
        .into_iter()
        .map(|((campaign_id, date, kpi_key), pending)| {
            (
                NewMeasurement {
                    kpi_key: kpi_key.to_owned(),
                    date,
                    grain: TimeGrain::Day,
                    value: pending.value,
                    source: source.to_owned(),
                    external_id: Some(format!("campaign:{campaign_id}:{date}:{kpi_key}")),
                    campaign_id: Some(campaign_id),
                    action_id: None,
                    lever: Some(request.platform.lever()),
                    persona_id: None,
                    currency: outcome.currency.clone().filter(|_| pending.money),
                },
                (pending.place, pending.column),
            )
        })
        .unzip();
    match record_up_to(session, rows, MAX_IMPORT_MEASUREMENTS).await {
        Ok(recorded) => {
            outcome.inserted = recorded.inserted;
            outcome.updated = recorded.updated;
        }
        Err(DomainError::Invalid(errors)) => {
            for error in errors {
                let index = error
                    .field
                    .get(2)
                    .and_then(|index| index.parse::<usize>().ok());
                match index.and_then(|index| places.get(index)) {
                    Some((place, column)) => {
                        let column = match error.field.get(3).map(String::as_str) {
                            Some("value") => column.clone(),
                            Some("currency") => "currency".to_owned(),
                            Some(other) => other.to_owned(),
                            None => column.clone(),
                        };
                        problems.cell(place, &column, error.code, error.message);
                    }
                    None => problems.file(None, error.code, error.message),
                }
            }
        }
        Err(other) => return Err(other),
    }
    outcome.problems = problems.into_sorted();
    Ok(outcome)
}

/// Whether a cell starts a total line (`Total`, `Total: Account`, `Totals`).
fn is_total(cell: &str) -> bool {
    cell.get(..5)
        .is_some_and(|start| start.eq_ignore_ascii_case("total"))
}

/// A report's date: ISO (`2027-03-01`), `2027/03/01`, or the US order LinkedIn and Meta use in
/// English (`3/1/2027`); a time after the date is ignored.
pub fn parse_report_date(text: &str) -> Option<NaiveDate> {
    let day = text.split([' ', 'T']).next().unwrap_or_default();
    validation::parse_date(day)
        .or_else(|| NaiveDate::parse_from_str(day, "%Y/%m/%d").ok())
        .or_else(|| NaiveDate::parse_from_str(day, "%m/%d/%Y").ok())
        .filter(|date| validation::is_supported_date(*date))
}

/// A report's number: `Ok(None)` for an empty cell or `--` (no data), thousands separators
/// and spaces ignored; `None` when it is not a number.
pub fn parse_report_number(text: &str) -> Option<Option<Decimal>> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if cleaned.is_empty() || cleaned == "--" {
        return Some(None);
    }
    cleaned.parse::<Decimal>().ok().map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_dates_and_numbers_read_as_the_platforms_write_them() {
        let expected = NaiveDate::from_ymd_opt(2027, 3, 1);
        assert_eq!(parse_report_date("2027-03-01"), expected);
        assert_eq!(parse_report_date("3/1/2027"), expected);
        assert_eq!(parse_report_date("2027/03/01"), expected);
        assert_eq!(parse_report_date("2027-03-01 00:00:00"), expected);
        assert_eq!(parse_report_date("March"), None);
        assert_eq!(
            parse_report_number("1,234.50"),
            Some(Some(Decimal::new(123_450, 2)))
        );
        assert_eq!(parse_report_number("--"), Some(None));
        assert_eq!(parse_report_number(""), Some(None));
        assert_eq!(parse_report_number("12abc"), None);
        assert!(is_total("Total: Account"));
        assert!(!is_total("Tot"));
    }
}
