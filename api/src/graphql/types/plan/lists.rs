//! `Plan.campaigns`, `Plan.actions` and `Plan.contentItems`: the plan's Relay connections, an
//! object of their own that `Plan` flattens (see `graphql::connection::args` for why).

use std::sync::Arc;

use uuid::Uuid;

use crate::{
    connection_fields,
    graphql::{
        context::loaders,
        inputs::{
            campaign::CampaignFilter,
            campaign::action::{ActionFilter, ActionOrder},
            campaign::content::ContentItemFilter,
        },
        types::{
            ActionConnection, CampaignConnection, ContentItemConnection,
            campaign::action::{ActionListArgs, nested_actions},
            campaign::content::CONTENT_ORDERING,
        },
    },
    store::{campaign::action::ActionParent, campaign::content as store_content, page::Page},
};

/// The lists of a plan.
pub struct PlanLists {
    /// The plan's id.
    pub plan_id: Uuid,
    /// The plan's currency, which its campaigns' budgets are in.
    pub currency: Arc<str>,
}

connection_fields! {
    impl PlanLists {
        /// The plan's campaigns, oldest first, optionally filtered (`totalCount` counts the
        /// matching ones).
        async fn campaigns(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(desc = "Only campaigns matching this filter.")] filter: Option<CampaignFilter>,
        ) -> Result<CampaignConnection> {
            let request = page.into_request()?;
            let filter = filter.unwrap_or_default().into_store()?;
            let loaders = loaders(ctx)?;
            let (page, total) = futures::try_join!(
                loaders.plan_campaigns.load_one((self.plan_id, request, filter.clone())),
                loaders.plan_campaign_counts.load_one((self.plan_id, filter))
            )?;
            let page = page.unwrap_or_else(|| Page::empty(&request));
            let currency = Some(Arc::clone(&self.currency));
            Ok(CampaignConnection::read_ahead(ctx, page, total.unwrap_or(0), currency).await?)
        }

        /// The plan's actions, filtered and ordered (by due date unless `orderBy` says otherwise).
        async fn actions(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(desc = "Only actions matching this filter.")] filter: Option<ActionFilter>,
            #[graphql(desc = "The order; DUE_DATE ASC when omitted. Ties are broken by ID.")]
            order_by: Option<ActionOrder>,
        ) -> Result<ActionConnection> {
            let args = ActionListArgs { page, filter, order_by };
            nested_actions(ctx, ActionParent::Plan, self.plan_id, args).await
        }

        /// The plan's content plan, by publish date (ties broken by ID), optionally filtered.
        async fn content_items(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(desc = "Only content items matching this filter.")]
            filter: Option<ContentItemFilter>,
        ) -> Result<ContentItemConnection> {
            let request =
                page.into_ordered_request(CONTENT_ORDERING, store_content::SORT_KIND, false)?;
            let filter: store_content::ContentFilter = filter.map(Into::into).unwrap_or_default();
            let loaders = loaders(ctx)?;
            let (page, total) = futures::try_join!(
                loaders
                    .content_pages
                    .load_one((self.plan_id, filter.clone(), request.clone())),
                loaders.content_counts.load_one((self.plan_id, filter))
            )?;
            let page = page.unwrap_or_else(|| Page::empty_ordered(&request));
            Ok(ContentItemConnection::new(
                page,
                total.unwrap_or(0),
                CONTENT_ORDERING,
                store_content::sort_value,
            ))
        }
    }
}
