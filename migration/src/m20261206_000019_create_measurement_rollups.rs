//! Daily rollups of measurements: per tenant, KPI, date and every link a measurement carries
//! (plan, campaign, action, lever, persona), the number of rows and the exact sum of their
//! values. Series of sums, ratios of sums and snapshots read them instead of the raw rows.
//!
//! They are kept by triggers on `measurements`, in the transaction of the statement that
//! changes the rows, whatever that statement is: a batch of `recordMeasurements` (insert or
//! re-sent rows), a deletion (of measurements, or cascading from a campaign, plan, action or
//! persona), a currency conversion. Each sum is kept split as the series read it (see
//! `api/src/store/sum.rs`): `value_high` = Σ (value >> 32), `value_low` = Σ (value & 0xFFFFFFFF),
//! each exact in 64 bits for up to 2³¹ rows. A group whose last row goes is deleted, so a rollup
//! exists exactly where measurements do.
//!
//! PostgreSQL: three statement-level triggers with transition tables (one grouped upsert per
//! statement, whatever its number of rows) and a unique index whose NULLs are not distinct.
//! SQLite: row-level triggers (SQLite has no statement-level ones), one index look-up per row.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

use crate::columns::tenant_owned_table;

/// Creates `measurement_rollups`, fills it from the existing measurements and installs the
/// triggers that keep it.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000019_create_measurement_rollups"
    }
}

#[derive(Clone, Copy, DeriveIden)]
enum MeasurementRollups {
    Table,
    KpiKey,
    Date,
    PlanId,
    CampaignId,
    ActionId,
    Lever,
    PersonaId,
    RowCount,
    ValueHigh,
    ValueLow,
}

/// The grouping key, in the order of the unique index.
const KEY: &str = "\"tenant_id\", \"kpi_key\", \"date\", \"plan_id\", \"campaign_id\", \
                   \"action_id\", \"lever\", \"persona_id\"";

/// The existing measurements, grouped (the rollups of a database migrated with data).
const BACKFILL_POSTGRES: &str = r#"
INSERT INTO "measurement_rollups" ("tenant_id", "id", "kpi_key", "date", "plan_id",
    "campaign_id", "action_id", "lever", "persona_id", "row_count", "value_high", "value_low")
SELECT "tenant_id", gen_random_uuid(), "kpi_key", "date", "plan_id", "campaign_id",
    "action_id", "lever", "persona_id", COUNT(*), CAST(SUM("value_micros" >> 32) AS BIGINT),
    CAST(SUM("value_micros" & 4294967295) AS BIGINT)
FROM "measurements"
GROUP BY "tenant_id", "kpi_key", "date", "plan_id", "campaign_id", "action_id", "lever", "persona_id"
"#;

const BACKFILL_SQLITE: &str = r#"
INSERT INTO "measurement_rollups" ("tenant_id", "id", "kpi_key", "date", "plan_id",
    "campaign_id", "action_id", "lever", "persona_id", "row_count", "value_high", "value_low")
SELECT "tenant_id", randomblob(16), "kpi_key", "date", "plan_id", "campaign_id",
    "action_id", "lever", "persona_id", COUNT(*), SUM("value_micros" >> 32),
    SUM("value_micros" & 4294967295)
FROM "measurements"
GROUP BY "tenant_id", "kpi_key", "date", "plan_id", "campaign_id", "action_id", "lever", "persona_id"
"#;

