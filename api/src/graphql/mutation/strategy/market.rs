//! `createMarketTrend`, `updateMarketTrend`, `deleteMarketTrend`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::strategy::market::{
            CreateMarketTrendInput, DeleteMarketTrendInput, UpdateMarketTrendInput,
        },
        types::MarketTrend,
    },
    ids::{self, NodeType},
    payload,
};

payload!(
    CreateMarketTrendPayload,
    market_trend,
    MarketTrend,
    "The result of `createMarketTrend`.",
    "The new market trend; null when there are user errors."
);

payload!(
    UpdateMarketTrendPayload,
    market_trend,
    MarketTrend,
    "The result of `updateMarketTrend`.",
    "The market trend as changed; null when there are user errors."
);

payload!(
    DeleteMarketTrendPayload,
    deleted_id,
    ID,
    "The result of `deleteMarketTrend`.",
    "The global ID of the deleted market trend; null when there are user errors."
);

/// Mutations of the market trends.
#[derive(Default)]
pub struct MarketMutation;

#[Object]
impl MarketMutation {
    /// Adds a market trend to a plan (EDITOR or ADMIN); NOT_FOUND when the plan is not the
    /// tenant's.
    async fn create_market_trend(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new market trend.")] input: CreateMarketTrendInput,
    ) -> Result<CreateMarketTrendPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (created, user_errors) = into_payload(
            domain::strategy::market::create(session(ctx)?, input.into_new(plan_id)).await,
        )?;
        Ok(CreateMarketTrendPayload {
            market_trend: created.map(MarketTrend),
            user_errors,
        })
    }

    /// Changes a market trend (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_market_trend(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The market trend and the changes.")] input: UpdateMarketTrendInput,
    ) -> Result<UpdateMarketTrendPayload> {
        let id = ids::decode_as(&input.id, NodeType::MarketTrend)?;
        let version = input.expected_version;
        let (updated, user_errors) = into_payload(
            domain::strategy::market::update(session(ctx)?, id, version, input.into()).await,
        )?;
        Ok(UpdateMarketTrendPayload {
            market_trend: updated.map(MarketTrend),
            user_errors,
        })
    }

    /// Deletes a market trend (ADMIN).
    async fn delete_market_trend(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The market trend to delete.")] input: DeleteMarketTrendInput,
    ) -> Result<DeleteMarketTrendPayload> {
        let id = ids::decode_as(&input.id, NodeType::MarketTrend)?;
        let (deleted, user_errors) =
            into_payload(domain::strategy::market::delete(session(ctx)?, id).await)?;
        Ok(DeleteMarketTrendPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::MarketTrend, id)),
            user_errors,
        })
    }
}
