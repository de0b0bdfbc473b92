//! Tenants, plans, personas, campaigns (with their levers and personas) and objectives.

use sea_orm_migration::prelude::*;

use crate::columns::{Tenants, tenant_foreign_key, tenant_owned_table, versioned_columns};

/// Creates the core tables of the plan.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000001_create_plan_core"
    }
}

#[derive(DeriveIden)]
enum Plans {
    Table,
    Name,
    Description,
    PeriodStart,
    PeriodEnd,
    Currency,
    BudgetMicros,
    Status,
}

#[derive(DeriveIden)]
enum Personas {
    Table,
    Name,
    Summary,
    AgeMin,
    AgeMax,
    Gender,
    Location,
    Occupation,
    IncomeBand,
    Education,
    Behaviors,
    Values,
    Interests,
    Lifestyle,
    Goals,
    Motivations,
    Needs,
    PainPoints,
    Objections,
    PreferredLevers,
}

#[derive(DeriveIden)]
enum PlanPersonas {
    Table,
    TenantId,
    PlanId,
    PersonaId,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    TenantId,
    PlanId,
    Name,
    Kind,
    StartDate,
    EndDate,
    BudgetMicros,
    Status,
    UtmCode,
    ParentCampaignId,
}

#[derive(DeriveIden)]
enum CampaignLevers {
    Table,
    TenantId,
    CampaignId,
    Lever,
    Position,
}

#[derive(DeriveIden)]
enum CampaignPersonas {
    Table,
    TenantId,
    CampaignId,
    PersonaId,
}

