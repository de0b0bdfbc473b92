//! Webhooks: the endpoints a tenant's ADMINs register (where to send, which events, the signing
//! secret, whether it is enabled, and its position in the change feed), and the log of every
//! delivery attempt.
//!
//! The signing secret is stored as is: the server needs it to sign every delivery (an HMAC
//! cannot be checked against a digest). It is returned once, at creation or rotation, and never
//! read back through the API.

use sea_orm_migration::prelude::*;

use crate::columns::{tenant_foreign_key, tenant_owned_table, versioned_columns};

/// Creates `webhook_endpoints` and `webhook_deliveries`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000016_create_webhooks"
    }
}

#[derive(Clone, Copy, DeriveIden)]
enum WebhookEndpoints {
    Table,
    Url,
    Description,
    EventTypes,
    Secret,
    SecretPrefix,
    Enabled,
    DisabledReason,
    DisabledAt,
    ConsecutiveFailures,
    FailingSince,
    NextAttemptAt,
    CursorTxid,
    CursorSeq,
    LeaseOwner,
    LeaseExpiresAt,
    CreatedBy,
}

#[derive(Clone, Copy, DeriveIden)]
enum WebhookDeliveries {
    Table,
    EndpointId,
    EventId,
    EventType,
    Attempt,
    StatusCode,
    Error,
    DurationMs,
    AttemptedAt,
    NextRetryAt,
    Succeeded,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut endpoints = tenant_owned_table(WebhookEndpoints::Table);
        endpoints
            .col(
                ColumnDef::new(WebhookEndpoints::Url)
                    .string_len(2048)
                    .not_null(),
            )
            .col(
                ColumnDef::new(WebhookEndpoints::Description)
                    .string_len(200)
                    .not_null(),
            )
            .col(
                ColumnDef::new(WebhookEndpoints::EventTypes)
                    .json_binary()
                    .not_null(),
            )
            .col(
                ColumnDef::new(WebhookEndpoints::Secret)
                    .string_len(128)
                    .not_null(),
            )
            .col(
                ColumnDef::new(WebhookEndpoints::SecretPrefix)
                    .string_len(16)
                    .not_null(),
            )
            .col(
                ColumnDef::new(WebhookEndpoints::Enabled)
                    .boolean()
                    .not_null()
                    .default(true),
            )
            .col(ColumnDef::new(WebhookEndpoints::DisabledReason).string_len(500))
            .col(ColumnDef::new(WebhookEndpoints::DisabledAt).timestamp_with_time_zone())
            .col(
                ColumnDef::new(WebhookEndpoints::ConsecutiveFailures)
                    .integer()
                    .not_null()
                    .default(0),
            )
            .col(ColumnDef::new(WebhookEndpoints::FailingSince).timestamp_with_time_zone())
            .col(ColumnDef::new(WebhookEndpoints::NextAttemptAt).timestamp_with_time_zone())
            .col(
                ColumnDef::new(WebhookEndpoints::CursorTxid)
                    .big_integer()
                    .not_null()
                    .default(0),
            )
            .col(
                ColumnDef::new(WebhookEndpoints::CursorSeq)
                    .big_integer()
                    .not_null()
                    .default(0),
            )
            .col(ColumnDef::new(WebhookEndpoints::LeaseOwner).string_len(64))
            .col(ColumnDef::new(WebhookEndpoints::LeaseExpiresAt).timestamp_with_time_zone())
            .col(
                ColumnDef::new(WebhookEndpoints::CreatedBy)
                    .string_len(255)
                    .not_null(),
            );
        versioned_columns(&mut endpoints);
        manager.create_table(endpoints).await?;
        // The dispatcher looks for enabled endpoints across tenants.
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_endpoints_enabled")
                    .table(WebhookEndpoints::Table)
                    .col(WebhookEndpoints::Enabled)
                    .to_owned(),
            )
            .await?;

        let mut deliveries = tenant_owned_table(WebhookDeliveries::Table);
        deliveries
            .col(
                ColumnDef::new(WebhookDeliveries::EndpointId)
                    .uuid()
                    .not_null(),
            )
            .col(ColumnDef::new(WebhookDeliveries::EventId).uuid().not_null())
            .col(
                ColumnDef::new(WebhookDeliveries::EventType)
                    .string_len(100)
                    .not_null(),
            )
            .col(
                ColumnDef::new(WebhookDeliveries::Attempt)
                    .integer()
                    .not_null(),
            )
            .col(ColumnDef::new(WebhookDeliveries::StatusCode).integer())
            .col(ColumnDef::new(WebhookDeliveries::Error).string_len(500))
            .col(
                ColumnDef::new(WebhookDeliveries::DurationMs)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(WebhookDeliveries::AttemptedAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            .col(ColumnDef::new(WebhookDeliveries::NextRetryAt).timestamp_with_time_zone())
            .col(
                ColumnDef::new(WebhookDeliveries::Succeeded)
                    .boolean()
                    .not_null(),
            )
            .foreign_key(&mut tenant_foreign_key(
                WebhookDeliveries::Table,
                "endpoint_id",
                WebhookEndpoints::Table,
            ));
        manager.create_table(deliveries).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_endpoint")
                    .table(WebhookDeliveries::Table)
                    .col(Alias::new("tenant_id"))
                    .col(WebhookDeliveries::EndpointId)
                    .col(Alias::new("id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookDeliveries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WebhookEndpoints::Table).to_owned())
            .await
    }
}
