//! The payloads of the PostgreSQL notifications that carry measurement batches between server
//! processes.
//!
//! A payload is the compact JSON of the rows themselves, not their ids for the receivers to
//! reload: every server process receives every notification, so reloading would cost each
//! process a query per notification and a read of tenant rows outside any request; and a
//! reload could see a later value than the one this transaction wrote (if another batch updated
//! the row meanwhile), where the rows themselves are exactly what was committed. The price is
//! size: PostgreSQL refuses payloads of 8000 bytes or more, so a batch is split into chunks of
//! whole rows under [`MAX_PAYLOAD_BYTES`] (about 25 rows each; a 1000-row batch makes about 40
//! notifications, all delivered together at commit). Enum values are written as the database
//! stores them, so that processes of different versions read each other's payloads.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    enums::{Lever, TimeGrain},
    measurement,
};
use sea_orm::ActiveEnum;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{MeasurementBatch, MeasurementChange, MeasurementEvent};

/// The largest payload written: under PostgreSQL's 8000-byte limit with room to spare.
pub const MAX_PAYLOAD_BYTES: usize = 7600;

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(Serialize))]
struct Payload {
    /// The tenant.
    t: Uuid,
    /// The rows.
    r: Vec<Row>,
}

/// A row as read, and (in tests) as [`RowText`] must write it.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(Serialize))]
struct Row {
    /// Whether it replaced an existing value.
    u: bool,
    /// Id.
    i: Uuid,
    /// KPI key.
    k: String,
    /// Date.
    d: NaiveDate,
    /// Grain, as stored.
    g: String,
    /// Value in micros.
    v: i64,
    /// Source.
    s: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    e: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    c: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    a: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    l: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<Uuid>,
    /// The value as sent, in micros of its own currency (converted rows only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ov: Option<i64>,
    /// The currency it was sent in (converted rows only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    oc: Option<String>,
    /// The exchange rate used (converted rows only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    xr: Option<String>,
    /// The day of the rate used (converted rows only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    xd: Option<NaiveDate>,
    /// Created at.
    ca: DateTime<Utc>,
    /// Updated at.
    ua: DateTime<Utc>,
}

/// A date as chrono's own `Serialize` writes it (`YYYY-MM-DD`), digit by digit: chrono writes it
/// piece by piece through `collect_str`, which serde_json's escaping adapter makes slow.
fn date_text<S: serde::Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&crate::iso_date::format(*date))
}

/// A row as written: [`Row`]'s fields in the same order with the same names and omissions, so
/// the same JSON, but borrowed from the event, with the time stamps already written (a batch's
/// rows share their instants: every row's `updated_at`, every new row's `created_at`).
#[derive(Serialize)]
struct RowText<'a> {
    u: bool,
    i: Uuid,
    k: &'a str,
    #[serde(serialize_with = "date_text")]
    d: NaiveDate,
    g: String,
    v: i64,
    s: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    e: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    c: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    l: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    n: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ov: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    oc: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    xr: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    xd: Option<NaiveDate>,
    ca: &'a str,
    ua: &'a str,
}

impl<'a> RowText<'a> {
    /// `event`'s row, its instants' texts from (and kept in) `created` and `updated`.
    fn of(
        event: &'a MeasurementEvent,
        created: &'a mut InstantText,
        updated: &'a mut InstantText,
    ) -> Self {
        let m = &event.measurement;
        Self {
            u: event.change == MeasurementChange::Updated,
            i: m.id,
            k: &m.kpi_key,
            d: m.date,
            g: m.grain.to_value(),
            v: m.value_micros,
            s: &m.source,
            e: m.external_id.as_deref(),
            p: m.plan_id,
            c: m.campaign_id,
            a: m.action_id,
            l: m.lever.map(|lever| lever.to_value()),
            n: m.persona_id,
            ov: m.original_value_micros,
            oc: m.original_currency.as_deref(),
            xr: m.exchange_rate.as_deref(),
            xd: m.rate_date,
            ca: created.of(m.created_at),
            ua: updated.of(m.updated_at),
        }
    }
}

/// The text of the last instant written, reused while the next ones are the same. chrono's own
/// `Serialize` writes an instant piece by piece through `collect_str`, which serde_json's
/// escaping adapter made cost about 2 400 instructions a time stamp; formatted into a string
/// once per instant, then copied, it costs a fraction of that.
#[derive(Default)]
struct InstantText(Option<(DateTime<Utc>, String)>);

impl InstantText {
    /// `instant` as chrono's own `Serialize` writes it (RFC 3339, `Z`, as many decimals as
    /// needed).
    fn of(&mut self, instant: DateTime<Utc>) -> &str {
        if self.0.as_ref().is_none_or(|(last, _)| *last != instant) {
            let text = instant.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
            self.0 = Some((instant, text));
        }
        self.0.as_ref().map_or("", |(_, text)| text.as_str())
    }
}

