//! The strategy layer of a plan: market trends, competitors, SWOT items, PEST factors, the brand,
//! the marketing mix, segments and the personas in each segment. Every table is tenant-owned
//! and deleted with its plan.

use sea_orm_migration::prelude::*;

use crate::columns::{tenant_foreign_key, tenant_owned_table, versioned_columns};

/// Creates the strategy tables.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000003_create_strategy_layer"
    }
}

#[derive(Clone, Copy, DeriveIden)]
enum Plans {
    Table,
}

#[derive(Clone, Copy, DeriveIden)]
enum Personas {
    Table,
}

#[derive(Clone, Copy, DeriveIden)]
enum MarketTrends {
    Table,
    Statement,
    Description,
    Source,
    Impact,
}

#[derive(Clone, Copy, DeriveIden)]
enum Competitors {
    Table,
    Name,
    Website,
    Positioning,
    StrategyNotes,
    Levers,
    Strengths,
    Weaknesses,
}

#[derive(Clone, Copy, DeriveIden)]
enum SwotItems {
    Table,
    Quadrant,
    Statement,
    Impact,
}

#[derive(Clone, Copy, DeriveIden)]
enum PestFactors {
    Table,
    Category,
    Statement,
    Impact,
    Likelihood,
}

#[derive(Clone, Copy, DeriveIden)]
enum Brands {
    Table,
    CurrentPerception,
    Values,
    Mission,
    Vision,
    Tone,
    PositioningStatement,
}

