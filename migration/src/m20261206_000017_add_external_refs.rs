//! External references: the rows that an outside system syncs into Levier (plans, personas,
//! objectives, campaigns, actions, content items and lever allocations) carry that system's
//! reference, `external_source` + `external_id`, both or neither, unique per tenant.

use sea_orm_migration::prelude::*;

/// Adds `external_source`, `external_id`, their both-or-neither check and the unique index
/// `(tenant_id, external_source, external_id)` to the seven synced tables.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000017_add_external_refs"
    }
}

/// The tables that carry an external reference.
const TABLES: [&str; 7] = [
    "plans",
    "personas",
    "objectives",
    "campaigns",
    "actions",
    "content_items",
    "lever_allocations",
];

/// The name of a table's unique index on its external reference.
fn index_name(table: &str) -> String {
    format!("ux_{table}_external_ref")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            // One column per statement: SQLite alters one column at a time. The check sits on
            // the second column because SQLite cannot add a table constraint to a table that
            // exists; both databases accept a column check that reads another column, and both
            // check the existing rows (all NULL here) when it is added.
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(ColumnDef::new(Alias::new("external_source")).text().null())
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(
                            ColumnDef::new(Alias::new("external_id"))
                                .text()
                                .null()
                                .check(Expr::cust(
                                    "(external_source IS NULL) = (external_id IS NULL)",
                                )),
                        )
                        .to_owned(),
                )
                .await?;
            // NULLs are distinct in a unique index on both databases: rows without a
            // reference never collide.
            manager
                .create_index(
                    Index::create()
                        .name(index_name(table))
                        .table(Alias::new(table))
                        .col(Alias::new("tenant_id"))
                        .col(Alias::new("external_source"))
                        .col(Alias::new("external_id"))
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_index(
                    Index::drop()
                        .name(index_name(table))
                        .table(Alias::new(table))
                        .to_owned(),
                )
                .await?;
            for column in ["external_id", "external_source"] {
                manager
                    .alter_table(
                        Table::alter()
                            .table(Alias::new(table))
                            .drop_column(Alias::new(column))
                            .to_owned(),
                    )
                    .await?;
            }
        }
        Ok(())
    }
}
