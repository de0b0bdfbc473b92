//! Raw multi-row `INSERT`s into `measurements`, bypassing the API: used to seed the million rows
//! and as the baseline of ingestion. Values are bound through SeaORM, so that UUIDs, dates and
//! timestamps are encoded exactly as the entity writes them on either database (on SQLite:
//! UUIDs as 16-byte blobs, dates as `YYYY-MM-DD` text, timestamps as RFC 3339 text).

use chrono::{DateTime, Utc};
use sea_orm::{DbBackend, Statement, Value};
use uuid::Uuid;

use super::data::Measurement;

/// The ids a generated measurement needs to become a row.
#[derive(Debug, Clone)]
pub struct Target {
    /// The bench tenant.
    pub tenant_id: Uuid,
    /// Campaign ids by index, with their plan id.
    pub campaigns: Vec<(Uuid, Uuid)>,
}

/// One row to insert.
#[derive(Debug, Clone)]
pub struct Row {
    /// The measurement.
    pub measurement: Measurement,
    /// `source`.
    pub source: &'static str,
    /// `external_id`, unique per source when set.
    pub external_id: Option<String>,
}

/// Columns written, in order. `grain` is always `DAY`; `action_id` and `persona_id` are NULL.
const COLUMNS: &str = "\"tenant_id\", \"id\", \"kpi_key\", \"date\", \"grain\", \"value_micros\", \
     \"source\", \"external_id\", \"plan_id\", \"campaign_id\", \"action_id\", \"lever\", \
     \"persona_id\", \"created_at\", \"updated_at\"";

/// Values bound per row.
pub const BINDS_PER_ROW: usize = 12;

/// One `INSERT INTO measurements … VALUES (…), (…)` of `rows`, with fresh UUID v7 ids and `now`
/// as both timestamps. With `upsert`, a row whose (tenant, source, external id) exists updates
/// its value and `updated_at` instead, as re-sending does through the API.
pub fn statement(
    backend: DbBackend,
    target: &Target,
    rows: &[Row],
    now: DateTime<Utc>,
    upsert: bool,
) -> Statement {
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * BINDS_PER_ROW);
    let mut sql = String::with_capacity(64 + rows.len() * 80);
    sql.push_str("INSERT INTO \"measurements\" (");
    sql.push_str(COLUMNS);
    sql.push_str(") VALUES ");
    let placeholder = |values: &mut Vec<Value>, value: Value| -> String {
        values.push(value);
        match backend {
            DbBackend::Postgres => format!("${}", values.len()),
            _ => "?".to_owned(),
        }
    };
    for (index, row) in rows.iter().enumerate() {
        let m = &row.measurement;
        let (campaign_id, plan_id) = target
            .campaigns
            .get(m.campaign % target.campaigns.len().max(1))
            .copied()
            .unwrap_or_default();
        let fields = [
            placeholder(&mut values, target.tenant_id.into()),
            placeholder(&mut values, Uuid::now_v7().into()),
            placeholder(&mut values, m.kpi_key.into()),
            placeholder(&mut values, m.date.into()),
            "'DAY'".to_owned(),
            placeholder(&mut values, m.value_micros.into()),
            placeholder(&mut values, row.source.into()),
            placeholder(&mut values, row.external_id.clone().into()),
            placeholder(&mut values, plan_id.into()),
            placeholder(&mut values, campaign_id.into()),
            "NULL".to_owned(),
            placeholder(&mut values, m.lever().into()),
            "NULL".to_owned(),
            placeholder(&mut values, now.into()),
            placeholder(&mut values, now.into()),
        ];
        if index > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        sql.push_str(&fields.join(", "));
        sql.push(')');
    }
    if upsert {
        sql.push_str(
            " ON CONFLICT (\"tenant_id\", \"source\", \"external_id\") DO UPDATE SET \
             \"value_micros\" = excluded.\"value_micros\", \"updated_at\" = excluded.\"updated_at\"",
        );
    }
    Statement::from_sql_and_values(backend, sql, values)
}

/// The `COPY` that [`copy_text`]'s rows feed (PostgreSQL's text format; `action_id` and
/// `persona_id` are left to their default, NULL).
pub const COPY_STATEMENT: &str = "COPY \"measurements\" (\"tenant_id\", \"id\", \"kpi_key\", \
     \"date\", \"grain\", \"value_micros\", \"source\", \"external_id\", \"plan_id\", \
     \"campaign_id\", \"lever\", \"created_at\", \"updated_at\") FROM STDIN";

