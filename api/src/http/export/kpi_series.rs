//! `GET /export/kpi-series.csv`: the points of `kpiSeries` as CSV, for spreadsheets, pandas or
//! Power BI.
//!
//! Query parameters (read as `params` says: lists comma-separated or repeated, an unknown
//! parameter refused): `kpis` (required), `from` and `to` (required, `YYYY-MM-DD`, inclusive),
//! `grain` (required: DAY, WEEK, MONTH, QUARTER, YEAR), `groupBy` (CAMPAIGN, LEVER, PERSONA,
//! ACTION), `planId`, `campaignIds`, `levers`, `personaIds` (global IDs as in the GraphQL API;
//! an ID of another type is refused, as `kpiSeries` refuses it).
//!
//! Columns: `kpi_key,period_start`, then one column per grouped dimension in the fixed order
//! `campaign_id,lever,persona_id,action_id` (only the grouped ones, whatever the order of
//! `groupBy`), then `value`. Dates are ISO, values plain decimals (no exponent, `.` as the
//! separator, no trailing zeros), exactly as `kpiSeries` writes them: ratios rounded to 12
//! decimal places ([`crate::domain::ratio`]), an empty cell where a ratio has no value; IDs are
//! global IDs. Rows come in the order of `kpiSeries`.
//!
//! Errors are JSON bodies like the GraphQL API's: 400 BAD_USER_INPUT for a bad parameter, 401
//! UNAUTHENTICATED without a valid credential, 403 FORBIDDEN without the right to read KPIs
//! (an API key needs READ_KPIS).

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use futures::{StreamExt, stream};
use sea_orm::ActiveEnum;

use super::params::{Params, required};
use crate::{
    domain::{
        self,
        kpi::series::{Dimension, Point, SeriesRequest},
    },
    error::ApiError,
    http::{credentials::Schemes, error_response, rate::paid_session, state::AppState},
    ids::{self, NodeType},
    ratelimit::EXPORT_COST,
};

/// Rows written per chunk of the streamed body.
const ROWS_PER_CHUNK: usize = 256;

/// The parameters this endpoint takes.
const KNOWN: [&str; 9] = [
    "kpis",
    "from",
    "to",
    "grain",
    "groupBy",
    "planId",
    "campaignIds",
    "levers",
    "personaIds",
];

/// The series request of the query string, or BAD_USER_INPUT.
fn parse_request(query: &str) -> Result<SeriesRequest, ApiError> {
    let params = Params::parse(query, &KNOWN)?;
    let date = |name: &str| required(params.date(name)?, name, "YYYY-MM-DD");
    let plan_id = params.single("planId")?;
    Ok(SeriesRequest {
        kpi_keys: params.list("kpis").into_iter().map(str::to_owned).collect(),
        from: date("from")?,
        to: date("to")?,
        grain: required(
            params.grain("grain")?,
            "grain",
            "DAY, WEEK, MONTH, QUARTER, YEAR",
        )?,
        group_by: params.dimensions("groupBy")?,
        plan_id: ids::decode_filter_ids("planId", &Vec::from_iter(plan_id), NodeType::Plan)?
            .into_iter()
            .next(),
        campaign_ids: ids::decode_filter_ids(
            "campaignIds",
            &params.list("campaignIds"),
            NodeType::Campaign,
        )?,
        levers: params.levers("levers")?,
        persona_ids: ids::decode_filter_ids(
            "personaIds",
            &params.list("personaIds"),
            NodeType::Persona,
        )?,
    })
}

/// The grouped dimensions, in the fixed column order.
fn columns(group_by: &[Dimension]) -> Vec<Dimension> {
    Dimension::ALL
        .into_iter()
        .filter(|dimension| group_by.contains(dimension))
        .collect()
}

/// The header row's cells.
fn header(dimensions: &[Dimension]) -> Vec<&'static str> {
    let mut cells = vec!["kpi_key", "period_start"];
    cells.extend(dimensions.iter().map(|dimension| match dimension {
        Dimension::Campaign => "campaign_id",
        Dimension::Lever => "lever",
        Dimension::Persona => "persona_id",
        Dimension::Action => "action_id",
    }));
    cells.push("value");
    cells
}

/// One point's cells.
fn row(point: &Point, dimensions: &[Dimension]) -> Vec<String> {
    let id = |node_type: NodeType, id: Option<uuid::Uuid>| {
        id.map(|id| ids::encode(node_type, id).to_string())
            .unwrap_or_default()
    };
    let mut cells = vec![
        point.kpi_key.clone(),
        point.key.period_start.format("%Y-%m-%d").to_string(),
    ];
    cells.extend(dimensions.iter().map(|dimension| {
        match dimension {
            Dimension::Campaign => id(NodeType::Campaign, point.key.campaign_id),
            Dimension::Lever => point
                .key
                .lever
                .map(|lever| lever.to_value())
                .unwrap_or_default(),
            Dimension::Persona => id(NodeType::Persona, point.key.persona_id),
            Dimension::Action => id(NodeType::Action, point.key.action_id),
        }
    }));
    // Decimal's Display is plain notation, never an exponent.
    cells.push(
        point
            .value
            .map(|value| value.normalize().to_string())
            .unwrap_or_default(),
    );
    cells
}

/// CSV lines for `records`, quoted where needed.
fn csv_bytes<I, R>(records: I) -> Result<web::Bytes, actix_web::Error>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for record in records {
        writer
            .write_record(record)
            .map_err(actix_web::error::ErrorInternalServerError)?;
    }
    writer
        .into_inner()
        .map(web::Bytes::from)
        .map_err(actix_web::error::ErrorInternalServerError)
}

/// The KPI series of the query string as `text/csv`.
#[tracing::instrument(skip_all)]
pub async fn kpi_series_csv(state: web::Data<AppState>, request: HttpRequest) -> HttpResponse {
    let session = match paid_session(&state, &request, Schemes::BearerOrBasic, EXPORT_COST).await {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    // The right to read KPIs is checked before the parameters, as the API does for any field.
    if let Err(error) = domain::kpi::series::authorize(&session) {
        let error = ApiError::from(error);
        return error_response(&error);
    }
    let series_request = match parse_request(request.query_string()) {
        Ok(series_request) => series_request,
        Err(error) => return error_response(&error),
    };
    let dimensions = columns(&series_request.group_by);
    let points = match domain::kpi::series::series(&session, series_request).await {
        Ok(points) => points,
        Err(error) => {
            let error = ApiError::from(error);
            return error_response(&error);
        }
    };
    let head = stream::once(std::future::ready(csv_bytes([header(&dimensions)])));
    let rows = stream::iter(points)
        .chunks(ROWS_PER_CHUNK)
        .map(move |chunk| csv_bytes(chunk.iter().map(|point| row(point, &dimensions))));
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"kpi-series.csv\"",
        ))
        .streaming(head.chain(rows))
}
