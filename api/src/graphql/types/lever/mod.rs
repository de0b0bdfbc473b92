//! `LeverAllocation`: the budget and priority a plan gives to one lever.

pub mod interaction;

use async_graphql::{Context, ID, Object, Result};
use entity::{enums::Lever, lever_allocation};

use crate::graphql::types::Plan;
use crate::{
    error::ApiError,
    graphql::{
        context::{loaders, plan_currency},
        scalars::{DateTime, Decimal},
    },
    ids::{self, NodeType},
};

/// The budget (in the plan's currency) and priority (1 is the highest, 5 the lowest) a plan
/// gives to one lever, with the rationale. A plan allocates each lever at most once.
#[derive(Debug, Clone)]
pub struct LeverAllocation(pub lever_allocation::Model);

/// The budget (in the plan's currency) and priority (1 is the highest, 5 the lowest) a plan
/// gives to one lever, with the rationale. A plan allocates each lever at most once.
#[Object]
impl LeverAllocation {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::LeverAllocation, self.0.id)
    }

    /// The object's audit trail: `history` (ADMIN only).
    #[graphql(flatten)]
    async fn audited(&self) -> crate::graphql::types::AuditHistory {
        crate::graphql::types::AuditHistory(self.0.id)
    }

    /// The plan the allocation belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// The lever.
    async fn lever(&self) -> Lever {
        self.0.lever
    }

    /// Planned budget for the lever, in the plan's currency.
    async fn budget(&self, ctx: &Context<'_>) -> Result<Decimal> {
        let currency = plan_currency(ctx, self.0.plan_id).await?;
        Ok(Decimal::stored_amount(self.0.budget_micros, &currency))
    }

    /// Priority from 1 (highest) to 5 (lowest).
    async fn priority(&self) -> i32 {
        self.0.priority
    }

    /// Why the lever gets this budget and priority.
    async fn rationale(&self) -> Option<&str> {
        self.0.rationale.as_deref()
    }

    /// Its reference in the system it is synced from (set by `externalRef` on create, update
    /// or upsert); null when it has none.
    async fn external_ref(&self) -> Option<crate::graphql::types::external_ref::ExternalRef> {
        crate::graphql::types::external_ref::ExternalRef::of(
            &self.0.external_source,
            &self.0.external_id,
        )
    }

    /// Version, incremented by every update; pass it as `expectedVersion` to update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the allocation was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the allocation was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
