//! Multi-currency spend: the tenant's exchange rates, and on each measurement converted into
//! the tenant's reporting currency the amount as sent, its currency and the rate used.

use sea_orm_migration::prelude::*;

use crate::columns::tenant_owned_table;

/// Creates `exchange_rates` and adds `original_value_micros`, `original_currency`,
/// `exchange_rate` and `rate_date` to `measurements`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000014_create_exchange_rates"
    }
}

#[derive(Clone, Copy, DeriveIden)]
enum ExchangeRates {
    Table,
    TenantId,
    Date,
    FromCurrency,
    ToCurrency,
    Rate,
    CreatedAt,
    UpdatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
enum Measurements {
    Table,
    OriginalValueMicros,
    OriginalCurrency,
    ExchangeRate,
    RateDate,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut rates = tenant_owned_table(ExchangeRates::Table);
        rates
            .col(ColumnDef::new(ExchangeRates::Date).date().not_null())
            .col(
                ColumnDef::new(ExchangeRates::FromCurrency)
                    .string_len(3)
                    .not_null(),
            )
            .col(
                ColumnDef::new(ExchangeRates::ToCurrency)
                    .string_len(3)
                    .not_null(),
            )
            // The rate as an exact decimal string (at most 12 decimal places, 28 significant
            // digits): no float, the same text on both databases.
            .col(
                ColumnDef::new(ExchangeRates::Rate)
                    .string_len(40)
                    .not_null(),
            )
            .col(
                ColumnDef::new(ExchangeRates::CreatedAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            .col(
                ColumnDef::new(ExchangeRates::UpdatedAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            );
        manager.create_table(rates).await?;
        // One rate per tenant, pair and day (the upsert's conflict target); conversions read a
        // pair's rates over a date range through it.
        manager
            .create_index(
                Index::create()
                    .name("idx_exchange_rates_pair_date")
                    .table(ExchangeRates::Table)
                    .col(ExchangeRates::TenantId)
                    .col(ExchangeRates::FromCurrency)
                    .col(ExchangeRates::ToCurrency)
                    .col(ExchangeRates::Date)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // SQLite adds one column per ALTER TABLE.
        for column in [
            ColumnDef::new(Measurements::OriginalValueMicros)
                .big_integer()
                .to_owned(),
            ColumnDef::new(Measurements::OriginalCurrency)
                .string_len(3)
                .to_owned(),
            ColumnDef::new(Measurements::ExchangeRate)
                .string_len(40)
                .to_owned(),
            ColumnDef::new(Measurements::RateDate).date().to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Measurements::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Measurements::RateDate,
            Measurements::ExchangeRate,
            Measurements::OriginalCurrency,
            Measurements::OriginalValueMicros,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Measurements::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(ExchangeRates::Table).to_owned())
            .await
    }
}
