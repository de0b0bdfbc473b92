//! Ingestion: batches of measurements sent through `recordMeasurements`, against the same rows
//! written with raw multi-row `INSERT`s (one statement and one transaction per batch).

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use anyhow::Context;
use futures::{FutureExt, future::BoxFuture};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use serde_json::json;

use super::{
    data::{self, decimal},
    insert::{self, Row, Target},
};
use crate::bounded::Outcome;

/// The mutation; the variables carry the batch.
pub const MUTATION: &str = "mutation($input: RecordMeasurementsInput!) { recordMeasurements(input: $input) { inserted updated userErrors { field message code } } }";

/// Source of the rows sent through the API.
pub const API_SOURCE: &str = "bench_api";

/// Source of the rows written with raw `INSERT`s.
pub const RAW_SOURCE: &str = "bench_raw";

/// Source of the rows written with `COPY` (PostgreSQL only): the floor of ingestion.
pub const COPY_SOURCE: &str = "bench_copy";

/// Salt of the generated values of ingested rows (the seeded ones use 0).
const SALT: u64 = 1;

/// Which rows make a batch: `rows` rows cut into batches of `batch_size`.
#[derive(Debug, Clone, Copy)]
pub struct Batches {
    /// Rows in total.
    pub rows: u64,
    /// Rows per batch.
    pub batch_size: u64,
}

impl Batches {
    /// Number of batches (the last may be short).
    pub fn count(self) -> u64 {
        self.rows.div_ceil(self.batch_size.max(1))
    }

    /// The row numbers of batch `index`.
    pub fn range(self, index: u64) -> std::ops::Range<u64> {
        let start = (index * self.batch_size).min(self.rows);
        start..(start + self.batch_size).min(self.rows)
    }
}

/// The external id of row `i` of a source.
fn external_id(source: &str, i: u64) -> String {
    format!("{source}-{i}")
}

/// The JSON body of batch `index` for the API; `revision` changes every value (re-sending).
pub fn api_body(batches: Batches, index: u64, campaign_ids: &[String], revision: i64) -> String {
    let measurements: Vec<serde_json::Value> = batches
        .range(index)
        .map(|i| {
            let m = data::measurement(SALT, i, revision);
            json!({
                "kpiKey": m.kpi_key,
                "date": m.date.to_string(),
                "value": decimal(m.value_micros),
                "source": API_SOURCE,
                "externalId": external_id(API_SOURCE, i),
                "campaignId": campaign_ids.get(m.campaign % campaign_ids.len().max(1)),
                "lever": m.lever(),
            })
        })
        .collect();
    json!({
        "query": MUTATION,
        "variables": { "input": { "measurements": measurements } },
    })
    .to_string()
}

/// The rows of batch `index` for the raw side.
pub fn raw_rows(batches: Batches, index: u64, revision: i64) -> Vec<Row> {
    batches
        .range(index)
        .map(|i| Row {
            measurement: data::measurement(SALT, i, revision),
            source: RAW_SOURCE,
            external_id: Some(external_id(RAW_SOURCE, i)),
        })
        .collect()
}

/// The rows of batch `index` for the `COPY` floor: the same values as [`raw_rows`], under
/// their own source.
fn copy_rows(batches: Batches, index: u64) -> Vec<Row> {
    batches
        .range(index)
        .map(|i| Row {
            measurement: data::measurement(SALT, i, 0),
            source: COPY_SOURCE,
            external_id: Some(external_id(COPY_SOURCE, i)),
        })
        .collect()
}

/// What a `recordMeasurements` answer must say for a batch of `expected` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Every row is new.
    Inserted,
    /// Every row exists and is updated.
    Updated,
}

/// Checks an answer; returns the rows written.
pub fn check_answer(body: &[u8], expected: u64, expect: Expect) -> Result<u64, String> {
    let start = || String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|error| format!("not JSON ({error}): {}", start()))?;
    if value.get("errors").is_some() {
        return Err(format!("errors: {}", start()));
    }
    let payload = &value["data"]["recordMeasurements"];
    if payload["userErrors"]
        .as_array()
        .is_none_or(|errors| !errors.is_empty())
    {
        return Err(format!("userErrors: {}", start()));
    }
    let inserted = payload["inserted"].as_u64();
    let updated = payload["updated"].as_u64();
    let wanted = match expect {
        Expect::Inserted => (Some(expected), Some(0)),
        Expect::Updated => (Some(0), Some(expected)),
    };
    if (inserted, updated) != wanted {
        return Err(format!(
            "inserted/updated {inserted:?}/{updated:?}, expected {wanted:?}"
        ));
    }
    Ok(expected)
}

