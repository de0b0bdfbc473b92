//! `POST /import/plan` and `POST /import/measurements`: a file in the request body, checked
//! and imported by `domain::import` (README "Imports").
//!
//! - Credentials as the GraphQL endpoint takes them (`Authorization: Bearer` with a JWT or an
//!   API key): 401 without one; 403 when the caller may not edit plans (`/import/plan`) or
//!   write measurements (`/import/measurements`, which an API key with `WRITE_MEASUREMENTS`
//!   may do). Cookies play no part, so a cross-site form cannot import anything: a browser
//!   sends an `Authorization` header only on a request its CORS preflight allowed.
//! - The body is the file itself (not a multipart form): `text/csv`, an XLSX workbook
//!   (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`) for the plan, or
//!   `application/octet-stream`; any other declared type is 415. At most
//!   `LEVIER_MAX_IMPORT_BYTES` (10 MiB by default): 413 beyond, before the rest is read.
//! - `dryRun=true` checks everything and writes nothing.
//! - The answer is JSON: what was (or would be) written and every problem with its sheet, row
//!   and column; 200 when there is no problem, 422 (nothing written) when there is one.

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use futures::StreamExt;
use serde_json::json;

use super::{
    credentials::Schemes, error_response, error_response_with_status, export::params::Params,
    rate::paid_session, state::AppState,
};
use crate::{
    domain::import::{
        measurement::{self, MeasurementImportRequest},
        plan,
        platform::AdPlatform,
    },
    error::ApiError,
    ids::{self, NodeType},
    ratelimit::EXPORT_COST,
};

/// The media types an import body may declare.
const ACCEPTED_TYPES: [&str; 5] = [
    "text/csv",
    "application/csv",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
];

/// `POST /import/plan[?dryRun=true]`: a new plan from a template.
#[tracing::instrument(skip_all)]
pub async fn plan(
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let session = match paid_session(&state, &request, Schemes::Bearer, EXPORT_COST).await {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let dry_run = match Params::parse(request.query_string(), &["dryRun"])
        .and_then(|params| flag(&params, "dryRun"))
    {
        Ok(dry_run) => dry_run,
        Err(error) => return error_response(&error),
    };
    let body = match read_file(&state, &request, payload).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    match plan::import(&session, &body, dry_run).await {
        Ok(outcome) => {
            let imported = outcome.plan.is_some();
            let problems = outcome.problems_found();
            let body = json!({
                "dryRun": dry_run,
                "imported": imported,
                "planId": outcome.plan.map(|plan| ids::encode(NodeType::Plan, plan.id).0),
                "counts": outcome.counts,
                "problems": outcome.problems,
            });
            answer(problems, body)
        }
        Err(error) => error_response(&error.into()),
    }
}

/// `POST /import/measurements?source=GOOGLE_ADS&planId=…[&currency=USD][&dryRun=true]`: an
/// ad platform's report.
#[tracing::instrument(skip_all)]
pub async fn measurements(
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let session = match paid_session(&state, &request, Schemes::Bearer, EXPORT_COST).await {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let asked = match import_request(request.query_string()) {
        Ok(asked) => asked,
        Err(error) => return error_response(&error),
    };
    let body = match read_file(&state, &request, payload).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let dry_run = asked.dry_run;
    match measurement::import(&session, &body, asked).await {
        Ok(outcome) => {
            let problems = !outcome.problems.is_empty();
            let mut body = serde_json::to_value(&outcome).unwrap_or_default();
            body["dryRun"] = json!(dry_run);
            body["imported"] = json!(!problems && !dry_run);
            answer(problems, body)
        }
        Err(error) => error_response(&error.into()),
    }
}

/// The measurement import's parameters.
fn import_request(query: &str) -> Result<MeasurementImportRequest, ApiError> {
    let params = Params::parse(query, &["source", "planId", "currency", "dryRun"])?;
    let names = AdPlatform::ALL.map(AdPlatform::name).join(", ");
    let platform = match params.single("source")? {
        Some(name) => AdPlatform::named(name).ok_or_else(|| {
            ApiError::bad_input(format!("`source` {name:?} is not one of {names}"))
        })?,
        None => {
            return Err(ApiError::bad_input(format!(
                "`source` is required: one of {names}"
            )));
        }
    };
    let plan_id = params
        .single("planId")?
        .map(|id| ids::decode_link(id, NodeType::Plan))
        .ok_or_else(|| {
            ApiError::bad_input("`planId` is required: the plan whose campaigns the report's are")
        })?;
    let currency = params.single("currency")?.map(str::to_ascii_uppercase);
    if let Some(code) = &currency
        && !crate::domain::exchange_rate::is_currency_code(code)
    {
        return Err(ApiError::bad_input(format!(
            "`currency` {code:?} is not an ISO 4217 currency code"
        )));
    }
    Ok(MeasurementImportRequest {
        platform,
        plan_id,
        currency,
        dry_run: flag(&params, "dryRun")?,
    })
}

/// A boolean parameter: `true`/`1` or `false`/`0`, false when absent.
fn flag(params: &Params, name: &str) -> Result<bool, ApiError> {
    match params.single(name)? {
        None | Some("false" | "0") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some(other) => Err(ApiError::bad_input(format!(
            "`{name}` is true or false, not {other:?}"
        ))),
    }
}

/// 200 with `body`, or 422 when the file had problems.
fn answer(problems: bool, body: serde_json::Value) -> HttpResponse {
    let status = if problems {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    HttpResponse::build(status).json(body)
}

/// The uploaded file, or the refusal: 415 for a declared type that is not a file's, 413
/// beyond the import limit (as soon as the declared length or the bytes received pass it),
/// 408 when the body is late, 400 when it cannot be read.
async fn read_file(
    state: &AppState,
    request: &HttpRequest,
    mut payload: web::Payload,
) -> Result<web::Bytes, HttpResponse> {
    if let Some(declared) = request.headers().get(header::CONTENT_TYPE) {
        let media = declared
            .to_str()
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if !ACCEPTED_TYPES.contains(&media.as_str()) {
            return Err(error_response_with_status(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &ApiError::bad_input(format!(
                    "send the file itself as the body, typed {}",
                    ACCEPTED_TYPES.join(", ")
                )),
            ));
        }
    }
    let limit = state.max_import_bytes;
    let too_large = || {
        error_response_with_status(
            StatusCode::PAYLOAD_TOO_LARGE,
            &ApiError::bad_input(format!(
                "the file is larger than this server imports ({limit} bytes)"
            )),
        )
    };
    let declared_length = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared_length.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let read = async {
        let mut body = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|error| {
                error_response(&ApiError::bad_input(format!(
                    "unreadable request body: {error}"
                )))
            })?;
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    match tokio::time::timeout(state.body_timeout, read).await {
        Ok(result) => result,
        Err(_late) => {
            let mut response = error_response_with_status(
                StatusCode::REQUEST_TIMEOUT,
                &ApiError::bad_input(format!(
                    "the file did not arrive within {} seconds",
                    state.body_timeout.as_secs()
                )),
            );
            response
                .head_mut()
                .set_connection_type(actix_web::http::ConnectionType::Close);
            Err(response)
        }
    }
}
