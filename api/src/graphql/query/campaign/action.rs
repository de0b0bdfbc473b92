//! `actions`: the tenant's actions across plans, filtered and ordered.

use crate::{
    connection_fields, domain,
    error::ApiError,
    graphql::{
        context::session,
        inputs::campaign::action::{ActionFilter, ActionOrder},
        types::ActionConnection,
    },
};

/// Queries on actions.
#[derive(Default)]
pub struct ActionQuery;

connection_fields! {
    impl ActionQuery {
        /// The tenant's actions, of every plan unless `filter.planId` names one, ordered by due date
        /// unless `orderBy` says otherwise.
        async fn actions(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(desc = "Only actions matching this filter.")] filter: Option<ActionFilter>,
            #[graphql(desc = "The order; DUE_DATE ASC when omitted. Ties are broken by ID.")]
            order_by: Option<ActionOrder>,
        ) -> Result<ActionConnection> {
            let order = order_by.unwrap_or_default();
            let request =
                page.into_ordered_request(&order.name(), order.sort().kind(), order.descending())?;
            let filter = filter.map(Into::into).unwrap_or_default();
            let sort = order.sort();
            let (page, total) =
                domain::campaign::action::list(session(ctx)?, &filter, sort, &request)
                    .await
                    .map_err(ApiError::from)?;
            Ok(ActionConnection::new(page, total, &order.name(), |row| {
                sort.value_of(row)
            }))
        }
    }
}
