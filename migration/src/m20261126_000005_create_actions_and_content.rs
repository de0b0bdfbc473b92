//! Actions (the unit of the plan) and the content plan.

use sea_orm_migration::prelude::*;

use crate::columns::{tenant_foreign_key, tenant_owned_table, versioned_columns};

/// Creates `actions` and `content_items`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000005_create_actions_and_content"
    }
}

#[derive(DeriveIden)]
enum Plans {
    Table,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
}

#[derive(DeriveIden)]
enum Personas {
    Table,
}

#[derive(DeriveIden)]
enum Actions {
    Table,
    TenantId,
    Id,
    PlanId,
    CampaignId,
    Title,
    Description,
    ActionType,
    Lever,
    JourneyStep,
    JourneyPhase,
    FunnelStage,
    StartDate,
    DueDate,
    Owner,
    Status,
    BudgetMicros,
    ActualCostMicros,
    Impact,
    Confidence,
    Ease,
    IceScore,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ContentItems {
    Table,
    TenantId,
    PlanId,
    PersonaId,
    Lever,
    FunnelStage,
    Message,
    Format,
    CallToAction,
    PublishDate,
    Status,
    ActionId,
}

/// An index on `(tenant_id, parent, sort column, id)`: the keyset scans of a parent's list in
/// one ordering.
fn list_index(name: &str, table: impl IntoIden, columns: Vec<Actions>) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for column in columns {
        index.col(column.into_iden());
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut actions = tenant_owned_table(Actions::Table);
        actions
            .col(ColumnDef::new(Actions::PlanId).uuid().not_null())
            .col(ColumnDef::new(Actions::CampaignId).uuid())
            .col(ColumnDef::new(Actions::Title).string_len(200).not_null())
            .col(ColumnDef::new(Actions::Description).text())
            .col(
                ColumnDef::new(Actions::ActionType)
                    .string_len(32)
                    .not_null(),
            )
            .col(ColumnDef::new(Actions::Lever).string_len(32).not_null())
            .col(
                ColumnDef::new(Actions::JourneyStep)
                    .string_len(32)
                    .not_null(),
            )
            .col(
                ColumnDef::new(Actions::JourneyPhase)
                    .string_len(16)
                    .not_null(),
            )
            .col(
                ColumnDef::new(Actions::FunnelStage)
                    .string_len(16)
                    .not_null(),
            )
            .col(ColumnDef::new(Actions::StartDate).date().not_null())
            .col(ColumnDef::new(Actions::DueDate).date().not_null())
            .col(ColumnDef::new(Actions::Owner).string_len(200))
            .col(ColumnDef::new(Actions::Status).string_len(16).not_null())
            .col(
                ColumnDef::new(Actions::BudgetMicros)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(Actions::ActualCostMicros)
                    .big_integer()
                    .not_null(),
            )
            .col(ColumnDef::new(Actions::Impact).integer().not_null())
            .col(ColumnDef::new(Actions::Confidence).integer().not_null())
            .col(ColumnDef::new(Actions::Ease).integer().not_null())
            .col(ColumnDef::new(Actions::IceScore).integer().not_null())
            .foreign_key(&mut tenant_foreign_key(
                Actions::Table,
                "plan_id",
                Plans::Table,
            ))
            // No cascade: the domain detaches a campaign's actions before deleting it.
            .foreign_key(
                &mut tenant_foreign_key(Actions::Table, "campaign_id", Campaigns::Table)
                    .on_delete(ForeignKeyAction::NoAction)
                    .to_owned(),
            );
        manager
            .create_table(versioned_columns(&mut actions).to_owned())
            .await?;
        // One index per ordering of a plan's actions (ActionOrder), and the campaign's list.
        for (name, columns) in [
            (
                "idx_actions_plan_due",
                vec![
                    Actions::TenantId,
                    Actions::PlanId,
                    Actions::DueDate,
                    Actions::Id,
                ],
            ),
            (
                "idx_actions_plan_ice",
                vec![
                    Actions::TenantId,
                    Actions::PlanId,
                    Actions::IceScore,
                    Actions::Id,
                ],
            ),
            (
                "idx_actions_plan_budget",
                vec![
                    Actions::TenantId,
                    Actions::PlanId,
                    Actions::BudgetMicros,
                    Actions::Id,
                ],
            ),
            (
                "idx_actions_plan_created",
                vec![
                    Actions::TenantId,
                    Actions::PlanId,
                    Actions::CreatedAt,
                    Actions::Id,
                ],
            ),
            (
                "idx_actions_campaign_due",
                vec![
                    Actions::TenantId,
                    Actions::CampaignId,
                    Actions::DueDate,
                    Actions::Id,
                ],
            ),
        ] {
            manager
                .create_index(list_index(name, Actions::Table, columns))
                .await?;
        }

        let mut content = tenant_owned_table(ContentItems::Table);
        content
            .col(ColumnDef::new(ContentItems::PlanId).uuid().not_null())
            .col(ColumnDef::new(ContentItems::PersonaId).uuid().not_null())
            .col(
                ColumnDef::new(ContentItems::Lever)
                    .string_len(32)
                    .not_null(),
            )
            .col(
                ColumnDef::new(ContentItems::FunnelStage)
                    .string_len(16)
                    .not_null(),
            )
            .col(ColumnDef::new(ContentItems::Message).text().not_null())
            .col(
                ColumnDef::new(ContentItems::Format)
                    .string_len(200)
                    .not_null(),
            )
            .col(ColumnDef::new(ContentItems::CallToAction).string_len(200))
            .col(ColumnDef::new(ContentItems::PublishDate).date().not_null())
            .col(
                ColumnDef::new(ContentItems::Status)
                    .string_len(16)
                    .not_null(),
            )
            .col(ColumnDef::new(ContentItems::ActionId).uuid())
            .foreign_key(&mut tenant_foreign_key(
                ContentItems::Table,
                "plan_id",
                Plans::Table,
            ))
            // Deleting a persona deletes the content written for it.
            .foreign_key(&mut tenant_foreign_key(
                ContentItems::Table,
                "persona_id",
                Personas::Table,
            ))
            // No cascade: the domain detaches an action's content before deleting the action.
            .foreign_key(
                &mut tenant_foreign_key(ContentItems::Table, "action_id", Actions::Table)
                    .on_delete(ForeignKeyAction::NoAction)
                    .to_owned(),
            );
        manager
            .create_table(versioned_columns(&mut content).to_owned())
            .await?;
        for (name, columns) in [
            (
                "idx_content_items_plan",
                [ContentItems::TenantId, ContentItems::PlanId],
            ),
            (
                "idx_content_items_persona",
                [ContentItems::TenantId, ContentItems::PersonaId],
            ),
            (
                "idx_content_items_action",
                [ContentItems::TenantId, ContentItems::ActionId],
            ),
        ] {
            let [tenant, column] = columns;
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ContentItems::Table)
                        .col(tenant)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [ContentItems::Table.into_iden(), Actions::Table.into_iden()] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
