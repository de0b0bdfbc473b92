//! `GET /export/measurements.csv`: the caller's raw measurements as CSV, for BI tools.
//!
//! Query parameters (read as `params` says: lists comma-separated or repeated, an unknown
//! parameter refused), all optional, are the filters of `kpiSeries`: `kpis` (base KPI keys; a
//! derived or unknown key is refused with 400), `from` and `to` (ISO dates, inclusive, compared
//! with the first day of each measurement's period), `planId`, `campaignIds`, `levers`
//! (`SEO,SEA`) and `personaIds` (global IDs), and `source`. `grain` and `groupBy` are accepted
//! and ignored: the rows are the measurements as recorded, neither bucketed nor grouped (that
//! is `/export/kpi-series.csv`). An ID of the wrong type matches nothing, as in the GraphQL
//! filters.
//!
//! Answers 401 without a valid credential, 403 to a caller who may not read KPIs (an API key
//! without the READ_KPIS scope), 400 for a malformed or invalid filter. The rows are ordered by
//! date then id and read in keyset pages of 1000, each page written out before the next is
//! read: memory stays flat whatever the size of the export, and no database connection is held
//! between pages. A failure after the first rows were sent can no longer change the status: the
//! response is cut short (without its final chunk), which HTTP clients report as an error.

use actix_web::{HttpRequest, HttpResponse, web};
use entity::measurement;
use futures::StreamExt;
use sea_orm::ActiveEnum;

use super::{
    super::{credentials::Schemes, error_response, rate::paid_session},
    params::Params,
};
use crate::{
    domain::{self, kpi::export::MeasurementPages, money},
    error::ApiError,
    http::state::AppState,
    ids::{self, NodeType},
    ratelimit::EXPORT_COST,
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

/// The parameters this endpoint takes: the filters of `kpiSeries` and `source`; `grain` and
/// `groupBy` are taken for symmetry with the series export and ignored (raw rows are neither
/// bucketed nor grouped).
const KNOWN: [&str; 10] = [
    "kpis",
    "from",
    "to",
    "planId",
    "campaignIds",
    "levers",
    "personaIds",
    "source",
    "grain",
    "groupBy",
];

/// The filter the query string describes. An ID that is not one of the expected type becomes
/// the nil UUID, which matches nothing, as in the GraphQL filters.
fn filter_of(query: &str) -> Result<MeasurementFilter, ApiError> {
    let params = Params::parse(query, &KNOWN)?;
    let links = |name: &str, node_type| {
        params
            .list(name)
            .into_iter()
            .map(|id| ids::decode_link(id, node_type))
            .collect::<Vec<_>>()
    };
    Ok(MeasurementFilter {
        kpi_keys: params.list("kpis").into_iter().map(str::to_owned).collect(),
        from: params.date("from")?,
        to: params.date("to")?,
        plan_id: params
            .single("planId")?
            .map(|id| ids::decode_link(id, NodeType::Plan)),
        campaign_ids: links("campaignIds", NodeType::Campaign),
        levers: params.levers("levers")?,
        persona_ids: links("personaIds", NodeType::Persona),
        source: params.single("source")?.map(str::to_owned),
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
            // `recordedAt` as the API's DateTime shows it (UTC, exactly three decimals of a
            // second): when the row was first recorded.
            row.created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
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
    let session = match paid_session(&state, &request, Schemes::BearerOrBasic, EXPORT_COST).await {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let filter = match filter_of(request.query_string()) {
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
