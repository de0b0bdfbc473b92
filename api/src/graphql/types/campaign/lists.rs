//! `Campaign.actions`: the campaign's Relay connection, an object of its own that `Campaign`
//! flattens (see `graphql::connection::args` for why).

use uuid::Uuid;

use crate::{
    connection_fields,
    graphql::{
        inputs::campaign::action::{ActionFilter, ActionOrder},
        types::{
            ActionConnection,
            campaign::action::{ActionListArgs, nested_actions},
        },
    },
    store::campaign::action::ActionParent,
};

/// The lists of the campaign with this id.
pub struct CampaignLists(pub Uuid);

connection_fields! {
    impl CampaignLists {
        /// The campaign's actions, filtered and ordered (by due date unless `orderBy` says
        /// otherwise).
        async fn actions(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(desc = "Only actions matching this filter.")] filter: Option<ActionFilter>,
            #[graphql(desc = "The order; DUE_DATE ASC when omitted. Ties are broken by ID.")]
            order_by: Option<ActionOrder>,
        ) -> Result<ActionConnection> {
            let args = ActionListArgs { page, filter, order_by };
            nested_actions(ctx, ActionParent::Campaign, self.0, args).await
        }
    }
}
