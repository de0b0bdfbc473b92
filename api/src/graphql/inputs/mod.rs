//! GraphQL input types, in one folder per aggregate as in `domain/`; each converts into the
//! domain's own input.

pub mod api_key;
pub mod attribution;
pub mod audit;
pub mod campaign;
pub mod comment;
pub mod exchange_rate;
pub mod external_ref;
pub mod kpi;
pub mod lever;
pub mod plan;
pub mod share_link;
pub mod strategy;
pub mod webhook;
