//! API keys: long-lived, scoped credentials of a tenant. Only a digest of each secret is stored,
//! with a short prefix to find it by.

use sea_orm_migration::prelude::*;

use crate::columns::{tenant_owned_table, versioned_columns};

/// Creates `api_keys`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000006_create_api_keys"
    }
}

#[derive(Clone, Copy, DeriveIden)]
enum ApiKeys {
    Table,
    Name,
    Prefix,
    SecretHash,
    Scopes,
    CreatedBy,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = tenant_owned_table(ApiKeys::Table);
        table
            .col(ColumnDef::new(ApiKeys::Name).string_len(200).not_null())
            .col(ColumnDef::new(ApiKeys::Prefix).string_len(16).not_null())
            .col(
                ColumnDef::new(ApiKeys::SecretHash)
                    .string_len(64)
                    .not_null(),
            )
            .col(ColumnDef::new(ApiKeys::Scopes).json_binary().not_null())
            .col(
                ColumnDef::new(ApiKeys::CreatedBy)
                    .string_len(255)
                    .not_null(),
            )
            .col(ColumnDef::new(ApiKeys::LastUsedAt).timestamp_with_time_zone())
            .col(ColumnDef::new(ApiKeys::ExpiresAt).timestamp_with_time_zone())
            .col(ColumnDef::new(ApiKeys::RevokedAt).timestamp_with_time_zone());
        versioned_columns(&mut table);
        manager.create_table(table).await?;
        // Authentication finds a key by its prefix before it knows the tenant: this is the one
        // read of the table that is not scoped to a tenant, and the digest decides.
        manager
            .create_index(
                Index::create()
                    .name("idx_api_keys_prefix")
                    .table(ApiKeys::Table)
                    .col(ApiKeys::Prefix)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_keys_secret_hash")
                    .table(ApiKeys::Table)
                    .col(ApiKeys::SecretHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiKeys::Table).to_owned())
            .await
    }
}
