//! `plans` and `plan`.

pub mod arbitrage;
pub mod scenario;

use async_graphql::{Context, ID, Object, Result};

use crate::{
    connection_fields, domain,
    error::ApiError,
    graphql::{
        context::session,
        inputs::plan::PlanFilter,
        types::{Plan, PlanConnection},
    },
    ids::{self, NodeType},
};

/// `plans`: the tenant's plans, a Relay connection.
#[derive(Default)]
pub struct PlanListQuery;

connection_fields! {
    impl PlanListQuery {
        /// The tenant's plans, oldest first, optionally filtered.
        async fn plans(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(desc = "Only plans matching this filter.")] filter: Option<PlanFilter>,
        ) -> Result<PlanConnection> {
            let request = page.into_request()?;
            let filter = filter.map(Into::into).unwrap_or_default();
            let (page, total) = domain::plan::list(session(ctx)?, &filter, &request)
                .await
                .map_err(ApiError::from)?;
            Ok(PlanConnection::new(page, total))
        }
    }
}

/// `plan`: one plan by its global ID.
#[derive(Default)]
pub struct PlanQuery;

#[Object]
impl PlanQuery {
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
