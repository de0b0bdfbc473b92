//! Tenant settings become editable by an ADMIN: the tenant row gets the optimistic-concurrency
//! version every other editable row has.

use sea_orm_migration::prelude::*;

/// Adds `tenants.version`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000009_add_tenant_version"
    }
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Tenants::Table)
                    .add_column(
                        ColumnDef::new(Tenants::Version)
                            .integer()
                            .not_null()
                            .default(1),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Tenants::Table)
                    .drop_column(Tenants::Version)
                    .to_owned(),
            )
            .await
    }
}
