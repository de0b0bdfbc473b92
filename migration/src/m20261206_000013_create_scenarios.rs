//! Scenarios: named what-if versions of a plan's budgets, and the amounts each one sets
//! (`scenario_budgets`: one row per lever allocation, campaign or action whose budget the
//! scenario overrides).

use sea_orm_migration::prelude::*;

use crate::columns::{tenant_foreign_key, tenant_owned_table, versioned_columns};

/// Creates `scenarios` and `scenario_budgets`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000013_create_scenarios"
    }
}

#[derive(DeriveIden)]
enum Plans {
    Table,
}

#[derive(DeriveIden)]
enum LeverAllocations {
    Table,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
}

#[derive(DeriveIden)]
enum Actions {
    Table,
}

#[derive(DeriveIden)]
enum Scenarios {
    Table,
    TenantId,
    PlanId,
    Name,
    Description,
    CeilingMicros,
}

#[derive(DeriveIden)]
enum ScenarioBudgets {
    Table,
    TenantId,
    ScenarioId,
    LeverAllocationId,
    CampaignId,
    ActionId,
    BudgetMicros,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut scenarios = tenant_owned_table(Scenarios::Table);
        scenarios
            .col(ColumnDef::new(Scenarios::PlanId).uuid().not_null())
            .col(ColumnDef::new(Scenarios::Name).string_len(200).not_null())
            .col(ColumnDef::new(Scenarios::Description).text())
            .col(ColumnDef::new(Scenarios::CeilingMicros).big_integer())
            .foreign_key(&mut tenant_foreign_key(
                Scenarios::Table,
                "plan_id",
                Plans::Table,
            ));
        manager
            .create_table(versioned_columns(&mut scenarios).to_owned())
            .await?;
        // A name is unique in its plan; also the index of the per-plan loader.
        manager
            .create_index(
                Index::create()
                    .name("uq_scenarios_plan_name")
                    .table(Scenarios::Table)
                    .col(Scenarios::TenantId)
                    .col(Scenarios::PlanId)
                    .col(Scenarios::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // Exactly one target per row; a deleted target takes its overrides with it (the
        // composite foreign keys cascade, and are not checked while the column is NULL).
        let mut budgets = tenant_owned_table(ScenarioBudgets::Table);
        budgets
            .col(
                ColumnDef::new(ScenarioBudgets::ScenarioId)
                    .uuid()
                    .not_null(),
            )
            .col(ColumnDef::new(ScenarioBudgets::LeverAllocationId).uuid())
            .col(ColumnDef::new(ScenarioBudgets::CampaignId).uuid())
            .col(ColumnDef::new(ScenarioBudgets::ActionId).uuid())
            .col(
                ColumnDef::new(ScenarioBudgets::BudgetMicros)
                    .big_integer()
                    .not_null(),
            )
            .check(Expr::cust(
                "(CASE WHEN lever_allocation_id IS NULL THEN 0 ELSE 1 END) \
                 + (CASE WHEN campaign_id IS NULL THEN 0 ELSE 1 END) \
                 + (CASE WHEN action_id IS NULL THEN 0 ELSE 1 END) = 1",
            ))
            .check(Expr::col(ScenarioBudgets::BudgetMicros).gte(0))
            .foreign_key(&mut tenant_foreign_key(
                ScenarioBudgets::Table,
                "scenario_id",
                Scenarios::Table,
            ))
            .foreign_key(&mut tenant_foreign_key(
                ScenarioBudgets::Table,
                "lever_allocation_id",
                LeverAllocations::Table,
            ))
            .foreign_key(&mut tenant_foreign_key(
                ScenarioBudgets::Table,
                "campaign_id",
                Campaigns::Table,
            ))
            .foreign_key(&mut tenant_foreign_key(
                ScenarioBudgets::Table,
                "action_id",
                Actions::Table,
            ));
        manager.create_table(budgets).await?;
        // One override per target and scenario (NULLs do not collide); the first column pair
        // is also the index of the per-scenario loader. The target columns are indexed for the
        // cascades of their deletes.
        for (name, column) in [
            (
                "uq_scenario_budgets_allocation",
                ScenarioBudgets::LeverAllocationId,
            ),
            ("uq_scenario_budgets_campaign", ScenarioBudgets::CampaignId),
            ("uq_scenario_budgets_action", ScenarioBudgets::ActionId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ScenarioBudgets::Table)
                        .col(ScenarioBudgets::TenantId)
                        .col(ScenarioBudgets::ScenarioId)
                        .col(column)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        for (name, column) in [
            (
                "idx_scenario_budgets_allocation",
                ScenarioBudgets::LeverAllocationId,
            ),
            ("idx_scenario_budgets_campaign", ScenarioBudgets::CampaignId),
            ("idx_scenario_budgets_action", ScenarioBudgets::ActionId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ScenarioBudgets::Table)
                        .col(ScenarioBudgets::TenantId)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ScenarioBudgets::Table.into_iden(),
            Scenarios::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
