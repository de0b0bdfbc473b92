//! `Tenant`: the company whose plan this is.

use async_graphql::{ID, Object};
use entity::tenant;

use crate::ids::{self, NodeType};

/// A company using Levier. Every object of the plan belongs to exactly one tenant, and a
/// request only ever sees its own.
#[derive(Debug, Clone)]
pub struct Tenant(pub tenant::Model);

/// A company using Levier. Every object of the plan belongs to exactly one tenant, and a
/// request only ever sees its own.
#[Object]
impl Tenant {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Tenant, self.0.id)
    }

    /// The tenant's key, as named by tokens (`tid`).
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The reporting currency (ISO 4217): the default currency of new plans, and the currency
    /// measurements of money are stored in (values sent in another currency are converted with
    /// the tenant's exchange rates) and measured spend is reported in.
    async fn currency(&self) -> &str {
        &self.0.currency
    }

    /// Optimistic-concurrency version of the settings; pass it to `updateTenant`.
    async fn version(&self) -> i32 {
        self.0.version
    }
}
