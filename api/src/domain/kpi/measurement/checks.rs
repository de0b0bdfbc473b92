//! The checks of one measurement row: a recordable KPI, a date that starts its period, a value
//! and texts that fit, and links to a campaign, action and persona the tenant has (an action
//! and a campaign of one plan). What the rows refer to is loaded once per batch.

use std::collections::{HashMap, HashSet};

use entity::{
    action, campaign,
    enums::{KpiAggregation, KpiUnit},
    kpi_definition, persona,
};
use uuid::Uuid;

use super::{MAX_KPI_KEY_CHARS, NewMeasurement, starts_period};
use crate::domain::{DomainResult, FieldErrorCode, validation::Violations};
use crate::store;

/// Longest source name accepted.
const MAX_SOURCE_CHARS: usize = 64;

/// Longest external id accepted.
const MAX_EXTERNAL_ID_CHARS: usize = 255;

/// The rows the batch refers to, loaded with one statement per kind.
pub(super) struct References {
    kpis: HashMap<String, kpi_definition::Model>,
    campaigns: HashMap<Uuid, campaign::Model>,
    actions: HashMap<Uuid, action::Model>,
    personas: HashSet<Uuid>,
}

pub(super) async fn load_references<C: sea_orm::ConnectionTrait>(
    scope: &store::Scoped<C>,
    rows: &[NewMeasurement],
) -> DomainResult<References> {
    fn distinct<T: Eq + std::hash::Hash + Clone>(items: impl Iterator<Item = T>) -> Vec<T> {
        items.collect::<HashSet<_>>().into_iter().collect()
    }
    let keys = distinct(rows.iter().map(|row| row.kpi_key.trim().to_owned()));
    let campaign_ids = distinct(rows.iter().filter_map(|row| row.campaign_id));
    let action_ids = distinct(rows.iter().filter_map(|row| row.action_id));
    let persona_ids = distinct(rows.iter().filter_map(|row| row.persona_id));
    let kpis = store::kpi::catalogue::by_keys(scope, &keys).await?;
    let campaigns = if campaign_ids.is_empty() {
        Vec::new()
    } else {
        scope.find_many::<campaign::Entity>(&campaign_ids).await?
    };
    let actions = if action_ids.is_empty() {
        Vec::new()
    } else {
        scope.find_many::<action::Entity>(&action_ids).await?
    };
    let personas = if persona_ids.is_empty() {
        Vec::new()
    } else {
        scope.find_many::<persona::Entity>(&persona_ids).await?
    };
    Ok(References {
        kpis: kpis.into_iter().map(|kpi| (kpi.key.clone(), kpi)).collect(),
        campaigns: campaigns.into_iter().map(|row| (row.id, row)).collect(),
        actions: actions.into_iter().map(|row| (row.id, row)).collect(),
        personas: personas.into_iter().map(|row| row.id).collect(),
    })
}

/// A row that passed validation, ready to write.
pub(super) struct Checked {
    pub(super) kpi_key: String,
    pub(super) value_micros: i64,
    pub(super) source: String,
    pub(super) external_id: Option<String>,
    pub(super) plan_id: Option<Uuid>,
    /// The currency the value was sent in, when the row names one (a valid code).
    pub(super) currency: Option<String>,
    /// How the value was converted into the tenant's currency (set by `convert.rs`).
    pub(super) conversion: Option<super::convert::Conversion>,
}

