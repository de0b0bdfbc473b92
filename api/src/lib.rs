//! Levier: a GraphQL API that stores a company's digital-marketing action plan as data.
//!
//! The module tree follows the shape of a request: [`http`] receives it, [`auth`] says who is
//! calling, [`graphql`] translates it, [`domain`] applies the rules, and [`store`] is the only
//! code that touches the database, always within one tenant.
// The mutation root merges many objects; async-graphql's generated resolvers nest deeper
// than the compiler's default query depth.
#![recursion_limit = "256"]

pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod iso_date;
pub mod listen;
pub mod observability;
pub mod ratelimit;
pub mod shutdown;
pub mod store;
pub mod telemetry;
pub mod text_lru;
pub mod webhooks;

pub use app::{App, StartupError, build_app};
pub use config::Config;
