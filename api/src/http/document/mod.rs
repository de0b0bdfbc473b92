//! `GET /plans/{id}/document.md`: the whole plan as Markdown, with the same credentials and
//! tenancy as the GraphQL API: 401 without a valid token, 404 for a bad ID or another tenant's
//! plan, 403 when the policy refuses the caller (each error with its status from the error
//! table, `crate::error`).
//!
//! The domain loads the plan (`domain::plan::document`: its rows, its calendar and its budget
//! report, the ones the API serves); this module only writes them, one file per section of the
//! document, with the pieces they share in [`markdown`]. Rendering is a pure function of the
//! loaded [`PlanDocument`].

mod budget;
mod calendar;
mod campaigns;
mod levers;
mod markdown;
mod objectives;
mod personas;
mod review;
mod strategy;

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use super::{credentials::Schemes, error_response, rate::paid_session};
use crate::domain::plan::document::PlanDocument;
use crate::ratelimit::DOCUMENT_COST;
use crate::{
    domain,
    error::ApiError,
    http::state::AppState,
    ids::{self, NodeType},
};

/// The plan `id` (its global ID) rendered as `text/markdown`.
#[tracing::instrument(skip_all)]
pub async fn plan_document(
    state: web::Data<AppState>,
    request: HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    let session = match paid_session(&state, &request, Schemes::Bearer, DOCUMENT_COST).await {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let plan_id = match ids::decode_as(&id, NodeType::Plan) {
        Ok(plan_id) => plan_id,
        // A bad ID is NOT_FOUND, answered 404 like a missing plan.
        Err(error) => return error_response(&error),
    };
    match domain::plan::document::load(&session, plan_id).await {
        Ok(document) => HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(render(&document)),
        Err(error) => error_response(&ApiError::from(error)),
    }
}

/// The plan as Markdown: its title and key facts (its review's state among them), then
/// strategy, personas, objectives, levers, campaigns, calendar, budget and the review's steps.
pub fn render(document: &PlanDocument) -> String {
    let rows = &document.rows;
    let plan = &rows.plan;
    let currency = plan.currency.as_str();
    let mut out = String::new();

    markdown::heading(&mut out, 1, &plan.name);
    out.push_str(&format!(
        "- **Period:** {}\n",
        markdown::period(plan.period_start, plan.period_end)
    ));
    out.push_str(&format!(
        "- **Budget:** {}\n",
        markdown::format_money(plan.budget_micros, currency)
    ));
    out.push_str(&format!("- **Currency:** {currency}\n"));
    out.push_str(&format!("- **Status:** {}\n", markdown::label(plan.status)));
    review::summary(&mut out, document);
    out.push('\n');
    if let Some(description) = plan.description.as_deref().map(str::trim)
        && !description.is_empty()
    {
        out.push_str(description);
        out.push_str("\n\n");
    }

    let persona_names: HashMap<Uuid, &str> = rows
        .personas
        .iter()
        .map(|persona| (persona.id, persona.name.as_str()))
        .collect();
    strategy::render(&mut out, rows, &persona_names);
    personas::render(&mut out, rows);
    objectives::render(&mut out, document);
    levers::render(&mut out, document);
    campaigns::render(&mut out, rows, &persona_names);
    calendar::render(&mut out, document);
    budget::render(&mut out, document);
    review::render(&mut out, document);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
