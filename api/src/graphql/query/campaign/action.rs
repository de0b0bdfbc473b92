//! `actions`: the tenant's actions across plans, filtered and ordered.

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    error::ApiError,
    graphql::{
        connection::PageArgs,
        context::session,
        inputs::campaign::action::{ActionFilter, ActionOrder},
        types::ActionConnection,
    },
};

/// Queries on actions.
#[derive(Default)]
pub struct ActionQuery;

#[Object]
impl ActionQuery {
    /// The tenant's actions, of every plan unless `filter.planId` names one, ordered by due date
    /// unless `orderBy` says otherwise.
    // The Relay page arguments, a filter and an order: the field's arguments, not a design smell.
    #[allow(clippy::too_many_arguments)]
    async fn actions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n actions (default 20, at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Return actions after this cursor (read in the same order).")]
        after: Option<String>,
        #[graphql(desc = "Return the last n actions (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return actions before this cursor (read in the same order).")]
        before: Option<String>,
        #[graphql(desc = "Only actions matching this filter.")] filter: Option<ActionFilter>,
        #[graphql(desc = "The order; DUE_DATE ASC when omitted. Ties are broken by ID.")]
        order_by: Option<ActionOrder>,
    ) -> Result<ActionConnection> {
        let order = order_by.unwrap_or_default();
        let request = PageArgs {
            first,
            after,
            last,
            before,
        }
        .into_ordered_request(&order.name(), order.sort().kind(), order.descending())?;
        let filter = filter.map(Into::into).unwrap_or_default();
        let sort = order.sort();
        let (page, total) = domain::campaign::action::list(session(ctx)?, &filter, sort, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(ActionConnection::new(page, total, &order.name(), |row| {
            sort.value_of(row)
        }))
    }
}