#[cfg(test)]
impl From<&MeasurementEvent> for Row {
    fn from(event: &MeasurementEvent) -> Self {
        let m = &event.measurement;
        Self {
            u: event.change == MeasurementChange::Updated,
            i: m.id,
            k: m.kpi_key.clone(),
            d: m.date,
            g: m.grain.to_value(),
            v: m.value_micros,
            s: m.source.clone(),
            e: m.external_id.clone(),
            p: m.plan_id,
            c: m.campaign_id,
            a: m.action_id,
            l: m.lever.map(|lever| lever.to_value()),
            n: m.persona_id,
            ov: m.original_value_micros,
            oc: m.original_currency.clone(),
            xr: m.exchange_rate.clone(),
            xd: m.rate_date,
            ca: m.created_at,
            ua: m.updated_at,
        }
    }
}

/// The notification payloads announcing `batch`: its rows in order, split into chunks of at most
/// [`MAX_PAYLOAD_BYTES`] bytes. A row too large for any payload (the input limits keep rows far
/// below it) is left out and logged rather than failing the write.
pub fn encode(batch: &MeasurementBatch) -> Vec<String> {
    const TAIL: &[u8] = b"]}";
    let head = format!("{{\"t\":\"{}\",\"r\":[", batch.tenant_id);
    let overhead = head.len() + TAIL.len();
    let mut payloads = Vec::new();
    let mut payload: Vec<u8> = Vec::with_capacity(MAX_PAYLOAD_BYTES);
    let mut row: Vec<u8> = Vec::with_capacity(512);
    let (mut created, mut updated) = (InstantText::default(), InstantText::default());
    let mut finish = |payload: &mut Vec<u8>| {
        payload.extend_from_slice(TAIL);
        let bytes = std::mem::replace(payload, Vec::with_capacity(MAX_PAYLOAD_BYTES));
        // Only JSON was written: UTF-8 throughout.
        payloads.push(
            String::from_utf8(bytes)
                .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()),
        );
    };
    for event in &batch.events {
        row.clear();
        let text = RowText::of(event, &mut created, &mut updated);
        if let Err(error) = serde_json::to_writer(&mut row, &text) {
            tracing::error!(%error, "a measurement event cannot be encoded");
            continue;
        }
        if overhead + row.len() > MAX_PAYLOAD_BYTES {
            tracing::error!(
                measurement = %event.measurement.id,
                bytes = row.len(),
                "a measurement is too large to announce; subscribers will not see it"
            );
            continue;
        }
        // One byte for the comma between rows.
        if !payload.is_empty() && payload.len() + 1 + row.len() + TAIL.len() > MAX_PAYLOAD_BYTES {
            finish(&mut payload);
        }
        if payload.is_empty() {
            payload.extend_from_slice(head.as_bytes());
        } else {
            payload.push(b',');
        }
        payload.extend_from_slice(&row);
    }
    if !payload.is_empty() {
        finish(&mut payload);
    }
    payloads
}

/// Why a payload cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Not the JSON of a payload.
    #[error("malformed payload: {0}")]
    Json(#[from] serde_json::Error),
    /// An enum value this version does not know.
    #[error("unknown value: {0}")]
    Value(String),
}