/// One API operation per call: the next batch of `bodies` (taken in order by whichever task is
/// free), checked against `expect`.
pub fn api_operation(
    http: reqwest::Client,
    url: String,
    token: &str,
    bodies: Arc<Vec<(String, u64)>>,
    expect: Expect,
) -> impl Fn() -> BoxFuture<'static, Outcome> + Clone + Send + 'static {
    let next = Arc::new(AtomicU64::new(0));
    let url: Arc<str> = url.into();
    let authorization: Arc<str> = format!("Bearer {token}").into();
    move || {
        let index = next.fetch_add(1, Ordering::Relaxed) as usize;
        let batch = bodies.get(index).cloned();
        let request = http
            .post(&*url)
            .header(reqwest::header::AUTHORIZATION, &*authorization)
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        async move {
            let (body, rows) = batch.ok_or_else(|| format!("no batch {index}"))?;
            let response = request
                .body(body)
                .send()
                .await
                .map_err(|error| format!("request failed: {error}"))?;
            let status = response.status();
            let bytes = response
                .bytes()
                .await
                .map_err(|error| format!("reading the response failed: {error}"))?;
            if !status.is_success() {
                let start = String::from_utf8_lossy(&bytes[..bytes.len().min(300)]).into_owned();
                return Err(format!("HTTP {status}: {start}"));
            }
            check_answer(&bytes, rows, expect)
        }
        .boxed()
    }
}

/// One raw operation per call: the next batch, one `INSERT` (an upsert with `upsert`) in its
/// own transaction. On SQLite the transactions wait for their turn in one queue of this
/// process, first come first served, as the server's do (`db::WriteQueue`): left to SQLite's
/// busy handler, a waiting writer sleeps between tries while the lock is free, and the floor
/// would be lower than what SQLite can do.
pub fn raw_operation(
    db: DatabaseConnection,
    target: Arc<Target>,
    batches: Batches,
    revision: i64,
    upsert: bool,
) -> impl Fn() -> BoxFuture<'static, Outcome> + Clone + Send + 'static {
    let next = Arc::new(AtomicU64::new(0));
    let queue = (db.get_database_backend() == sea_orm::DbBackend::Sqlite)
        .then(|| Arc::new(tokio::sync::Mutex::new(())));
    move || {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let db = db.clone();
        let target = Arc::clone(&target);
        let queue = queue.clone();
        async move {
            let rows = raw_rows(batches, index, revision);
            let statement = insert::statement(
                db.get_database_backend(),
                &target,
                &rows,
                chrono::Utc::now(),
                upsert,
            );
            let written = async {
                let _turn = match &queue {
                    Some(queue) => Some(queue.lock().await),
                    None => None,
                };
                let transaction = db.begin().await?;
                let result = transaction.execute_raw(statement).await?;
                transaction.commit().await?;
                Ok::<_, sea_orm::DbErr>(result.rows_affected())
            }
            .await
            .map_err(|error| error.to_string())?;
            if written != rows.len() as u64 {
                return Err(format!("wrote {written} rows of {}", rows.len()));
            }
            Ok(written)
        }
        .boxed()
    }
}

/// Batch after batch written with one `COPY … FROM STDIN` each, on a connection of the pool
/// (its own transaction): the fastest way PostgreSQL takes new rows, the floor that
/// `recordMeasurements` is compared with. PostgreSQL only.
pub fn copy_operation(
    db: DatabaseConnection,
    target: Arc<Target>,
    batches: Batches,
) -> impl Fn() -> BoxFuture<'static, Outcome> + Clone + Send + 'static {
    let next = Arc::new(AtomicU64::new(0));
    move || {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let pool = db.get_postgres_connection_pool().clone();
        let target = Arc::clone(&target);
        async move {
            let rows = copy_rows(batches, index);
            let text = insert::copy_text(&target, &rows, chrono::Utc::now());
            let written = async {
                let mut connection = pool.acquire().await?;
                let mut copy = connection.copy_in_raw(insert::COPY_STATEMENT).await?;
                copy.send(text.into_bytes()).await?;
                copy.finish().await
            }
            .await
            .map_err(|error: sea_orm::sqlx::Error| error.to_string())?;
            if written != rows.len() as u64 {
                return Err(format!("copied {written} rows of {}", rows.len()));
            }
            Ok(written)
        }
        .boxed()
    }
}

