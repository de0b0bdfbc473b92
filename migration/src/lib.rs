//! Levier's database migrations. One file per migration; a landed migration is never edited.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261126_000001_create_plan_core;
mod m20261126_000002_seed_kpi_catalogue;
mod m20261126_000003_create_strategy_layer;
mod m20261126_000004_create_levers_and_campaign_links;
mod m20261126_000005_create_actions_and_content;
mod m20261126_000006_create_api_keys;
mod m20261126_000007_create_measurements;
mod m20261126_000008_create_attribution;
mod m20261126_000009_add_tenant_version;
mod m20261206_000010_create_plan_review;
mod m20261206_000011_create_comments;
mod m20261206_000012_create_share_links;
mod m20261206_000013_create_scenarios;
mod m20261206_000014_create_exchange_rates;
mod m20261206_000015_create_audit_events;
mod m20261206_000016_create_webhooks;
mod m20261206_000017_add_external_refs;
mod m20261206_000019_create_measurement_rollups;
mod m20261207_000020_index_sqlite_measurements_by_kpi;

/// The migrator run by `levier migrate`, by `levier serve` on start, and by the tests.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_plan_core::Migration),
            Box::new(m20261126_000002_seed_kpi_catalogue::Migration),
            Box::new(m20261126_000003_create_strategy_layer::Migration),
            Box::new(m20261126_000004_create_levers_and_campaign_links::Migration),
            Box::new(m20261126_000005_create_actions_and_content::Migration),
            Box::new(m20261126_000006_create_api_keys::Migration),
            Box::new(m20261126_000007_create_measurements::Migration),
            Box::new(m20261126_000008_create_attribution::Migration),
            Box::new(m20261126_000009_add_tenant_version::Migration),
            Box::new(m20261206_000010_create_plan_review::Migration),
            Box::new(m20261206_000011_create_comments::Migration),
            Box::new(m20261206_000012_create_share_links::Migration),
            Box::new(m20261206_000013_create_scenarios::Migration),
            Box::new(m20261206_000014_create_exchange_rates::Migration),
            Box::new(m20261206_000015_create_audit_events::Migration),
            Box::new(m20261206_000016_create_webhooks::Migration),
            Box::new(m20261206_000017_add_external_refs::Migration),
            Box::new(m20261206_000019_create_measurement_rollups::Migration),
            Box::new(m20261207_000020_index_sqlite_measurements_by_kpi::Migration),
        ]
    }
}