/// PostgreSQL: the signed changes of a statement (`delta` rows: key, count, high, low) added to
/// the rollups in one upsert, in key order (so that concurrent writers lock rollups in the same
/// order); then, when the statement had old rows (`emptied`), the groups left without rows
/// deleted.
fn postgres_apply(delta: &str, emptied: bool) -> String {
    format!(
        r#"
    INSERT INTO "measurement_rollups" AS r ("tenant_id", "id", "kpi_key", "date", "plan_id",
        "campaign_id", "action_id", "lever", "persona_id", "row_count", "value_high", "value_low")
    SELECT "tenant_id", gen_random_uuid(), "kpi_key", "date", "plan_id", "campaign_id",
        "action_id", "lever", "persona_id", CAST(SUM("n") AS BIGINT), CAST(SUM("high") AS BIGINT),
        CAST(SUM("low") AS BIGINT)
    FROM ({delta}) AS "delta"
    GROUP BY {KEY}
    HAVING SUM("n") <> 0 OR SUM("high") <> 0 OR SUM("low") <> 0
    ORDER BY {KEY}
    ON CONFLICT ({KEY}) DO UPDATE SET
        "row_count" = r."row_count" + EXCLUDED."row_count",
        "value_high" = r."value_high" + EXCLUDED."value_high",
        "value_low" = r."value_low" + EXCLUDED."value_low";
{}"#,
        if emptied {
            postgres_delete_emptied()
        } else {
            ""
        }
    )
}

/// PostgreSQL: deletes the rollups of the statement's old rows that have no row left (only a
/// group that lost rows can be empty), found by their key.
fn postgres_delete_emptied() -> &'static str {
    r#"
    DELETE FROM "measurement_rollups" AS r
    USING (SELECT DISTINCT "tenant_id", "kpi_key", "date", "plan_id", "campaign_id",
               "action_id", "lever", "persona_id" FROM "old_rows") AS t
    WHERE r."row_count" = 0 AND r."tenant_id" = t."tenant_id" AND r."kpi_key" = t."kpi_key"
        AND r."date" = t."date"
        AND r."plan_id" IS NOT DISTINCT FROM t."plan_id"
        AND r."campaign_id" IS NOT DISTINCT FROM t."campaign_id"
        AND r."action_id" IS NOT DISTINCT FROM t."action_id"
        AND r."lever" IS NOT DISTINCT FROM t."lever"
        AND r."persona_id" IS NOT DISTINCT FROM t."persona_id";"#
}

/// PostgreSQL: the deleted rows taken out of their rollups, then the groups left without rows
/// deleted. An update, not an upsert: when a tenant goes, its rollups may be gone before its
/// measurements are (both cascade), and nothing is left to subtract from.
fn postgres_subtract() -> String {
    format!(
        r#"
    UPDATE "measurement_rollups" AS r SET
        "row_count" = r."row_count" - d."n",
        "value_high" = r."value_high" - d."high",
        "value_low" = r."value_low" - d."low"
    FROM (SELECT {KEY}, COUNT(*) AS "n", SUM("value_micros" >> 32) AS "high",
              SUM("value_micros" & 4294967295) AS "low"
          FROM "old_rows" GROUP BY {KEY} ORDER BY {KEY}) AS d
    WHERE r."tenant_id" = d."tenant_id" AND r."kpi_key" = d."kpi_key" AND r."date" = d."date"
        AND r."plan_id" IS NOT DISTINCT FROM d."plan_id"
        AND r."campaign_id" IS NOT DISTINCT FROM d."campaign_id"
        AND r."action_id" IS NOT DISTINCT FROM d."action_id"
        AND r."lever" IS NOT DISTINCT FROM d."lever"
        AND r."persona_id" IS NOT DISTINCT FROM d."persona_id";{}"#,
        postgres_delete_emptied()
    )
}

/// `SELECT key, ±1, ±high, ±low FROM <table>`.
fn postgres_rows(table: &str, sign: &str) -> String {
    format!(
        "SELECT {KEY}, {sign}1 AS \"n\", {sign}(\"value_micros\" >> 32) AS \"high\", \
         {sign}(\"value_micros\" & 4294967295) AS \"low\" FROM {table}"
    )
}