#[derive(DeriveIden)]
enum Objectives {
    Table,
    TenantId,
    PlanId,
    Title,
    Statement,
    Kind,
    KpiKey,
    BaselineMicros,
    TargetMicros,
    Rationale,
    Deadline,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tenants::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(Tenants::Id).uuid().not_null().primary_key())
                    .col(
                        ColumnDef::new(Alias::new("key"))
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Alias::new("name"))
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Alias::new("currency"))
                            .string_len(3)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Alias::new("created_at"))
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;

        let mut plans = tenant_owned_table(Plans::Table);
        plans
            .col(ColumnDef::new(Plans::Name).string_len(200).not_null())
            .col(ColumnDef::new(Plans::Description).text())
            .col(ColumnDef::new(Plans::PeriodStart).date().not_null())
            .col(ColumnDef::new(Plans::PeriodEnd).date().not_null())
            .col(ColumnDef::new(Plans::Currency).string_len(3).not_null())
            .col(ColumnDef::new(Plans::BudgetMicros).big_integer().not_null())
            .col(ColumnDef::new(Plans::Status).string_len(16).not_null());
        manager
            .create_table(versioned_columns(&mut plans).to_owned())
            .await?;

        let mut personas = tenant_owned_table(Personas::Table);
        personas
            .col(ColumnDef::new(Personas::Name).string_len(200).not_null())
            .col(ColumnDef::new(Personas::Summary).text())
            .col(ColumnDef::new(Personas::AgeMin).integer())
            .col(ColumnDef::new(Personas::AgeMax).integer())
            .col(ColumnDef::new(Personas::Gender).string_len(100))
            .col(ColumnDef::new(Personas::Location).string_len(200))
            .col(ColumnDef::new(Personas::Occupation).string_len(200))
            .col(ColumnDef::new(Personas::IncomeBand).string_len(100))
            .col(ColumnDef::new(Personas::Education).string_len(200))
            .col(ColumnDef::new(Personas::Behaviors).json_binary().not_null())
            .col(ColumnDef::new(Personas::Values).json_binary().not_null())
            .col(ColumnDef::new(Personas::Interests).json_binary().not_null())
            .col(ColumnDef::new(Personas::Lifestyle).text())
            .col(ColumnDef::new(Personas::Goals).json_binary().not_null())
            .col(
                ColumnDef::new(Personas::Motivations)
                    .json_binary()
                    .not_null(),
            )
            .col(ColumnDef::new(Personas::Needs).json_binary().not_null())
            .col(
                ColumnDef::new(Personas::PainPoints)
                    .json_binary()
                    .not_null(),
            )
            .col(
                ColumnDef::new(Personas::Objections)
                    .json_binary()
                    .not_null(),
            )
            .col(
                ColumnDef::new(Personas::PreferredLevers)
                    .json_binary()
                    .not_null(),
            );
        manager
            .create_table(versioned_columns(&mut personas).to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlanPersonas::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(PlanPersonas::TenantId).uuid().not_null())
                    .col(ColumnDef::new(PlanPersonas::PlanId).uuid().not_null())
                    .col(ColumnDef::new(PlanPersonas::PersonaId).uuid().not_null())
                    .primary_key(
                        Index::create()
                            .col(PlanPersonas::TenantId)
                            .col(PlanPersonas::PlanId)
                            .col(PlanPersonas::PersonaId),
                    )
                    .foreign_key(&mut tenant_foreign_key(
                        PlanPersonas::Table,
                        "plan_id",
                        Plans::Table,
                    ))
                    .foreign_key(&mut tenant_foreign_key(
                        PlanPersonas::Table,
                        "persona_id",
                        Personas::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_personas_persona")
                    .table(PlanPersonas::Table)
                    .col(PlanPersonas::TenantId)
                    .col(PlanPersonas::PersonaId)
                    .to_owned(),
            )
            .await?;

        let mut campaigns = tenant_owned_table(Campaigns::Table);
        campaigns
            .col(ColumnDef::new(Campaigns::PlanId).uuid().not_null())
            .col(ColumnDef::new(Campaigns::Name).string_len(200).not_null())
            .col(ColumnDef::new(Campaigns::Kind).string_len(16).not_null())
            .col(ColumnDef::new(Campaigns::StartDate).date().not_null())
            .col(ColumnDef::new(Campaigns::EndDate).date().not_null())
            .col(
                ColumnDef::new(Campaigns::BudgetMicros)
                    .big_integer()
                    .not_null(),
            )
            .col(ColumnDef::new(Campaigns::Status).string_len(16).not_null())
            .col(ColumnDef::new(Campaigns::UtmCode).string_len(100))
            .col(ColumnDef::new(Campaigns::ParentCampaignId).uuid())
            .foreign_key(&mut tenant_foreign_key(
                Campaigns::Table,
                "plan_id",
                Plans::Table,
            ))
            // No cascade: the domain detaches sub-campaigns before deleting their parent.
            .foreign_key(
                &mut tenant_foreign_key(Campaigns::Table, "parent_campaign_id", Campaigns::Table)
                    .on_delete(ForeignKeyAction::NoAction)
                    .to_owned(),
            );
        manager
            .create_table(versioned_columns(&mut campaigns).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_campaigns_plan")
                    .table(Campaigns::Table)
                    .col(Campaigns::TenantId)
                    .col(Campaigns::PlanId)
                    .col(Alias::new("id"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CampaignLevers::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(CampaignLevers::TenantId).uuid().not_null())
                    .col(ColumnDef::new(CampaignLevers::CampaignId).uuid().not_null())
                    .col(
                        ColumnDef::new(CampaignLevers::Lever)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CampaignLevers::Position)
                            .integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(CampaignLevers::TenantId)
                            .col(CampaignLevers::CampaignId)
                            .col(CampaignLevers::Lever),
                    )
                    .foreign_key(&mut tenant_foreign_key(
                        CampaignLevers::Table,
                        "campaign_id",
                        Campaigns::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_campaign_levers_lever")
                    .table(CampaignLevers::Table)
                    .col(CampaignLevers::TenantId)
                    .col(CampaignLevers::Lever)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CampaignPersonas::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(CampaignPersonas::TenantId).uuid().not_null())
                    .col(
                        ColumnDef::new(CampaignPersonas::CampaignId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CampaignPersonas::PersonaId)
                            .uuid()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(CampaignPersonas::TenantId)
                            .col(CampaignPersonas::CampaignId)
                            .col(CampaignPersonas::PersonaId),
                    )
                    .foreign_key(&mut tenant_foreign_key(
                        CampaignPersonas::Table,
                        "campaign_id",
                        Campaigns::Table,
                    ))
                    .foreign_key(&mut tenant_foreign_key(
                        CampaignPersonas::Table,
                        "persona_id",
                        Personas::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_campaign_personas_persona")
                    .table(CampaignPersonas::Table)
                    .col(CampaignPersonas::TenantId)
                    .col(CampaignPersonas::PersonaId)
                    .to_owned(),
            )
            .await?;

        let mut objectives = tenant_owned_table(Objectives::Table);
        objectives
            .col(ColumnDef::new(Objectives::PlanId).uuid().not_null())
            .col(ColumnDef::new(Objectives::Title).string_len(200).not_null())
            .col(ColumnDef::new(Objectives::Statement).text())
            .col(ColumnDef::new(Objectives::Kind).string_len(16).not_null())
            .col(ColumnDef::new(Objectives::KpiKey).string_len(64).not_null())
            .col(ColumnDef::new(Objectives::BaselineMicros).big_integer())
            .col(
                ColumnDef::new(Objectives::TargetMicros)
                    .big_integer()
                    .not_null(),
            )
            .col(ColumnDef::new(Objectives::Rationale).text())
            .col(ColumnDef::new(Objectives::Deadline).date().not_null())
            .foreign_key(&mut tenant_foreign_key(
                Objectives::Table,
                "plan_id",
                Plans::Table,
            ));
        manager
            .create_table(versioned_columns(&mut objectives).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_objectives_plan")
                    .table(Objectives::Table)
                    .col(Objectives::TenantId)
                    .col(Objectives::PlanId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Objectives::Table.into_iden(),
            CampaignPersonas::Table.into_iden(),
            CampaignLevers::Table.into_iden(),
            Campaigns::Table.into_iden(),
            PlanPersonas::Table.into_iden(),
            Personas::Table.into_iden(),
            Plans::Table.into_iden(),
            Tenants::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
