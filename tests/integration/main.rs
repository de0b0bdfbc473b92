//! Levier's integration tests, compiled as one binary. Each test starts the real HTTP app on
//! its own database (SQLite, or PostgreSQL with `LEVIER_TEST_DATABASE_URL`) and drives it as a
//! client would.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod proxy;
mod support;

mod access_log;
mod auth;
mod budget;
mod calendar;
mod schema;
mod slow_clients;
mod smoke;
mod startup;
mod startup_messages;
mod transport;

mod actions;
mod api_keys;
mod arbitrage;
mod attribution;
mod audit;
mod campaign_links;
mod campaigns;
mod changes;
mod comments;
mod concurrent_writers;
mod content;
mod cors;
mod currency;
mod demo;
mod document;
mod export_measurements;
mod external_refs;
mod fuzz;
mod graphiql;
mod graphql_over_http;
mod imports;
mod input_hardening;
mod introspection;
mod kpi_definitions;
mod kpi_export;
mod kpi_rollups;
mod kpi_series;
mod levers;
mod measurements;
mod metrics;
mod money;
mod objective_progress;
mod objectives;
mod otel;
mod outages;
mod pagination;
mod personas;
mod plan_copy;
mod plans;
mod query_cost;
mod query_shapes;
mod rate_limits;
mod read_connections;
mod review;
mod scenarios;
mod share_links;
mod shutdown;
mod statements;
mod strategy;
mod strategy_access;
mod strategy_brand_mix;
mod strategy_segments;
mod subscription_credentials;
mod subscriptions;
mod tenancy;
mod tenant_settings;
mod two_replicas;
mod webhooks;