fn postgres_statements() -> Vec<String> {
    let inserted = postgres_rows("\"new_rows\"", "");
    let updated = format!(
        "{} UNION ALL {}",
        postgres_rows("\"old_rows\"", "-"),
        postgres_rows("\"new_rows\"", "")
    );
    let function = |name: &str, delta: &str, emptied: bool| {
        format!(
            "CREATE FUNCTION \"{name}\"() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN{}\n    RETURN NULL;\nEND\n$$",
            postgres_apply(delta, emptied)
        )
    };
    vec![
        // Room on each page, so that a rollup's new sums (no indexed column changes) are
        // written beside the old ones (a HOT update, no index entry), as every batch does.
        "ALTER TABLE \"measurement_rollups\" SET (fillfactor = 70)".to_owned(),
        format!(
            "CREATE UNIQUE INDEX \"idx_measurement_rollups_key\" ON \"measurement_rollups\" \
             ({KEY}) NULLS NOT DISTINCT"
        ),
        BACKFILL_POSTGRES.to_owned(),
        function("measurement_rollups_insert", &inserted, false),
        function("measurement_rollups_update", &updated, true),
        format!(
            "CREATE FUNCTION \"measurement_rollups_delete\"() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN{}\n    RETURN NULL;\nEND\n$$",
            postgres_subtract()
        ),
        "CREATE TRIGGER \"measurement_rollups_insert\" AFTER INSERT ON \"measurements\" \
         REFERENCING NEW TABLE AS \"new_rows\" FOR EACH STATEMENT \
         EXECUTE FUNCTION \"measurement_rollups_insert\"()"
            .to_owned(),
        "CREATE TRIGGER \"measurement_rollups_update\" AFTER UPDATE ON \"measurements\" \
         REFERENCING OLD TABLE AS \"old_rows\" NEW TABLE AS \"new_rows\" FOR EACH STATEMENT \
         EXECUTE FUNCTION \"measurement_rollups_update\"()"
            .to_owned(),
        "CREATE TRIGGER \"measurement_rollups_delete\" AFTER DELETE ON \"measurements\" \
         REFERENCING OLD TABLE AS \"old_rows\" FOR EACH STATEMENT \
         EXECUTE FUNCTION \"measurement_rollups_delete\"()"
            .to_owned(),
        "ANALYZE \"measurement_rollups\"".to_owned(),
    ]
}

/// SQLite: the rollup of `row` (`NEW` or `OLD`), matched with `IS` (NULL-safe, and indexed).
fn sqlite_match(row: &str) -> String {
    format!(
        "\"tenant_id\" = {row}.\"tenant_id\" AND \"kpi_key\" = {row}.\"kpi_key\" \
         AND \"date\" = {row}.\"date\" AND \"plan_id\" IS {row}.\"plan_id\" \
         AND \"campaign_id\" IS {row}.\"campaign_id\" AND \"action_id\" IS {row}.\"action_id\" \
         AND \"lever\" IS {row}.\"lever\" AND \"persona_id\" IS {row}.\"persona_id\""
    )
}

/// SQLite: adds `NEW`'s row to its rollup, creating the rollup first if it has none.
fn sqlite_add() -> String {
    let matched = sqlite_match("NEW");
    format!(
        "INSERT INTO \"measurement_rollups\" (\"tenant_id\", \"id\", \"kpi_key\", \"date\", \
         \"plan_id\", \"campaign_id\", \"action_id\", \"lever\", \"persona_id\", \"row_count\", \
         \"value_high\", \"value_low\") \
         SELECT NEW.\"tenant_id\", randomblob(16), NEW.\"kpi_key\", NEW.\"date\", NEW.\"plan_id\", \
         NEW.\"campaign_id\", NEW.\"action_id\", NEW.\"lever\", NEW.\"persona_id\", 0, 0, 0 \
         WHERE NOT EXISTS (SELECT 1 FROM \"measurement_rollups\" WHERE {matched}); \
         UPDATE \"measurement_rollups\" SET \"row_count\" = \"row_count\" + 1, \
         \"value_high\" = \"value_high\" + (NEW.\"value_micros\" >> 32), \
         \"value_low\" = \"value_low\" + (NEW.\"value_micros\" & 4294967295) WHERE {matched};"
    )
}