/// The batch (or the part of a batch) a payload carries.
pub fn decode(payload: &str) -> Result<MeasurementBatch, DecodeError> {
    let payload: Payload = serde_json::from_str(payload)?;
    let tenant_id = payload.t;
    let events = payload
        .r
        .into_iter()
        .map(|row| {
            let grain =
                TimeGrain::try_from_value(&row.g).map_err(|_| DecodeError::Value(row.g.clone()))?;
            let lever = row
                .l
                .map(|lever| Lever::try_from_value(&lever).map_err(|_| DecodeError::Value(lever)))
                .transpose()?;
            Ok(MeasurementEvent {
                change: if row.u {
                    MeasurementChange::Updated
                } else {
                    MeasurementChange::Inserted
                },
                measurement: measurement::Model {
                    tenant_id,
                    id: row.i,
                    kpi_key: row.k,
                    date: row.d,
                    grain,
                    value_micros: row.v,
                    source: row.s,
                    external_id: row.e,
                    plan_id: row.p,
                    campaign_id: row.c,
                    action_id: row.a,
                    lever,
                    persona_id: row.n,
                    original_value_micros: row.ov,
                    original_currency: row.oc,
                    exchange_rate: row.xr,
                    rate_date: row.xd,
                    created_at: row.ca,
                    updated_at: row.ua,
                },
            })
        })
        .collect::<Result<Vec<_>, DecodeError>>()?;
    Ok(MeasurementBatch { tenant_id, events })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row with every field set at its longest, with texts of `text_chars` characters.
    fn event(tenant_id: Uuid, text_chars: usize, index: usize) -> MeasurementEvent {
        let long = |prefix: &str| {
            let mut text = format!("{prefix}{index}-");
            while text.chars().count() < text_chars {
                text.push('é');
            }
            text
        };
        MeasurementEvent {
            change: if index.is_multiple_of(2) {
                MeasurementChange::Inserted
            } else {
                MeasurementChange::Updated
            },
            measurement: measurement::Model {
                tenant_id,
                id: Uuid::now_v7(),
                kpi_key: long("k"),
                date: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or_default(),
                grain: TimeGrain::Quarter,
                value_micros: i64::MIN,
                source: long("s"),
                external_id: Some(long("e")),
                plan_id: Some(Uuid::now_v7()),
                campaign_id: Some(Uuid::now_v7()),
                action_id: Some(Uuid::now_v7()),
                lever: Some(Lever::MarketingAutomation),
                persona_id: Some(Uuid::now_v7()),
                original_value_micros: Some(i64::MIN),
                original_currency: Some("USD".to_owned()),
                exchange_rate: Some("0.123456789012".to_owned()),
                rate_date: NaiveDate::from_ymd_opt(2027, 12, 31),
                created_at: Utc::now(),
                updated_at: Utc::now(),
            },
        }
    }

    #[test]
    fn a_thousand_rows_split_into_payloads_under_the_limit_and_back() {
        let tenant_id = Uuid::now_v7();
        let batch = MeasurementBatch {
            tenant_id,
            events: (0..1000)
                .map(|index| event(tenant_id, 200, index))
                .collect(),
        };
        let payloads = encode(&batch);
        assert!(payloads.len() > 1);
        for payload in &payloads {
            assert!(payload.len() <= MAX_PAYLOAD_BYTES, "{}", payload.len());
            assert!(payload.len() < 8000);
        }
        let mut events = Vec::new();
        for payload in &payloads {
            let part = decode(payload).unwrap_or_else(|error| panic!("{error}"));
            assert_eq!(part.tenant_id, tenant_id);
            events.extend(part.events);
        }
        assert_eq!(events, batch.events);
    }

    #[test]
    fn a_row_too_large_for_any_payload_is_left_out() {
        let tenant_id = Uuid::now_v7();
        let batch = MeasurementBatch {
            tenant_id,
            events: vec![event(tenant_id, 5000, 0), event(tenant_id, 10, 1)],
        };
        let payloads = encode(&batch);
        assert_eq!(payloads.len(), 1);
        let decoded = decode(&payloads[0]).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(decoded.events, vec![batch.events[1].clone()]);
    }

    /// The one row of a payload, as written.
    fn written_row(event: &MeasurementEvent) -> String {
        let batch = MeasurementBatch {
            tenant_id: event.measurement.tenant_id,
            events: vec![event.clone()],
        };
        let payloads = encode(&batch);
        assert_eq!(payloads.len(), 1);
        let head = format!("{{\"t\":\"{}\",\"r\":[", batch.tenant_id);
        payloads[0]
            .strip_prefix(&head)
            .and_then(|rest| rest.strip_suffix("]}"))
            .unwrap_or_else(|| panic!("not a payload: {}", payloads[0]))
            .to_owned()
    }

    #[test]
    fn rows_are_written_as_earlier_versions_wrote_them() {
        // Processes of an earlier version read these payloads: they wrote a row as `Row`'s
        // derived `Serialize` with chrono's own formats does.
        let tenant_id = Uuid::now_v7();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let mut events = vec![event(tenant_id, 20, 0), event(tenant_id, 20, 1)];
        let mut bare = event(tenant_id, 5, 2);
        let m = &mut bare.measurement;
        (m.external_id, m.plan_id, m.campaign_id, m.action_id) = (None, None, None, None);
        (m.lever, m.persona_id, m.original_value_micros) = (None, None, None);
        (m.original_currency, m.exchange_rate, m.rate_date) = (None, None, None);
        events.push(bare);
        for (date, nanos) in [
            (day(2026, 12, 7), 0),
            (day(1, 1, 1), 1),
            (day(9999, 12, 31), 999_999_999),
            (day(2027, 2, 28), 123_000_000),
            (day(2027, 6, 30), 456_789_000),
        ] {
            let instant = date
                .and_hms_nano_opt(23, 59, 59, nanos)
                .unwrap_or_default()
                .and_utc();
            let mut dated = event(tenant_id, 10, 3);
            dated.measurement.date = date;
            dated.measurement.rate_date = Some(date);
            dated.measurement.created_at = instant;
            dated.measurement.updated_at = instant + chrono::Duration::nanoseconds(1);
            events.push(dated);
        }
        for event in &events {
            let earlier = serde_json::to_string(&Row::from(event));
            assert!(earlier.is_ok());
            assert_eq!(Some(written_row(event)), earlier.ok());
        }
    }

    #[test]
    fn rows_sharing_their_instants_are_written_each_with_its_own() {
        // The texts of the instants are reused from row to row while they are the same.
        let tenant_id = Uuid::now_v7();
        let mut events: Vec<_> = (0..6).map(|index| event(tenant_id, 10, index)).collect();
        let first = events[0].measurement.created_at;
        for (index, event) in events.iter_mut().enumerate() {
            let offset = chrono::Duration::microseconds(index as i64 / 2);
            event.measurement.created_at = first + offset;
            event.measurement.updated_at = first;
        }
        let batch = MeasurementBatch { tenant_id, events };
        let decoded = decode(&encode(&batch)[0]).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(decoded.events, batch.events);
    }
}
