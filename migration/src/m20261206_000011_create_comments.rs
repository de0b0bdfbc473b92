//! Comments: discussion threads on plans, campaigns, actions and objectives.
//!
//! A comment points at what it discusses through one of four nullable columns (`plan_id`,
//! `campaign_id`, `action_id`, `objective_id`), each a tenant foreign key that cascades: deleting
//! a commented object deletes its comments in the same statement, whichever way it goes (a plan
//! takes its campaigns, actions and objectives, and their comments, with it). A reply carries
//! the columns of its thread's first comment and points at it through `thread_id`, which
//! cascades too: deleting a thread's first comment deletes its replies.

use sea_orm_migration::prelude::*;

use crate::columns::{tenant_foreign_key, tenant_owned_table, versioned_columns};

/// Creates `comments`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000011_create_comments"
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
enum Actions {
    Table,
}

#[derive(DeriveIden)]
enum Objectives {
    Table,
}

#[derive(Clone, Copy, DeriveIden)]
enum Comments {
    Table,
    TenantId,
    TargetType,
    PlanId,
    CampaignId,
    ActionId,
    ObjectiveId,
    ThreadId,
    ParentId,
    AuthorSubject,
    AuthorRole,
    Body,
    Mentions,
    EditedAt,
    ResolvedAt,
    ResolvedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut comments = tenant_owned_table(Comments::Table);
        comments
            .col(
                ColumnDef::new(Comments::TargetType)
                    .string_len(16)
                    .not_null(),
            )
            .col(ColumnDef::new(Comments::PlanId).uuid())
            .col(ColumnDef::new(Comments::CampaignId).uuid())
            .col(ColumnDef::new(Comments::ActionId).uuid())
            .col(ColumnDef::new(Comments::ObjectiveId).uuid())
            .col(ColumnDef::new(Comments::ThreadId).uuid())
            // The comment a reply answers, for the record: no foreign key, since deleting a
            // reply must not delete the replies that answered it (they stay in the thread).
            .col(ColumnDef::new(Comments::ParentId).uuid())
            .col(
                ColumnDef::new(Comments::AuthorSubject)
                    .string_len(255)
                    .not_null(),
            )
            .col(
                ColumnDef::new(Comments::AuthorRole)
                    .string_len(16)
                    .not_null(),
            )
            .col(ColumnDef::new(Comments::Body).text().not_null())
            .col(ColumnDef::new(Comments::Mentions).json_binary().not_null())
            .col(ColumnDef::new(Comments::EditedAt).timestamp_with_time_zone())
            .col(ColumnDef::new(Comments::ResolvedAt).timestamp_with_time_zone())
            .col(ColumnDef::new(Comments::ResolvedBy).string_len(255))
            .foreign_key(&mut tenant_foreign_key(
                Comments::Table,
                "plan_id",
                Plans::Table,
            ))
            .foreign_key(&mut tenant_foreign_key(
                Comments::Table,
                "campaign_id",
                Campaigns::Table,
            ))
            .foreign_key(&mut tenant_foreign_key(
                Comments::Table,
                "action_id",
                Actions::Table,
            ))
            .foreign_key(&mut tenant_foreign_key(
                Comments::Table,
                "objective_id",
                Objectives::Table,
            ))
            .foreign_key(&mut tenant_foreign_key(
                Comments::Table,
                "thread_id",
                Comments::Table,
            ));
        manager
            .create_table(versioned_columns(&mut comments).to_owned())
            .await?;

        // Each target's threads are listed and counted by its column; the cascades of deletes
        // find the rows through the same indexes.
        for (name, column) in [
            ("idx_comments_plan", Comments::PlanId),
            ("idx_comments_campaign", Comments::CampaignId),
            ("idx_comments_action", Comments::ActionId),
            ("idx_comments_objective", Comments::ObjectiveId),
            ("idx_comments_thread", Comments::ThreadId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Comments::Table)
                        .col(Comments::TenantId)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Comments::Table).to_owned())
            .await
    }
}