/// SQLite: takes `OLD`'s row out of its rollup, deleting the rollup when it has no row left.
fn sqlite_remove() -> String {
    let matched = sqlite_match("OLD");
    format!(
        "UPDATE \"measurement_rollups\" SET \"row_count\" = \"row_count\" - 1, \
         \"value_high\" = \"value_high\" - (OLD.\"value_micros\" >> 32), \
         \"value_low\" = \"value_low\" - (OLD.\"value_micros\" & 4294967295) WHERE {matched}; \
         DELETE FROM \"measurement_rollups\" WHERE {matched} AND \"row_count\" = 0;"
    )
}

fn sqlite_statements() -> Vec<String> {
    vec![
        format!("CREATE INDEX \"idx_measurement_rollups_key\" ON \"measurement_rollups\" ({KEY})"),
        BACKFILL_SQLITE.to_owned(),
        format!(
            "CREATE TRIGGER \"measurement_rollups_insert\" AFTER INSERT ON \"measurements\" \
             BEGIN {} END",
            sqlite_add()
        ),
        format!(
            "CREATE TRIGGER \"measurement_rollups_update\" AFTER UPDATE OF \"tenant_id\", \
             \"kpi_key\", \"date\", \"value_micros\", \"plan_id\", \"campaign_id\", \
             \"action_id\", \"lever\", \"persona_id\" ON \"measurements\" BEGIN {} {} END",
            sqlite_remove(),
            sqlite_add()
        ),
        format!(
            "CREATE TRIGGER \"measurement_rollups_delete\" AFTER DELETE ON \"measurements\" \
             BEGIN {} END",
            sqlite_remove()
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut rollups = tenant_owned_table(MeasurementRollups::Table);
        rollups
            .col(
                ColumnDef::new(MeasurementRollups::KpiKey)
                    .string_len(64)
                    .not_null(),
            )
            .col(ColumnDef::new(MeasurementRollups::Date).date().not_null())
            .col(ColumnDef::new(MeasurementRollups::PlanId).uuid())
            .col(ColumnDef::new(MeasurementRollups::CampaignId).uuid())
            .col(ColumnDef::new(MeasurementRollups::ActionId).uuid())
            .col(ColumnDef::new(MeasurementRollups::Lever).string_len(32))
            .col(ColumnDef::new(MeasurementRollups::PersonaId).uuid())
            .col(
                ColumnDef::new(MeasurementRollups::RowCount)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(MeasurementRollups::ValueHigh)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(MeasurementRollups::ValueLow)
                    .big_integer()
                    .not_null(),
            );
        manager.create_table(rollups).await?;
        // A plan's series (day × campaign of one plan) reads its own rollups only.
        manager
            .create_index(
                Index::create()
                    .name("idx_measurement_rollups_plan")
                    .table(MeasurementRollups::Table)
                    .col(Alias::new("tenant_id"))
                    .col(MeasurementRollups::PlanId)
                    .col(MeasurementRollups::KpiKey)
                    .col(MeasurementRollups::Date)
                    .to_owned(),
            )
            .await?;
        let statements = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_statements(),
            _ => sqlite_statements(),
        };
        for statement in statements {
            manager
                .get_connection()
                .execute_unprepared(&statement)
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        for trigger in [
            "measurement_rollups_insert",
            "measurement_rollups_update",
            "measurement_rollups_delete",
        ] {
            let statement = match manager.get_database_backend() {
                DbBackend::Postgres => {
                    format!("DROP TRIGGER IF EXISTS \"{trigger}\" ON \"measurements\"")
                }
                _ => format!("DROP TRIGGER IF EXISTS \"{trigger}\""),
            };
            connection.execute_unprepared(&statement).await?;
            if manager.get_database_backend() == DbBackend::Postgres {
                connection
                    .execute_unprepared(&format!("DROP FUNCTION IF EXISTS \"{trigger}\"()"))
                    .await?;
            }
        }
        manager
            .drop_table(Table::drop().table(MeasurementRollups::Table).to_owned())
            .await
    }
}
