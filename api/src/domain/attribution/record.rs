//! Recording touchpoints and conversions in batches: all-or-nothing, idempotent on
//! (source, external id) like measurements, at most [`MAX_BATCH`] rows a call.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{conversion, enums::Lever, touchpoint};
use rust_decimal::Decimal;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::{
    auth::Permission,
    domain::{DomainResult, FieldErrorCode, Session, validation::Violations},
    store,
};

/// Most rows in one call.
pub const MAX_BATCH: usize = 1_000;

/// The source of rows that do not name one.
pub const DEFAULT_SOURCE: &str = "manual";

/// Longest journey id or external id accepted.
pub const MAX_KEY_CHARS: usize = 255;

/// Longest source accepted.
pub const MAX_SOURCE_CHARS: usize = 64;

/// A touchpoint to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TouchpointParams {
    /// The journey it belongs to.
    pub journey_id: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// Its lever.
    pub lever: Lever,
    /// Its campaign (must be the tenant's), if any.
    pub campaign_id: Option<Uuid>,
    /// Its source; [`DEFAULT_SOURCE`] when `None`.
    pub source: Option<String>,
    /// The source's key of it.
    pub external_id: String,
}

/// A conversion to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionParams {
    /// The journey that converted.
    pub journey_id: String,
    /// When it converted.
    pub occurred_at: DateTime<Utc>,
    /// Its value: not negative, at most 6 decimal places.
    pub value: Decimal,
    /// Its source; [`DEFAULT_SOURCE`] when `None`.
    pub source: Option<String>,
    /// The source's key of it.
    pub external_id: String,
}

/// What a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recorded {
    /// Rows that were new.
    pub inserted: usize,
    /// Rows whose (source, external id) was already recorded, now updated.
    pub updated: usize,
}

/// Checks the texts and keys of a batch's rows; `list` is the input field (`touchpoints`).
struct BatchCheck<'a> {
    list: &'a str,
    violations: Violations,
    seen: HashMap<(String, String), usize>,
    keys: Vec<(String, String)>,
}

impl<'a> BatchCheck<'a> {
    /// Refuses a batch over [`MAX_BATCH`] rows at once, without looking at its rows.
    fn new(list: &'a str, rows: usize) -> DomainResult<Self> {
        if rows > MAX_BATCH {
            let mut violations = Violations::new();
            violations.add(
                &[list],
                FieldErrorCode::TooLong,
                format!("at most {MAX_BATCH} rows per call; this one has {rows}"),
            );
            violations.finish()?;
        }
        Ok(Self {
            list,
            violations: Violations::new(),
            seen: HashMap::new(),
            keys: Vec::with_capacity(rows),
        })
    }

    /// A required text of row `index`, trimmed, non-empty, at most `max` characters, storable.
    fn text(&mut self, index: usize, field: &str, value: &str, max: usize) -> String {
        let at = index.to_string();
        self.violations
            .required_text(&[self.list, &at, field], value, max)
    }

    /// The journey, source and external id of row `index`; a (source, external id) already
    /// used by an earlier row of the batch is a DUPLICATE on `externalId`.
    fn keys(
        &mut self,
        index: usize,
        journey_id: &str,
        source: Option<&str>,
        external_id: &str,
    ) -> (String, String, String) {
        let journey = self.text(index, "journeyId", journey_id, MAX_KEY_CHARS);
        let source = self.text(
            index,
            "source",
            source.unwrap_or(DEFAULT_SOURCE),
            MAX_SOURCE_CHARS,
        );
        let external = self.text(index, "externalId", external_id, MAX_KEY_CHARS);
        let key = (source.clone(), external.clone());
        if let Some(first) = self.seen.get(&key) {
            self.violations.add_item(
                self.list,
                index,
                "externalId",
                FieldErrorCode::Duplicate,
                format!("row {first} of this batch has the same source and externalId"),
            );
        } else {
            self.seen.insert(key.clone(), index);
            self.keys.push(key);
        }
        (journey, source, external)
    }
}

/// Records touchpoints (EDITOR, ADMIN, or an API key with WRITE_MEASUREMENTS). Each row is
/// inserted, or updates the row already recorded with its (source, external id). Refused as a
/// whole, with nothing written, when a row is invalid: an empty or over-long text, a campaign
/// that is not the tenant's (NOT_FOUND), the same key twice in the batch, or over
/// [`MAX_BATCH`] rows.
pub async fn record_touchpoints(
    session: &Session,
    rows: Vec<TouchpointParams>,
) -> DomainResult<Recorded> {
    let scope = session.scope(Permission::WriteMeasurements)?;
    let mut check = BatchCheck::new("touchpoints", rows.len())?;
    let mut models = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let (journey, source, external) = check.keys(
            index,
            &row.journey_id,
            row.source.as_deref(),
            &row.external_id,
        );
        models.push(touchpoint::ActiveModel {
            journey_id: Set(journey),
            occurred_at: Set(row.occurred_at),
            lever: Set(row.lever),
            campaign_id: Set(row.campaign_id),
            source: Set(source),
            external_id: Set(external),
            ..Default::default()
        });
    }
    let campaign_ids: Vec<Uuid> = rows
        .iter()
        .filter_map(|row| row.campaign_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let existing = store::attribution::existing_campaigns(&scope, &campaign_ids).await?;
    for (index, row) in rows.iter().enumerate() {
        if row.campaign_id.is_some_and(|id| !existing.contains(&id)) {
            check.violations.add_item(
                "touchpoints",
                index,
                "campaignId",
                FieldErrorCode::NotFound,
                "no such campaign",
            );
        }
    }
    check.violations.finish()?;
    let transaction = scope.begin().await?;
    let known = store::attribution::existing_touchpoints(&transaction, &check.keys).await?;
    store::attribution::upsert_touchpoints(&transaction, models).await?;
    transaction.commit().await?;
    Ok(Recorded {
        inserted: check.keys.len() - known.len(),
        updated: known.len(),
    })
}

/// Records conversions (EDITOR, ADMIN, or an API key with WRITE_MEASUREMENTS), like
/// [`record_touchpoints`]; a value must not be negative and has at most 6 decimal places.
pub async fn record_conversions(
    session: &Session,
    rows: Vec<ConversionParams>,
) -> DomainResult<Recorded> {
    let scope = session.scope(Permission::WriteMeasurements)?;
    let mut check = BatchCheck::new("conversions", rows.len())?;
    let mut models = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let (journey, source, external) = check.keys(
            index,
            &row.journey_id,
            row.source.as_deref(),
            &row.external_id,
        );
        let value_micros = if row.value.is_sign_negative() && !row.value.is_zero() {
            check.violations.add_item(
                "conversions",
                index,
                "value",
                FieldErrorCode::OutOfRange,
                "must not be negative",
            );
            0
        } else {
            check
                .violations
                .amount_at(&["conversions", &index.to_string(), "value"], row.value)
        };
        models.push(conversion::ActiveModel {
            journey_id: Set(journey),
            occurred_at: Set(row.occurred_at),
            value_micros: Set(value_micros),
            source: Set(source),
            external_id: Set(external),
            ..Default::default()
        });
    }
    check.violations.finish()?;
    let transaction = scope.begin().await?;
    let known = store::attribution::existing_conversions(&transaction, &check.keys).await?;
    store::attribution::upsert_conversions(&transaction, models).await?;
    transaction.commit().await?;
    Ok(Recorded {
        inserted: check.keys.len() - known.len(),
        updated: known.len(),
    })
}
