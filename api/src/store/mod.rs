//! The store: the only code that runs SQL. Every tenant-owned statement goes through
//! [`scope::Scoped`], which adds the tenant to each read and write; the per-aggregate modules hold
//! the queries a feature needs; [`error`] classifies what the database answers, so that the
//! layers above never look into `sea_orm::DbErr`.

pub mod api_key;
pub mod attribution;
pub mod audit;
pub mod campaign;
pub mod change_feed;
pub mod comment;
pub mod credential;
pub mod error;
pub mod exchange_rate;
pub mod external_ref;
pub mod kpi;
pub mod lever;
pub mod notify;
pub mod page;
pub mod plan;
pub mod plan_bound;
pub mod positional;
pub mod scope;
pub mod share_link;
pub mod strategy;
pub mod sum;
pub mod tenant;
pub mod webhook;

pub use error::{RefusedValue, StoreError, StoreResult};
pub use scope::Scoped;