#[derive(Clone, Copy, DeriveIden)]
enum MarketingMixEntries {
    Table,
    TenantId,
    PlanId,
    Dimension,
    Text,
    UpdatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
enum Segments {
    Table,
    Name,
    Criteria,
    EstimatedSize,
    Targeted,
    Positioning,
}

#[derive(Clone, Copy, DeriveIden)]
enum PersonaSegments {
    Table,
    TenantId,
    SegmentId,
    PersonaId,
}

/// A tenant-owned, versioned table of a plan: `plan_id` with its foreign key, then `columns`.
fn plan_child(
    table: impl IntoIden + Clone + 'static,
    columns: Vec<ColumnDef>,
) -> TableCreateStatement {
    let mut statement = tenant_owned_table(table.clone());
    statement
        .col(ColumnDef::new(Alias::new("plan_id")).uuid().not_null())
        .foreign_key(&mut tenant_foreign_key(table, "plan_id", Plans::Table));
    for mut column in columns {
        statement.col(&mut column);
    }
    versioned_columns(&mut statement).to_owned()
}

/// The index the loaders read a plan's rows by: `(tenant_id, plan_id, id)`.
fn plan_index(name: &str, table: impl IntoIden, unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(name)
        .table(table)
        .col(Alias::new("tenant_id"))
        .col(Alias::new("plan_id"));
    if unique {
        index.unique();
    } else {
        index.col(Alias::new("id"));
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(plan_child(
                MarketTrends::Table,
                vec![
                    ColumnDef::new(MarketTrends::Statement)
                        .text()
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(MarketTrends::Description).text().to_owned(),
                    ColumnDef::new(MarketTrends::Source).text().to_owned(),
                    ColumnDef::new(MarketTrends::Impact)
                        .integer()
                        .not_null()
                        .to_owned(),
                ],
            ))
            .await?;
        manager
            .create_index(plan_index(
                "idx_market_trends_plan",
                MarketTrends::Table,
                false,
            ))
            .await?;

        manager
            .create_table(plan_child(
                Competitors::Table,
                vec![
                    ColumnDef::new(Competitors::Name)
                        .string_len(200)
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(Competitors::Website).text().to_owned(),
                    ColumnDef::new(Competitors::Positioning).text().to_owned(),
                    ColumnDef::new(Competitors::StrategyNotes).text().to_owned(),
                    ColumnDef::new(Competitors::Levers)
                        .json_binary()
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(Competitors::Strengths)
                        .json_binary()
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(Competitors::Weaknesses)
                        .json_binary()
                        .not_null()
                        .to_owned(),
                ],
            ))
            .await?;
        manager
            .create_index(plan_index(
                "idx_competitors_plan",
                Competitors::Table,
                false,
            ))
            .await?;

        manager
            .create_table(plan_child(
                SwotItems::Table,
                vec![
                    ColumnDef::new(SwotItems::Quadrant)
                        .string_len(16)
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(SwotItems::Statement)
                        .text()
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(SwotItems::Impact)
                        .integer()
                        .not_null()
                        .to_owned(),
                ],
            ))
            .await?;
        manager
            .create_index(plan_index("idx_swot_items_plan", SwotItems::Table, false))
            .await?;

        manager
            .create_table(plan_child(
                PestFactors::Table,
                vec![
                    ColumnDef::new(PestFactors::Category)
                        .string_len(16)
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(PestFactors::Statement)
                        .text()
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(PestFactors::Impact)
                        .integer()
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(PestFactors::Likelihood)
                        .integer()
                        .not_null()
                        .to_owned(),
                ],
            ))
            .await?;
        manager
            .create_index(plan_index(
                "idx_pest_factors_plan",
                PestFactors::Table,
                false,
            ))
            .await?;

        manager
            .create_table(plan_child(
                Brands::Table,
                vec![
                    ColumnDef::new(Brands::CurrentPerception).text().to_owned(),
                    ColumnDef::new(Brands::Values)
                        .json_binary()
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(Brands::Mission).text().to_owned(),
                    ColumnDef::new(Brands::Vision).text().to_owned(),
                    ColumnDef::new(Brands::Tone).text().to_owned(),
                    ColumnDef::new(Brands::PositioningStatement)
                        .text()
                        .to_owned(),
                ],
            ))
            .await?;
        // At most one brand per plan.
        manager
            .create_index(plan_index("uq_brands_plan", Brands::Table, true))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MarketingMixEntries::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(MarketingMixEntries::TenantId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MarketingMixEntries::PlanId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MarketingMixEntries::Dimension)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(MarketingMixEntries::Text).text().not_null())
                    .col(
                        ColumnDef::new(MarketingMixEntries::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // Also the loader's index: a plan's entries are a prefix of the key.
                    .primary_key(
                        Index::create()
                            .col(MarketingMixEntries::TenantId)
                            .col(MarketingMixEntries::PlanId)
                            .col(MarketingMixEntries::Dimension),
                    )
                    .foreign_key(&mut tenant_foreign_key(
                        MarketingMixEntries::Table,
                        "plan_id",
                        Plans::Table,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(plan_child(
                Segments::Table,
                vec![
                    ColumnDef::new(Segments::Name)
                        .string_len(200)
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(Segments::Criteria)
                        .json_binary()
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(Segments::EstimatedSize)
                        .big_integer()
                        .to_owned(),
                    ColumnDef::new(Segments::Targeted)
                        .boolean()
                        .not_null()
                        .to_owned(),
                    ColumnDef::new(Segments::Positioning).text().to_owned(),
                ],
            ))
            .await?;
        manager
            .create_index(plan_index("idx_segments_plan", Segments::Table, false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PersonaSegments::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(PersonaSegments::TenantId).uuid().not_null())
                    .col(ColumnDef::new(PersonaSegments::SegmentId).uuid().not_null())
                    .col(ColumnDef::new(PersonaSegments::PersonaId).uuid().not_null())
                    .primary_key(
                        Index::create()
                            .col(PersonaSegments::TenantId)
                            .col(PersonaSegments::SegmentId)
                            .col(PersonaSegments::PersonaId),
                    )
                    .foreign_key(&mut tenant_foreign_key(
                        PersonaSegments::Table,
                        "segment_id",
                        Segments::Table,
                    ))
                    .foreign_key(&mut tenant_foreign_key(
                        PersonaSegments::Table,
                        "persona_id",
                        Personas::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_persona_segments_persona")
                    .table(PersonaSegments::Table)
                    .col(PersonaSegments::TenantId)
                    .col(PersonaSegments::PersonaId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PersonaSegments::Table.into_iden(),
            Segments::Table.into_iden(),
            MarketingMixEntries::Table.into_iden(),
            Brands::Table.into_iden(),
            PestFactors::Table.into_iden(),
            SwotItems::Table.into_iden(),
            Competitors::Table.into_iden(),
            MarketTrends::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