/// The bodies of the first `count` batches, built before the clock starts.
pub fn api_bodies(
    batches: Batches,
    count: u64,
    campaign_ids: &[String],
    revision: i64,
) -> Arc<Vec<(String, u64)>> {
    Arc::new(
        (0..count)
            .map(|index| {
                let rows = batches.range(index);
                (
                    api_body(batches, index, campaign_ids, revision),
                    rows.end - rows.start,
                )
            })
            .collect(),
    )
}

/// Rows of `source` in the table now.
pub async fn count_rows(db: &DatabaseConnection, source: &str) -> anyhow::Result<i64> {
    let backend = db.get_database_backend();
    let placeholder = if backend == sea_orm::DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let row = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            format!("SELECT COUNT(*) FROM \"measurements\" WHERE \"source\" = {placeholder}"),
            [source.into()],
        ))
        .await
        .context("counting measurements")?
        .context("COUNT(*) returned no row")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

#[cfg(test)]
mod tests {
    use super::{Batches, Expect, api_body, check_answer, raw_rows};

    #[test]
    fn batches_cover_the_rows_once() {
        let batches = Batches {
            rows: 2_500,
            batch_size: 1_000,
        };
        assert_eq!(batches.count(), 3);
        assert_eq!(batches.range(0), 0..1_000);
        assert_eq!(batches.range(2), 2_000..2_500);
        assert_eq!(batches.range(3), 2_500..2_500);
    }

    #[test]
    fn an_api_batch_carries_values_external_ids_and_the_campaigns_lever() {
        let batches = Batches {
            rows: 5,
            batch_size: 4,
        };
        let ids = vec!["c0".to_owned(), "c1".to_owned()];
        let body: serde_json::Value =
            serde_json::from_str(&api_body(batches, 1, &ids, 0)).unwrap_or_default();
        let measurements = &body["variables"]["input"]["measurements"];
        assert_eq!(measurements.as_array().map(Vec::len), Some(1));
        let row = &measurements[0];
        // Row 4: 4 % 3 = 1 → clicks, slot 1 → 2 January, campaign 0 (SEO).
        assert_eq!(row["kpiKey"], "clicks");
        assert_eq!(row["date"], "2027-01-02");
        assert_eq!(row["campaignId"], "c0");
        assert_eq!(row["lever"], "SEO");
        assert_eq!(row["externalId"], "bench_api-4");
        assert_eq!(row["source"], "bench_api");
        assert!(
            row["value"]
                .as_str()
                .is_some_and(|v| v.ends_with(".000000"))
        );
        // The raw side writes the same measurements under its own source and ids.
        let raw = raw_rows(batches, 1, 0);
        assert_eq!(raw.len(), 1);
        assert_eq!(raw[0].external_id.as_deref(), Some("bench_raw-4"));
        assert_eq!(
            super::decimal(raw[0].measurement.value_micros),
            row["value"].as_str().unwrap_or_default()
        );
    }

    #[test]
    fn answers_are_checked() {
        let ok = br#"{"data":{"recordMeasurements":{"inserted":3,"updated":0,"userErrors":[]}}}"#;
        assert_eq!(check_answer(ok, 3, Expect::Inserted), Ok(3));
        assert!(check_answer(ok, 3, Expect::Updated).is_err());
        assert!(check_answer(ok, 4, Expect::Inserted).is_err());
        let refused = br#"{"data":{"recordMeasurements":{"inserted":0,"updated":0,"userErrors":[{"field":["x"],"message":"m","code":"c"}]}}}"#;
        assert!(check_answer(refused, 0, Expect::Inserted).is_err());
        assert!(check_answer(br#"{"data":null,"errors":[]}"#, 0, Expect::Inserted).is_err());
        assert!(check_answer(b"<html>", 0, Expect::Inserted).is_err());
    }
}
