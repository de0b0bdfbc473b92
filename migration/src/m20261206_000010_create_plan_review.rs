//! The review and approval of plans: the tenant's review settings (who approves, what a budget
//! change does to an approved plan) and the history of each plan's review, from which its
//! state is read.

use sea_orm_migration::prelude::*;

use crate::columns::{tenant_foreign_key, tenant_owned_table};

/// Adds the review settings to `tenants` and creates `plan_review_events`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000010_create_plan_review"
    }
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    ReviewApproverRole,
    ReviewApprovers,
    ApprovedBudgetChanges,
}

#[derive(DeriveIden)]
enum Plans {
    Table,
}

#[derive(DeriveIden)]
enum PlanReviewEvents {
    Table,
    TenantId,
    PlanId,
    Sequence,
    Kind,
    ActorSubject,
    ActorRole,
    Note,
    PlanVersion,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for column in [
            ColumnDef::new(Tenants::ReviewApproverRole)
                .string_len(16)
                .null()
                .default("ADMIN")
                .to_owned(),
            ColumnDef::new(Tenants::ReviewApprovers)
                .json_binary()
                .not_null()
                .default("[]")
                .to_owned(),
            ColumnDef::new(Tenants::ApprovedBudgetChanges)
                .string_len(16)
                .not_null()
                .default("REOPEN_REVIEW")
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Tenants::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }

        let mut events = tenant_owned_table(PlanReviewEvents::Table);
        events
            .col(ColumnDef::new(PlanReviewEvents::PlanId).uuid().not_null())
            .col(
                ColumnDef::new(PlanReviewEvents::Sequence)
                    .integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(PlanReviewEvents::Kind)
                    .string_len(24)
                    .not_null(),
            )
            .col(
                ColumnDef::new(PlanReviewEvents::ActorSubject)
                    .text()
                    .not_null(),
            )
            .col(ColumnDef::new(PlanReviewEvents::ActorRole).string_len(16))
            .col(ColumnDef::new(PlanReviewEvents::Note).text())
            .col(
                ColumnDef::new(PlanReviewEvents::PlanVersion)
                    .integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(PlanReviewEvents::CreatedAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            .foreign_key(&mut tenant_foreign_key(
                PlanReviewEvents::Table,
                "plan_id",
                Plans::Table,
            ));
        manager.create_table(events.to_owned()).await?;
        // One event per place in a plan's history: two writers that both read the same last
        // event cannot both append after it. Also the index of the per-plan loader.
        manager
            .create_index(
                Index::create()
                    .name("uq_plan_review_events_plan_sequence")
                    .table(PlanReviewEvents::Table)
                    .col(PlanReviewEvents::TenantId)
                    .col(PlanReviewEvents::PlanId)
                    .col(PlanReviewEvents::Sequence)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PlanReviewEvents::Table).to_owned())
            .await?;
        for column in [
            Tenants::ReviewApproverRole,
            Tenants::ReviewApprovers,
            Tenants::ApprovedBudgetChanges,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Tenants::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
