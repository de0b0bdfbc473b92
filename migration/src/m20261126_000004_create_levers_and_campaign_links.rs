//! Lever allocations and lever interactions per plan; the objectives a campaign serves; the
//! indexes that make campaign UTM codes unique per plan and sub-campaigns cheap to list.

use sea_orm_migration::prelude::*;

use crate::columns::{tenant_foreign_key, tenant_owned_table, versioned_columns};

/// Creates the lever and campaign-link tables.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000004_create_levers_and_campaign_links"
    }
}

#[derive(DeriveIden)]
enum Plans {
    Table,
}

#[derive(DeriveIden)]
enum Objectives {
    Table,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    TenantId,
    PlanId,
    UtmCode,
    ParentCampaignId,
}

#[derive(DeriveIden)]
enum LeverAllocations {
    Table,
    TenantId,
    PlanId,
    Lever,
    BudgetMicros,
    Priority,
    Rationale,
}

#[derive(DeriveIden)]
enum LeverInteractions {
    Table,
    TenantId,
    PlanId,
    FromLever,
    ToLever,
    Kind,
    Note,
}

#[derive(DeriveIden)]
enum CampaignObjectives {
    Table,
    TenantId,
    CampaignId,
    ObjectiveId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut allocations = tenant_owned_table(LeverAllocations::Table);
        allocations
            .col(ColumnDef::new(LeverAllocations::PlanId).uuid().not_null())
            .col(
                ColumnDef::new(LeverAllocations::Lever)
                    .string_len(32)
                    .not_null(),
            )
            .col(
                ColumnDef::new(LeverAllocations::BudgetMicros)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(LeverAllocations::Priority)
                    .integer()
                    .not_null(),
            )
            .col(ColumnDef::new(LeverAllocations::Rationale).text())
            .foreign_key(&mut tenant_foreign_key(
                LeverAllocations::Table,
                "plan_id",
                Plans::Table,
            ));
        manager
            .create_table(versioned_columns(&mut allocations).to_owned())
            .await?;
        // One allocation per lever and plan; also the index of the per-plan loader.
        manager
            .create_index(
                Index::create()
                    .name("uq_lever_allocations_plan_lever")
                    .table(LeverAllocations::Table)
                    .col(LeverAllocations::TenantId)
                    .col(LeverAllocations::PlanId)
                    .col(LeverAllocations::Lever)
                    .unique()
                    .to_owned(),
            )
            .await?;

        let mut interactions = tenant_owned_table(LeverInteractions::Table);
        interactions
            .col(ColumnDef::new(LeverInteractions::PlanId).uuid().not_null())
            .col(
                ColumnDef::new(LeverInteractions::FromLever)
                    .string_len(32)
                    .not_null(),
            )
            .col(
                ColumnDef::new(LeverInteractions::ToLever)
                    .string_len(32)
                    .not_null(),
            )
            .col(
                ColumnDef::new(LeverInteractions::Kind)
                    .string_len(16)
                    .not_null(),
            )
            .col(ColumnDef::new(LeverInteractions::Note).text())
            .check(
                Expr::col(LeverInteractions::FromLever).ne(Expr::col(LeverInteractions::ToLever)),
            )
            .foreign_key(&mut tenant_foreign_key(
                LeverInteractions::Table,
                "plan_id",
                Plans::Table,
            ));
        manager
            .create_table(versioned_columns(&mut interactions).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_lever_interactions_plan_levers_kind")
                    .table(LeverInteractions::Table)
                    .col(LeverInteractions::TenantId)
                    .col(LeverInteractions::PlanId)
                    .col(LeverInteractions::FromLever)
                    .col(LeverInteractions::ToLever)
                    .col(LeverInteractions::Kind)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CampaignObjectives::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(CampaignObjectives::TenantId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CampaignObjectives::CampaignId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CampaignObjectives::ObjectiveId)
                            .uuid()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(CampaignObjectives::TenantId)
                            .col(CampaignObjectives::CampaignId)
                            .col(CampaignObjectives::ObjectiveId),
                    )
                    .foreign_key(&mut tenant_foreign_key(
                        CampaignObjectives::Table,
                        "campaign_id",
                        Campaigns::Table,
                    ))
                    .foreign_key(&mut tenant_foreign_key(
                        CampaignObjectives::Table,
                        "objective_id",
                        Objectives::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_campaign_objectives_objective")
                    .table(CampaignObjectives::Table)
                    .col(CampaignObjectives::TenantId)
                    .col(CampaignObjectives::ObjectiveId)
                    .to_owned(),
            )
            .await?;

        // UTM codes are unique within a plan; campaigns without one (NULL) do not collide.
        manager
            .create_index(
                Index::create()
                    .name("uq_campaigns_plan_utm_code")
                    .table(Campaigns::Table)
                    .col(Campaigns::TenantId)
                    .col(Campaigns::PlanId)
                    .col(Campaigns::UtmCode)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The sub-campaigns loader and the detaching of children before a delete.
        manager
            .create_index(
                Index::create()
                    .name("idx_campaigns_parent")
                    .table(Campaigns::Table)
                    .col(Campaigns::TenantId)
                    .col(Campaigns::ParentCampaignId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in ["idx_campaigns_parent", "uq_campaigns_plan_utm_code"] {
            manager
                .drop_index(Index::drop().name(index).table(Campaigns::Table).to_owned())
                .await?;
        }
        for table in [
            CampaignObjectives::Table.into_iden(),
            LeverInteractions::Table.into_iden(),
            LeverAllocations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
