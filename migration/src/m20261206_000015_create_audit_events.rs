//! The audit trail: one append-only row per change made through the API, written in the same
//! transaction as the change (see `api/src/store/audit.rs`).

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

use crate::columns::Tenants;

/// Creates `audit_events` and its three indexes.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000015_create_audit_events"
    }
}

#[derive(Clone, Copy, DeriveIden)]
enum AuditEvents {
    Table,
    Seq,
    Id,
    TenantId,
    OccurredAt,
    Txid,
    Action,
    ObjectType,
    ObjectId,
    PlanId,
    ActorSubject,
    ActorKind,
    ActorRole,
    ActorAgency,
    RequestId,
    Before,
    After,
    ChangedFields,
    Details,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // On PostgreSQL each row carries the id of the transaction that wrote it, so that a
        // reader in commit order can tell which rows may still be joined by lower ones; SQLite
        // serialises its writers, so `seq` is already commit order there and `txid` is 0.
        let mut txid = ColumnDef::new(AuditEvents::Txid);
        txid.big_integer().not_null();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                txid.default(Expr::cust("(pg_current_xact_id()::text::bigint)"));
            }
            _ => {
                txid.default(0);
            }
        }
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(AuditEvents::Seq)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::Id)
                            .uuid()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(AuditEvents::TenantId).uuid().not_null())
                    .col(
                        ColumnDef::new(AuditEvents::OccurredAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(txid)
                    .col(
                        ColumnDef::new(AuditEvents::Action)
                            .string_len(40)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::ObjectType)
                            .string_len(60)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditEvents::ObjectId).uuid().not_null())
                    .col(ColumnDef::new(AuditEvents::PlanId).uuid())
                    .col(ColumnDef::new(AuditEvents::ActorSubject).text().not_null())
                    .col(
                        ColumnDef::new(AuditEvents::ActorKind)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditEvents::ActorRole).string_len(20))
                    .col(
                        ColumnDef::new(AuditEvents::ActorAgency)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(ColumnDef::new(AuditEvents::RequestId).string_len(100))
                    .col(ColumnDef::new(AuditEvents::Before).json_binary())
                    .col(ColumnDef::new(AuditEvents::After).json_binary())
                    .col(
                        ColumnDef::new(AuditEvents::ChangedFields)
                            .json_binary()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditEvents::Details).json_binary())
                    .foreign_key(
                        ForeignKey::create()
                            .from_tbl(AuditEvents::Table)
                            .from_col(AuditEvents::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "idx_audit_events_commit_order",
                [AuditEvents::TenantId, AuditEvents::Txid, AuditEvents::Seq].as_slice(),
            ),
            (
                "idx_audit_events_object",
                [
                    AuditEvents::TenantId,
                    AuditEvents::ObjectId,
                    AuditEvents::Seq,
                ]
                .as_slice(),
            ),
            (
                "idx_audit_events_occurred_at",
                [AuditEvents::TenantId, AuditEvents::OccurredAt].as_slice(),
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(AuditEvents::Table);
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEvents::Table).to_owned())
            .await
    }
}
