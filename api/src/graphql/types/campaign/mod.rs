//! `Campaign`: a coordinated set of actions of a plan.

pub mod action;
pub mod content;
pub mod lists;
pub mod read_ahead;

use std::borrow::Cow;

use async_graphql::{Context, ID, Object, Result};
use entity::{
    campaign,
    enums::{CampaignStatus, Lever, ObjectiveKind},
};

use self::{lists::CampaignLists, read_ahead::CampaignRow};
use crate::graphql::types::{Objective, Persona, Plan};
use crate::{
    connection,
    error::ApiError,
    graphql::{
        context::{loaders, plan_currency},
        scalars::{Date, DateTime, Decimal},
    },
    ids::{self, NodeType},
};

/// A campaign of a plan: a family (kind), the levers it uses, the personas it targets, dates
/// inside the plan's period, a planned budget in the plan's currency, and a status.
#[derive(Debug, Clone)]
pub struct Campaign(pub CampaignRow);

impl From<campaign::Model> for Campaign {
    fn from(model: campaign::Model) -> Self {
        Self(model.into())
    }
}

connection!(
    CampaignConnection,
    CampaignEdge,
    Campaign,
    campaign::Model,
    "A page of campaigns.",
    "A campaign in a page of campaigns."
);

impl CampaignConnection {
    /// [`CampaignConnection::new`], with the relations the query selects under the connection
    /// read ahead for the whole page (see [`read_ahead`]). `plan_currency` is the currency of
    /// the one plan the page's campaigns belong to, when the caller knows it.
    pub async fn read_ahead(
        ctx: &Context<'_>,
        page: crate::store::page::Page<campaign::Model>,
        total_count: u64,
        plan_currency: Option<std::sync::Arc<str>>,
    ) -> Result<Self, ApiError> {
        let mut connection = Self::new(page, total_count);
        read_ahead::read_ahead(ctx, &mut connection.nodes, plan_currency).await?;
        Ok(connection)
    }
}

/// A campaign of a plan: a family (kind), the levers it uses, the personas it targets, dates
/// inside the plan's period, a planned budget in the plan's currency, and a status.
#[Object]
impl Campaign {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Campaign, self.0.id)
    }

    /// The object's audit trail: `history` (ADMIN only).
    #[graphql(flatten)]
    async fn audited(&self) -> crate::graphql::types::AuditHistory {
        crate::graphql::types::AuditHistory(self.0.id)
    }

    /// The campaign's comments: `commentCount` and `comments`.
    #[graphql(flatten)]
    async fn commented(&self) -> crate::graphql::types::Commented {
        crate::graphql::types::Commented(entity::comment::CommentTarget::Campaign, self.0.id)
    }

    /// The plan the campaign belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        // The foreign key guarantees the plan exists; a miss means it was deleted meanwhile.
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Family: awareness, traffic, conversion or loyalty.
    async fn kind(&self) -> ObjectiveKind {
        self.0.kind
    }

    /// The levers the campaign uses, in the order given.
    async fn levers(&self, ctx: &Context<'_>) -> Result<Cow<'_, Vec<Lever>>> {
        if let Some(levers) = &self.0.read_ahead.levers {
            return Ok(Cow::Borrowed(levers));
        }
        Ok(Cow::Owned(
            loaders(ctx)?
                .campaign_levers
                .load_one(self.0.id)
                .await?
                .unwrap_or_default(),
        ))
    }

    /// The personas the campaign targets.
    async fn personas(&self, ctx: &Context<'_>) -> Result<Cow<'_, Vec<Persona>>> {
        if let Some(personas) = &self.0.read_ahead.personas {
            return Ok(Cow::Borrowed(personas));
        }
        let personas = loaders(ctx)?.campaign_personas.load_one(self.0.id).await?;
        Ok(Cow::Owned(
            personas
                .unwrap_or_default()
                .into_iter()
                .map(Persona)
                .collect(),
        ))
    }

    /// The objectives the campaign serves, by deadline.
    async fn objectives(&self, ctx: &Context<'_>) -> Result<Vec<Objective>> {
        let objectives = loaders(ctx)?
            .campaign_objectives
            .load_one(self.0.id)
            .await?;
        Ok(objectives
            .unwrap_or_default()
            .into_iter()
            .map(Objective)
            .collect())
    }

    /// The `utm_campaign` code its links carry, unique in the plan.
    async fn utm_code(&self) -> Option<&str> {
        self.0.utm_code.as_deref()
    }

    /// The campaign this one is part of, in the same plan; null for a top-level campaign.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Campaign>> {
        let Some(parent_id) = self.0.parent_campaign_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .campaign
            .load_one(parent_id)
            .await?
            .map(Campaign::from))
    }

    /// The campaigns that are part of this one, oldest first.
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Campaign>> {
        let children = loaders(ctx)?.campaign_children.load_one(self.0.id).await?;
        Ok(children
            .unwrap_or_default()
            .into_iter()
            .map(Campaign::from)
            .collect())
    }

    /// First day.
    async fn start_date(&self) -> Date {
        Date(self.0.start_date)
    }

    /// Last day (inclusive).
    async fn end_date(&self) -> Date {
        Date(self.0.end_date)
    }

    /// Planned budget, in the plan's currency.
    async fn budget(&self, ctx: &Context<'_>) -> Result<Decimal> {
        if let Some(currency) = &self.0.read_ahead.currency {
            return Ok(Decimal::stored_amount(self.0.budget_micros, currency));
        }
        let currency = plan_currency(ctx, self.0.plan_id).await?;
        Ok(Decimal::stored_amount(self.0.budget_micros, &currency))
    }

    /// Lifecycle status.
    async fn status(&self) -> CampaignStatus {
        self.0.status
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

    /// When the campaign was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the campaign was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }

    /// The campaign's Relay connection: `actions`.
    #[graphql(flatten)]
    async fn lists(&self) -> CampaignLists {
        CampaignLists(self.0.id)
    }
}
