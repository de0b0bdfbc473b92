//! SQLite only: the measurements' series index, (tenant, KPI, date, lever, campaign, value),
//! is replaced by (tenant, KPI, id).
//!
//! Series of sums, ratios and snapshots read the daily rollups since `m20261206_000019`; what
//! still reads raw rows by KPI (non-additive series, the measurements list and export filtered
//! by KPI, whether a KPI is in use) finds them by KPI in the new index. Its worth is at
//! ingestion: a batch's rows spread over many days, so the old index took them at as many
//! places, each a page written again at every commit, while ids are time-ordered (UUID v7) and
//! the new index takes a batch's rows at the end of each KPI's range. On SQLite, whose one
//! writer does all of a batch's work, that index cost two thirds of an insert: the server's
//! batch statement (Python's `sqlite3`, 1 000 rows a transaction, on a file of 100 000 rows)
//! wrote 12 300–13 400 rows/s with it and 34 100–41 200 with the new one (`bench/README.md`,
//! issue 13). PostgreSQL keeps its index: several
//! writers share the work there, and the plans measured at 10 million rows rely on it.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

/// Replaces the series index on SQLite.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000020_index_sqlite_measurements_by_kpi"
    }
}

#[derive(Clone, Copy, DeriveIden)]
enum Measurements {
    Table,
    TenantId,
    KpiKey,
    Id,
    Date,
    Lever,
    CampaignId,
    ValueMicros,
}

const SERIES_INDEX: &str = "idx_measurements_series";
const KPI_INDEX: &str = "idx_measurements_kpi";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        manager
            .create_index(
                Index::create()
                    .name(KPI_INDEX)
                    .table(Measurements::Table)
                    .col(Measurements::TenantId)
                    .col(Measurements::KpiKey)
                    .col(Measurements::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(SERIES_INDEX)
                    .table(Measurements::Table)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        manager
            .create_index(
                Index::create()
                    .name(SERIES_INDEX)
                    .table(Measurements::Table)
                    .col(Measurements::TenantId)
                    .col(Measurements::KpiKey)
                    .col(Measurements::Date)
                    .col(Measurements::Lever)
                    .col(Measurements::CampaignId)
                    .col(Measurements::ValueMicros)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(KPI_INDEX)
                    .table(Measurements::Table)
                    .to_owned(),
            )
            .await
    }
}