/// `rows` as the lines of a `COPY … FROM STDIN` in PostgreSQL's text format, with fresh UUID v7
/// ids and `now` as both timestamps: the same rows [`statement`] writes. No generated value
/// holds a tab, a newline or a backslash, so none needs escaping.
pub fn copy_text(target: &Target, rows: &[Row], now: DateTime<Utc>) -> String {
    use std::fmt::Write as _;
    let now = now.to_rfc3339();
    let mut text = String::with_capacity(rows.len() * 200);
    for row in rows {
        let m = &row.measurement;
        let (campaign_id, plan_id) = target
            .campaigns
            .get(m.campaign % target.campaigns.len().max(1))
            .copied()
            .unwrap_or_default();
        // Writing to a String cannot fail.
        let _ = writeln!(
            text,
            "{}\t{}\t{}\t{}\tDAY\t{}\t{}\t{}\t{}\t{}\t{}\t{now}\t{now}",
            target.tenant_id,
            Uuid::now_v7(),
            m.kpi_key,
            m.date,
            m.value_micros,
            row.source,
            row.external_id.as_deref().unwrap_or("\\N"),
            plan_id,
            campaign_id,
            m.lever(),
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, Value};
    use uuid::Uuid;

    use super::{BINDS_PER_ROW, Row, Target, statement};
    use crate::kpi::data::measurement;

    fn target() -> Target {
        Target {
            tenant_id: Uuid::from_u128(1),
            campaigns: vec![
                (Uuid::from_u128(10), Uuid::from_u128(100)),
                (Uuid::from_u128(11), Uuid::from_u128(100)),
            ],
        }
    }

    fn rows(count: u64) -> Vec<Row> {
        (0..count)
            .map(|i| Row {
                measurement: measurement(0, i, 0),
                source: "bench_raw",
                external_id: Some(format!("raw-{i}")),
            })
            .collect()
    }

    #[test]
    fn copy_text_writes_one_line_of_thirteen_columns_per_row() {
        let text = super::copy_text(&target(), &rows(3), chrono::Utc::now());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        for line in lines {
            let columns: Vec<&str> = line.split('\t').collect();
            assert_eq!(columns.len(), 13, "{line}");
            assert_eq!(columns[4], "DAY");
            assert!(columns[7].starts_with("raw-"), "{line}");
        }
        assert_eq!(
            super::COPY_STATEMENT.matches("\"").count() / 2,
            14,
            "the table and its 13 columns"
        );
    }

    #[test]
    fn postgres_numbers_every_placeholder() {
        let now = chrono::Utc::now();
        let built = statement(DbBackend::Postgres, &target(), &rows(2), now, false);
        let values = built.values.map(|v| v.0).unwrap_or_default();
        assert_eq!(values.len(), 2 * BINDS_PER_ROW);
        assert!(
            built
                .sql
                .starts_with("INSERT INTO \"measurements\" (\"tenant_id\", \"id\", ")
        );
        assert!(built.sql.contains(
            "VALUES ($1, $2, $3, $4, 'DAY', $5, $6, $7, $8, $9, NULL, $10, NULL, $11, $12), \
             ($13, $14, $15, $16, 'DAY', $17,"
        ));
        assert!(built.sql.ends_with("$24)"));
        assert_eq!(values[0], Value::from(Uuid::from_u128(1)));
        assert_eq!(values[2], Value::from("impressions"));
        assert_eq!(values[6], Value::from(Some("raw-0".to_owned())));
        // Campaign 0 and its plan.
        assert_eq!(values[7], Value::from(Uuid::from_u128(100)));
        assert_eq!(values[8], Value::from(Uuid::from_u128(10)));
        assert_eq!(values[9], Value::from("SEO"));
        assert_eq!(values[14], Value::from("clicks"));
    }

    #[test]
    fn sqlite_uses_question_marks_and_upsert_updates_the_value() {
        let now = chrono::Utc::now();
        let built = statement(DbBackend::Sqlite, &target(), &rows(3), now, true);
        assert_eq!(built.sql.matches('?').count(), 3 * BINDS_PER_ROW);
        assert!(!built.sql.contains('$'));
        assert!(built.sql.ends_with(
            "ON CONFLICT (\"tenant_id\", \"source\", \"external_id\") DO UPDATE SET \
             \"value_micros\" = excluded.\"value_micros\", \"updated_at\" = excluded.\"updated_at\""
        ));
    }
}
