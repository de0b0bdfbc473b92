//! Tenant-defined KPIs and measurements: the data behind series, objectives and exports.

use sea_orm_migration::prelude::*;

use crate::columns::{tenant_foreign_key, tenant_owned_table, versioned_columns};

/// Creates `tenant_kpi_definitions` and `measurements`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000007_create_measurements"
    }
}

#[derive(DeriveIden)]
enum Plans {
    Table,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
}

#[derive(DeriveIden)]
enum Actions {
    Table,
}

#[derive(DeriveIden)]
enum Personas {
    Table,
}

#[derive(Clone, Copy, DeriveIden)]
enum TenantKpiDefinitions {
    Table,
    TenantId,
    Key,
    Name,
    Description,
    Unit,
    Direction,
    Aggregation,
    NumeratorKey,
    DenominatorKey,
    Scale,
    Offset,
}

#[derive(Clone, Copy, DeriveIden)]
enum Measurements {
    Table,
    TenantId,
    KpiKey,
    Date,
    Grain,
    ValueMicros,
    Source,
    ExternalId,
    PlanId,
    CampaignId,
    ActionId,
    Lever,
    PersonaId,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut kpis = tenant_owned_table(TenantKpiDefinitions::Table);
        kpis.col(
            ColumnDef::new(TenantKpiDefinitions::Key)
                .string_len(64)
                .not_null(),
        )
        .col(
            ColumnDef::new(TenantKpiDefinitions::Name)
                .string_len(200)
                .not_null(),
        )
        .col(
            ColumnDef::new(TenantKpiDefinitions::Description)
                .text()
                .not_null(),
        )
        .col(
            ColumnDef::new(TenantKpiDefinitions::Unit)
                .string_len(16)
                .not_null(),
        )
        .col(
            ColumnDef::new(TenantKpiDefinitions::Direction)
                .string_len(24)
                .not_null(),
        )
        .col(
            ColumnDef::new(TenantKpiDefinitions::Aggregation)
                .string_len(16)
                .not_null(),
        )
        .col(ColumnDef::new(TenantKpiDefinitions::NumeratorKey).string_len(64))
        .col(ColumnDef::new(TenantKpiDefinitions::DenominatorKey).string_len(64))
        .col(
            ColumnDef::new(TenantKpiDefinitions::Scale)
                .string_len(32)
                .not_null(),
        )
        .col(
            ColumnDef::new(TenantKpiDefinitions::Offset)
                .string_len(32)
                .not_null(),
        );
        versioned_columns(&mut kpis);
        manager.create_table(kpis).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tenant_kpi_definitions_key")
                    .table(TenantKpiDefinitions::Table)
                    .col(TenantKpiDefinitions::TenantId)
                    .col(TenantKpiDefinitions::Key)
                    .unique()
                    .to_owned(),
            )
            .await?;

        let mut measurements = tenant_owned_table(Measurements::Table);
        measurements
            .col(
                ColumnDef::new(Measurements::KpiKey)
                    .string_len(64)
                    .not_null(),
            )
            .col(ColumnDef::new(Measurements::Date).date().not_null())
            .col(
                ColumnDef::new(Measurements::Grain)
                    .string_len(16)
                    .not_null()
                    .default("DAY"),
            )
            .col(
                ColumnDef::new(Measurements::ValueMicros)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(Measurements::Source)
                    .string_len(64)
                    .not_null(),
            )
            .col(ColumnDef::new(Measurements::ExternalId).string_len(255))
            .col(ColumnDef::new(Measurements::PlanId).uuid())
            .col(ColumnDef::new(Measurements::CampaignId).uuid())
            .col(ColumnDef::new(Measurements::ActionId).uuid())
            .col(ColumnDef::new(Measurements::Lever).string_len(32))
            .col(ColumnDef::new(Measurements::PersonaId).uuid())
            .col(
                ColumnDef::new(Measurements::CreatedAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            .col(
                ColumnDef::new(Measurements::UpdatedAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            // A measurement tied to a plan, campaign, action or persona goes with it when that is
            // deleted; the composite keys keep every link inside the tenant.
            .foreign_key(&mut tenant_foreign_key(
                Measurements::Table,
                "plan_id",
                Plans::Table,
            ))
            .foreign_key(&mut tenant_foreign_key(
                Measurements::Table,
                "campaign_id",
                Campaigns::Table,
            ))
            .foreign_key(&mut tenant_foreign_key(
                Measurements::Table,
                "action_id",
                Actions::Table,
            ))
            .foreign_key(&mut tenant_foreign_key(
                Measurements::Table,
                "persona_id",
                Personas::Table,
            ));
        manager.create_table(measurements).await?;

        // Re-sending (source, external id) updates the row: the unique key is what makes an
        // ingestion job safe to re-run. Rows without an external id are never matched (NULLs
        // are distinct on both databases).
        manager
            .create_index(
                Index::create()
                    .name("idx_measurements_external")
                    .table(Measurements::Table)
                    .col(Measurements::TenantId)
                    .col(Measurements::Source)
                    .col(Measurements::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Series read one tenant's KPI over a date range; the value and the grouping columns
        // are in the index so that the GROUP BY never touches the table.
        manager
            .create_index(
                Index::create()
                    .name("idx_measurements_series")
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
        for (name, column) in [
            ("idx_measurements_plan", Measurements::PlanId),
            ("idx_measurements_campaign", Measurements::CampaignId),
            ("idx_measurements_action", Measurements::ActionId),
            ("idx_measurements_persona", Measurements::PersonaId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Measurements::Table)
                        .col(Measurements::TenantId)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Measurements::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TenantKpiDefinitions::Table).to_owned())
            .await
    }
}
