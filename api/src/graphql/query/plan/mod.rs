//! `plans` and `plan`.

pub mod arbitrage;

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    error::ApiError,
    graphql::{
        connection::PageArgs,
        context::session,
        inputs::plan::PlanFilter,
        types::{Plan, PlanConnection},
    },
    ids::{self, NodeType},
};

/// Queries on plans.
#[derive(Default)]
pub struct PlanQuery;

#[Object]
impl PlanQuery {
    /// The tenant's plans, oldest first, optionally filtered.
    async fn plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n plans (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return plans after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n plans (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return plans before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only plans matching this filter.")] filter: Option<PlanFilter>,
    ) -> Result<PlanConnection> {
        let request = PageArgs {
            first,
            after,
            last,
            before,
        }
        .into_request()?;
        let filter = filter.map(Into::into).unwrap_or_default();
        let (page, total) = domain::plan::list(session(ctx)?, &filter, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(PlanConnection::new(page, total))
    }

    /// One plan by its global ID, or null.
    async fn plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan's global ID.")] id: ID,
    ) -> Result<Option<Plan>> {
        let Ok(id) = ids::decode_as(&id, NodeType::Plan) else {
            return Ok(None);
        };
        Ok(domain::plan::get(session(ctx)?, id)
            .await
            .map_err(ApiError::from)?
            .map(Plan))
    }
}
