//! Shapes that every tenant-owned table shares, so that each migration states them the same way.

use sea_orm_migration::prelude::*;

/// The `tenants` table's identifiers, for foreign keys.
#[derive(DeriveIden)]
pub enum Tenants {
    /// The table.
    Table,
    /// Its primary key.
    Id,
}

/// Starts a tenant-owned table: `tenant_id`, `id`, the composite primary key `(tenant_id, id)`
/// and the foreign key to `tenants`. The caller adds its own columns.
pub fn tenant_owned_table(table: impl IntoIden) -> TableCreateStatement {
    let table = table.into_iden();
    Table::create()
        .table(table.clone())
        .if_not_exists()
        .col(ColumnDef::new(Alias::new("tenant_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("id")).uuid().not_null())
        .primary_key(
            Index::create()
                .col(Alias::new("tenant_id"))
                .col(Alias::new("id")),
        )
        .foreign_key(
            ForeignKey::create()
                .from_tbl(table)
                .from_col(Alias::new("tenant_id"))
                .to(Tenants::Table, Tenants::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

/// A foreign key `(tenant_id, column) → parent(tenant_id, id)`: a row can only ever point at a
/// row of its own tenant, whatever the application does.
pub fn tenant_foreign_key<T, P>(table: T, column: &str, parent: P) -> ForeignKeyCreateStatement
where
    T: IntoIden + 'static,
    P: IntoIden + 'static,
{
    ForeignKey::create()
        .from_tbl(table)
        .from_col(Alias::new("tenant_id"))
        .from_col(Alias::new(column))
        .to_tbl(parent)
        .to_col(Alias::new("tenant_id"))
        .to_col(Alias::new("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// `version`, `created_at` and `updated_at`, carried by every versioned entity.
pub fn versioned_columns(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(
            ColumnDef::new(Alias::new("version"))
                .integer()
                .not_null()
                .default(1),
        )
        .col(
            ColumnDef::new(Alias::new("created_at"))
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(
            ColumnDef::new(Alias::new("updated_at"))
                .timestamp_with_time_zone()
                .not_null(),
        )
}
