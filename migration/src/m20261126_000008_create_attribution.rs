//! Touchpoints and conversions: the journeys that attribution credits to levers and campaigns.

use sea_orm_migration::prelude::*;

use crate::columns::{tenant_foreign_key, tenant_owned_table};

/// Creates `touchpoints` and `conversions`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000008_create_attribution"
    }
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
}

#[derive(Clone, Copy, DeriveIden)]
enum Touchpoints {
    Table,
    TenantId,
    JourneyId,
    OccurredAt,
    Lever,
    CampaignId,
    Source,
    ExternalId,
    CreatedAt,
    UpdatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
enum Conversions {
    Table,
    TenantId,
    JourneyId,
    OccurredAt,
    ValueMicros,
    Source,
    ExternalId,
    CreatedAt,
    UpdatedAt,
}

/// `created_at` and `updated_at` (these rows are re-recorded, never edited: no version).
fn timestamps(table: &mut TableCreateStatement, created: impl IntoIden, updated: impl IntoIden) {
    table
        .col(
            ColumnDef::new(created)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(
            ColumnDef::new(updated)
                .timestamp_with_time_zone()
                .not_null(),
        );
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut touchpoints = tenant_owned_table(Touchpoints::Table);
        touchpoints
            .col(
                ColumnDef::new(Touchpoints::JourneyId)
                    .string_len(255)
                    .not_null(),
            )
            .col(
                ColumnDef::new(Touchpoints::OccurredAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            .col(ColumnDef::new(Touchpoints::Lever).string_len(32).not_null())
            .col(ColumnDef::new(Touchpoints::CampaignId).uuid())
            .col(
                ColumnDef::new(Touchpoints::Source)
                    .string_len(64)
                    .not_null()
                    .default("manual"),
            )
            .col(
                ColumnDef::new(Touchpoints::ExternalId)
                    .string_len(255)
                    .not_null(),
            )
            // A touchpoint of a deleted campaign goes with it; the composite key keeps the link
            // inside the tenant.
            .foreign_key(&mut tenant_foreign_key(
                Touchpoints::Table,
                "campaign_id",
                Campaigns::Table,
            ));
        timestamps(
            &mut touchpoints,
            Touchpoints::CreatedAt,
            Touchpoints::UpdatedAt,
        );
        manager.create_table(touchpoints).await?;

        let mut conversions = tenant_owned_table(Conversions::Table);
        conversions
            .col(
                ColumnDef::new(Conversions::JourneyId)
                    .string_len(255)
                    .not_null(),
            )
            .col(
                ColumnDef::new(Conversions::OccurredAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            .col(
                ColumnDef::new(Conversions::ValueMicros)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(Conversions::Source)
                    .string_len(64)
                    .not_null()
                    .default("manual"),
            )
            .col(
                ColumnDef::new(Conversions::ExternalId)
                    .string_len(255)
                    .not_null(),
            );
        timestamps(
            &mut conversions,
            Conversions::CreatedAt,
            Conversions::UpdatedAt,
        );
        manager.create_table(conversions).await?;

        // Re-sending (source, external id) updates the row: what makes an ingestion job safe to
        // re-run, and the conflict target of the batch upsert.
        manager
            .create_index(
                Index::create()
                    .name("idx_touchpoints_external")
                    .table(Touchpoints::Table)
                    .col(Touchpoints::TenantId)
                    .col(Touchpoints::Source)
                    .col(Touchpoints::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_conversions_external")
                    .table(Conversions::Table)
                    .col(Conversions::TenantId)
                    .col(Conversions::Source)
                    .col(Conversions::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A report reads the touches of the converting journeys, in time order.
        manager
            .create_index(
                Index::create()
                    .name("idx_touchpoints_journey")
                    .table(Touchpoints::Table)
                    .col(Touchpoints::TenantId)
                    .col(Touchpoints::JourneyId)
                    .col(Touchpoints::OccurredAt)
                    .to_owned(),
            )
            .await?;
        // Deleting a campaign cascades to its touchpoints without scanning the table.
        manager
            .create_index(
                Index::create()
                    .name("idx_touchpoints_campaign")
                    .table(Touchpoints::Table)
                    .col(Touchpoints::TenantId)
                    .col(Touchpoints::CampaignId)
                    .to_owned(),
            )
            .await?;
        // A report reads the conversions of a time range.
        manager
            .create_index(
                Index::create()
                    .name("idx_conversions_occurred")
                    .table(Conversions::Table)
                    .col(Conversions::TenantId)
                    .col(Conversions::OccurredAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Conversions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Touchpoints::Table).to_owned())
            .await
    }
}