/// Checks one row; problems are recorded under `measurements.<index>.<field>`.
pub(super) fn check_row(
    v: &mut Violations,
    index: usize,
    row: &NewMeasurement,
    references: &References,
) -> Checked {
    let at = index.to_string();
    let path = |field: &'static str| ["measurements", at.as_str(), field];
    let kpi_key = row.kpi_key.trim().to_owned();
    let kpi = references.kpis.get(&kpi_key);
    match kpi {
        None => {
            // A key no column can hold (a NUL, too long) is malformed rather than unknown.
            if v.check_text(&path("kpiKey"), &kpi_key, MAX_KPI_KEY_CHARS) {
                v.add(
                    &path("kpiKey"),
                    FieldErrorCode::NotFound,
                    format!("no KPI has the key `{kpi_key}`"),
                );
            }
        }
        Some(kpi) if kpi.aggregation == KpiAggregation::Ratio => v.add(
            &path("kpiKey"),
            FieldErrorCode::Invalid,
            format!(
                "`{kpi_key}` is derived from other KPIs and cannot be recorded; record its \
                 components instead"
            ),
        ),
        Some(_) => {}
    }
    if !starts_period(row.date, row.grain) {
        v.add(
            &path("date"),
            FieldErrorCode::Invalid,
            "a measurement covering a week, month, quarter or year is dated on the first day \
             of that period (weeks start on Monday)",
        );
    }
    let value_micros = v.amount_at(&path("value"), row.value);
    if value_micros < 0
        && kpi.is_some_and(|kpi| matches!(kpi.unit, KpiUnit::Count | KpiUnit::Seconds))
    {
        v.add(
            &path("value"),
            FieldErrorCode::OutOfRange,
            "a count or a duration cannot be negative",
        );
    }
    let currency = row.currency.as_ref().and_then(|code| {
        let code = code.trim();
        if !crate::domain::exchange_rate::is_currency_code(code) {
            v.add(
                &path("currency"),
                FieldErrorCode::Invalid,
                "must be an ISO 4217 code of three capital letters, such as USD",
            );
            None
        } else if kpi.is_some_and(|kpi| kpi.unit != KpiUnit::Currency) {
            v.add(
                &path("currency"),
                FieldErrorCode::Invalid,
                format!(
                    "`{kpi_key}` is not measured in money (its unit is not CURRENCY): leave \
                     the currency out"
                ),
            );
            None
        } else {
            Some(code.to_owned())
        }
    });
    let source = row.source.trim().to_owned();
    if source.is_empty() {
        v.add(
            &path("source"),
            FieldErrorCode::Required,
            "say where the value comes from (`manual`, `ga4`…)",
        );
    } else {
        v.check_text(&path("source"), &source, MAX_SOURCE_CHARS);
    }
    let external_id = row.external_id.as_ref().map(|id| id.trim().to_owned());
    match &external_id {
        Some(id) if id.is_empty() => v.add(
            &path("externalId"),
            FieldErrorCode::Required,
            "an external id cannot be empty; leave it out for a plain insert",
        ),
        Some(id) => {
            v.check_text(&path("externalId"), id, MAX_EXTERNAL_ID_CHARS);
        }
        None => {}
    }
    let campaign = row.campaign_id.and_then(|id| {
        let found = references.campaigns.get(&id);
        if found.is_none() {
            v.add(
                &path("campaignId"),
                FieldErrorCode::NotFound,
                "no such campaign",
            );
        }
        found
    });
    let action = row.action_id.and_then(|id| {
        let found = references.actions.get(&id);
        if found.is_none() {
            v.add(
                &path("actionId"),
                FieldErrorCode::NotFound,
                "no such action",
            );
        }
        found
    });
    if let Some(id) = row.persona_id
        && !references.personas.contains(&id)
    {
        v.add(
            &path("personaId"),
            FieldErrorCode::NotFound,
            "no such persona",
        );
    }
    if let (Some(campaign), Some(action)) = (campaign, action)
        && campaign.plan_id != action.plan_id
    {
        v.add(
            &path("actionId"),
            FieldErrorCode::Invalid,
            "the action and the campaign belong to different plans",
        );
    }
    Checked {
        kpi_key,
        value_micros,
        source,
        external_id,
        plan_id: campaign
            .map(|campaign| campaign.plan_id)
            .or(action.map(|action| action.plan_id)),
        currency,
        conversion: None,
    }
}
