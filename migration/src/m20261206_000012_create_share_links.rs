//! Share links: revocable, expiring read-only access to one plan. Only a digest of each secret
//! is stored, with a short prefix to find it by (as for API keys).

use sea_orm_migration::prelude::*;

use crate::columns::{tenant_foreign_key, tenant_owned_table, versioned_columns};

/// Creates `share_links`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000012_create_share_links"
    }
}

#[derive(Clone, Copy, DeriveIden)]
enum ShareLinks {
    Table,
    PlanId,
    Label,
    Scope,
    Prefix,
    SecretHash,
    CreatedBy,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(Clone, Copy, DeriveIden)]
enum Plans {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = tenant_owned_table(ShareLinks::Table);
        table
            .col(ColumnDef::new(ShareLinks::PlanId).uuid().not_null())
            .col(ColumnDef::new(ShareLinks::Label).string_len(200).not_null())
            .col(ColumnDef::new(ShareLinks::Scope).string_len(16).not_null())
            .col(ColumnDef::new(ShareLinks::Prefix).string_len(16).not_null())
            .col(
                ColumnDef::new(ShareLinks::SecretHash)
                    .string_len(64)
                    .not_null(),
            )
            .col(
                ColumnDef::new(ShareLinks::CreatedBy)
                    .string_len(255)
                    .not_null(),
            )
            .col(ColumnDef::new(ShareLinks::LastUsedAt).timestamp_with_time_zone())
            .col(
                ColumnDef::new(ShareLinks::ExpiresAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            .col(ColumnDef::new(ShareLinks::RevokedAt).timestamp_with_time_zone())
            .foreign_key(&mut tenant_foreign_key(
                ShareLinks::Table,
                "plan_id",
                Plans::Table,
            ));
        versioned_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_share_links_plan")
                    .table(ShareLinks::Table)
                    .col(Alias::new("tenant_id"))
                    .col(ShareLinks::PlanId)
                    .col(Alias::new("id"))
                    .to_owned(),
            )
            .await?;
        // Using a link finds it by its prefix before the tenant is known: the one read of the
        // table that is not scoped to a tenant, and the digest decides.
        manager
            .create_index(
                Index::create()
                    .name("idx_share_links_prefix")
                    .table(ShareLinks::Table)
                    .col(ShareLinks::Prefix)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_share_links_secret_hash")
                    .table(ShareLinks::Table)
                    .col(ShareLinks::SecretHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ShareLinks::Table).to_owned())
            .await
    }
}
