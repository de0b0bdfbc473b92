//! Unit tests of the statements' shapes and of the slow-statement line.

use std::time::Duration;

use sea_orm::{
    DbBackend, Statement,
    metric::Info,
    sea_query::{Alias, Query},
};

use super::*;
use crate::{config::LogFormat, telemetry::tests::Captured};

/// The values of row `row`: tenants' data a log must never show.
fn row_values(row: usize) -> (String, String, i64) {
    (
        format!("secret-kpi-{row:04}"),
        format!("Client confidentiel n°{row:04}"),
        987_650_000 + i64::try_from(row).unwrap_or_default(),
    )
}

/// A 1,000-row INSERT as SeaORM builds it for `backend`, with its values bound.
fn thousand_row_insert(backend: DbBackend) -> Statement {
    let mut insert = Query::insert();
    insert.into_table(Alias::new("measurements")).columns([
        Alias::new("kpi_key"),
        Alias::new("source"),
        Alias::new("value_micros"),
    ]);
    for row in 0..1_000 {
        let (kpi, source, value) = row_values(row);
        insert.values_panic([kpi.into(), source.into(), value.into()]);
    }
    backend.build(&insert)
}

/// True when `text` shows one of the statement's values, or a piece of one.
fn shows_a_value(text: &str) -> bool {
    (0..1_000).any(|row| {
        let (kpi, source, value) = row_values(row);
        text.contains(&kpi) || text.contains(&source) || text.contains(&value.to_string())
    }) || text.contains("secret-kpi")
        || text.contains("confidentiel")
        || text.contains("98765")
}

#[test]
fn a_thousand_row_insert_logs_a_short_line_without_any_value() {
    for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
        let statement = thousand_row_insert(backend);
        // What the warning used to log: every value inlined.
        let inlined = statement.to_string();
        assert!(
            inlined.len() > 50_000 && shows_a_value(&inlined),
            "{backend:?}"
        );

        let captured = Captured::default();
        captured.run(LogFormat::Text, false, || {
            observe(&Info {
                elapsed: Duration::from_millis(350),
                statement: &statement,
                failed: false,
            });
        });
        let text = captured.text();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            text.len() < 600,
            "{backend:?}: {} bytes: {text}",
            text.len()
        );
        assert!(!shows_a_value(&text), "{backend:?}: {text}");
        assert!(text.contains("slow statement"), "{text}");
        assert!(text.contains("elapsed_ms=350"), "{text}");
        assert!(text.contains("parameters=3000"), "{text}");
        assert!(text.contains("+999 rows"), "{text}");
        assert!(
            text.contains(
                r#"INSERT INTO "measurements" ("kpi_key", "source", "value_micros") VALUES "#
            ),
            "{text}"
        );
    }
}

#[test]
fn a_fast_statement_logs_nothing() {
    let statement = thousand_row_insert(DbBackend::Sqlite);
    let captured = Captured::default();
    captured.run(LogFormat::Text, false, || {
        observe(&Info {
            elapsed: Duration::from_millis(20),
            statement: &statement,
            failed: false,
        });
    });
    assert_eq!(captured.text(), "");
}

#[test]
fn the_shape_keeps_one_row_of_placeholders() {
    assert_eq!(
        shape(&thousand_row_insert(DbBackend::Postgres).sql),
        r#"INSERT INTO "measurements" ("kpi_key", "source", "value_micros") VALUES ($1, $2, $3) /* +999 rows */"#
    );
    assert_eq!(
        shape(&thousand_row_insert(DbBackend::Sqlite).sql),
        r#"INSERT INTO "measurements" ("kpi_key", "source", "value_micros") VALUES (?, ?, ?) /* +999 rows */"#
    );
}

#[test]
fn literals_are_masked_and_identifiers_kept() {
    assert_eq!(
        shape(
            r#"SELECT "t1"."name", 'O''Brien' AS x FROM "t1" WHERE "amount" > 42.5 AND "id" = $1 AND "values" = 'a' LIMIT 20"#
        ),
        r#"SELECT "t1"."name", ? AS x FROM "t1" WHERE "amount" > ? AND "id" = $1 AND "values" = ? LIMIT ?"#
    );
}

#[test]
fn a_long_in_list_is_collapsed() {
    let list = (1..=500)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ");
    assert_eq!(
        shape(&format!(
            r#"SELECT * FROM "plans" WHERE "id" IN ({list}) AND "tenant_id" = $501"#
        )),
        r#"SELECT * FROM "plans" WHERE "id" IN ($1, $2, $3, … /* +497 */) AND "tenant_id" = $501"#
    );
    // Up to ten stay as they are.
    let short = "SELECT * FROM t WHERE id IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    assert_eq!(shape(short), short);
}

#[test]
fn a_very_long_shape_is_cut_and_the_cut_counted() {
    let columns = (0..400)
        .map(|n| format!("\"column_{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT {columns} FROM \"wide\"");
    let shaped = shape(&sql);
    let cut = sql.chars().count() - MAX_SHAPE_CHARS;
    assert!(shaped.starts_with(&sql[..MAX_SHAPE_CHARS]), "{shaped}");
    assert!(
        shaped.ends_with(&format!("… /* {cut} more characters */")),
        "{shaped}"
    );
}

#[test]
fn the_operation_is_the_first_keyword() {
    assert_eq!(operation("select 1"), "SELECT");
    assert_eq!(operation("  INSERT INTO t"), "INSERT");
    assert_eq!(operation(""), "SQL");
}
