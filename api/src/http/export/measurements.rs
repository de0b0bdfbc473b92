//! `GET /export/measurements.csv`: the caller's raw measurements as CSV, for BI tools.
//!
//! Query parameters, all optional, are the filters of `kpiSeries`: `kpis` (base KPI keys,
//! comma-separated; a derived or unknown key is refused with 400), `from` and `to` (ISO dates,
//! inclusive, compared with the first day of each measurement's period), `planId`,
//! `campaignIds`, `levers` (`SEO,SEA`) and `personaIds` (comma-separated global IDs). `grain` and
//! `groupBy` are accepted and ignored: the rows are the measurements as recorded, neither
//! bucketed nor grouped (that is `/export/kpi-series.csv`). An ID of the wrong type matches
//! nothing, as in the GraphQL filters.
//!
//! Answers 401 without a valid credential, 403 to a caller who may not read KPIs (an API key
//! without the READ_KPIS scope), 400 for a malformed or invalid filter. The rows are ordered by
//! date then id and read in keyset pages of 1000, each page written out before the next is
//! read: memory stays flat whatever the size of the export, and no database connection is held
//! between pages. A failure after the first rows were sent can no longer change the status: the
//! response is cut short (without its final chunk), which HTTP clients report as an error.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use entity::{enums::Lever, measurement};
use futures::StreamExt;
use sea_orm::ActiveEnum;
use serde::Deserialize;

use super::super::{credentials::required_session, error_response};
use crate::{
    domain::{self, kpi::export::MeasurementPages, money},
    error::ApiError,
    http::state::AppState,
    ids::{self, NodeType},
    store::kpi::export::MeasurementFilter,
};

/// The columns, in order.
const HEADER: [&str; 12] = [
    "date",
    "kpi_key",
    "value",
    "grain",
    "source",
    "external_id",
    "plan_id",
    "campaign_id",
    "action_id",
    "lever",
    "persona_id",
    "recorded_at",
];

/// The query parameters as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Params {
    kpis: Option<String>,
    from: Option<String>,
    to: Option<String>,
    plan_id: Option<String>,
    campaign_ids: Option<String>,
    levers: Option<String>,
    persona_ids: Option<String>,
    /// Only rows from this source.
    source: Option<String>,
    /// Accepted for symmetry with the series export; raw rows have no grain to choose.
    #[allow(dead_code)]
    grain: Option<String>,
    /// Accepted for symmetry with the series export; raw rows are not grouped.
    #[allow(dead_code)]
    group_by: Option<String>,
}

/// The non-empty items of a comma-separated list.
fn items(list: Option<&str>) -> impl Iterator<Item = &str> {
    list.into_iter()
        .flat_map(|list| list.split(','))
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

fn date(name: &str, value: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    match value.map(str::trim).filter(|value| !value.is_empty()) {
        None => Ok(None),
        Some(text) => domain::validation::parse_date(text)
            .map(Some)
            .ok_or_else(|| {
                ApiError::bad_input(format!(
                    "{name}: `{text}` is not a date; use YYYY-MM-DD, from 0001-01-01 to 9999-12-31"
                ))
            }),
    }
}

/// The filter the parameters describe.
fn filter_of(params: &Params) -> Result<MeasurementFilter, ApiError> {
    let levers = items(params.levers.as_deref())
        .map(|lever| {
            Lever::try_from_value(&lever.to_owned())
                .map_err(|_| ApiError::bad_input(format!("levers: `{lever}` is not a lever")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let links = |list: Option<&str>, node_type: NodeType| {
        items(list)
            .map(|id| ids::decode_link(&async_graphql::ID(id.to_owned()), node_type))
            .collect::<Vec<_>>()
    };
    Ok(MeasurementFilter {
        kpi_keys: items(params.kpis.as_deref()).map(str::to_owned).collect(),
        from: date("from", params.from.as_deref())?,
        to: date("to", params.to.as_deref())?,
        plan_id: params
            .plan_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(|id| ids::decode_link(&async_graphql::ID(id.to_owned()), NodeType::Plan)),
        campaign_ids: links(params.campaign_ids.as_deref(), NodeType::Campaign),
        levers,
        persona_ids: links(params.persona_ids.as_deref(), NodeType::Persona),
        source: params
            .source
            .as_deref()
            .map(str::trim)
            .filter(|source| !source.is_empty())
            .map(str::to_owned),
    })
}

/// The CSV of `rows` (with the header first when `header`).
fn csv_of(rows: &[measurement::Model], header: bool) -> Result<web::Bytes, std::io::Error> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(160 * (rows.len() + 1)));
    if header {
        writer.write_record(HEADER)?;
    }
    let global = |node_type, id: Option<uuid::Uuid>| {
        id.map(|id| ids::encode(node_type, id).0)
            .unwrap_or_default()
    };
    for row in rows {
        writer.write_record([
            row.date.format("%Y-%m-%d").to_string(),
            row.kpi_key.clone(),
            money::from_micros(row.value_micros).to_string(),
            row.grain.to_value(),
            row.source.clone(),
            row.external_id.clone().unwrap_or_default(),
            global(NodeType::Plan, row.plan_id),
            global(NodeType::Campaign, row.campaign_id),
            global(NodeType::Action, row.action_id),
            row.lever.map(|lever| lever.to_value()).unwrap_or_default(),
            global(NodeType::Persona, row.persona_id),
            // `recordedAt` as the API shows it: when the row was first recorded.
            row.created_at
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        ])?;
    }
    writer
        .into_inner()
        .map(web::Bytes::from)
        .map_err(|error| std::io::Error::other(error.to_string()))
}

/// An error answered before any row was sent.
fn refusal(error: ApiError) -> HttpResponse {
    error_response(&error)
}

/// The export.
#[tracing::instrument(skip_all)]
pub async fn export(state: web::Data<AppState>, request: HttpRequest) -> HttpResponse {
    let session = match required_session(&state, &request).await {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let params = match web::Query::<Params>::from_query(request.query_string()) {
        Ok(params) => params.into_inner(),
        Err(error) => {
            return refusal(ApiError::bad_input(format!(
                "malformed query parameters: {error}"
            )));
        }
    };
    let filter = match filter_of(&params) {
        Ok(filter) => filter,
        Err(error) => return refusal(error),
    };
    let mut pages = match domain::kpi::export::export(&session, filter).await {
        Ok(pages) => pages,
        Err(error) => return refusal(error.into()),
    };
    // The first page is read before answering, so that a failing database is still a 5xx.
    let first = match pages.next_page().await {
        Ok(rows) => rows.unwrap_or_default(),
        Err(error) => return refusal(error.into()),
    };
    let first = match csv_of(&first, true) {
        Ok(bytes) => bytes,
        Err(error) => return refusal(ApiError::internal(&error)),
    };
    let rest = futures::stream::try_unfold(pages, |mut pages: MeasurementPages| async move {
        match pages.next_page().await {
            Ok(Some(rows)) => Ok(Some((csv_of(&rows, false)?, pages))),
            Ok(None) => Ok(None),
            Err(error) => {
                tracing::error!(%error, "a measurement export failed after it started; it is cut short");
                Err(std::io::Error::other("the export failed"))
            }
        }
    });
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"measurements.csv\"",
        ))
        .streaming(futures::stream::once(async move { Ok(first) }).chain(rest))
}
