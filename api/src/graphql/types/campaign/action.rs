//! `Action`: the unit of the action plan.

use async_graphql::{Context, ID, Object, Result};
use entity::{
    action,
    action_enums::{ActionStatus, ActionType, FunnelStage, JourneyPhase, JourneyStep},
    enums::Lever,
};
use uuid::Uuid;

use crate::graphql::types::{Campaign, Plan};
use crate::{
    error::ApiError,
    graphql::{
        connection::PageArgs,
        context::{loaders, plan_currency},
        inputs::campaign::action::{ActionFilter, ActionOrder},
        loaders::action::ActionListShape,
        scalars::{Date, DateTime, Decimal},
    },
    ids::{self, NodeType},
    keyset_connection,
    store::{campaign::action::ActionParent, page::Page},
};

/// An action of a plan: a tactic on a lever, placed in the customer journey and the funnel,
/// with dates, an owner, a status, a budget and its ICE priority.
#[derive(Debug, Clone)]
pub struct Action(pub action::Model);

keyset_connection!(
    ActionConnection,
    ActionEdge,
    Action,
    action::Model,
    "A page of actions, in the order asked for.",
    "An action in a page of actions."
);

/// The page arguments, filter and order of an action list field.
pub struct ActionListArgs {
    /// `first/after/last/before`.
    pub page: PageArgs,
    /// `filter`.
    pub filter: Option<ActionFilter>,
    /// `orderBy`.
    pub order_by: Option<ActionOrder>,
}

/// Resolves `Plan.actions` or `Campaign.actions` through the batched loaders.
pub async fn nested_actions(
    ctx: &Context<'_>,
    parent: ActionParent,
    parent_id: Uuid,
    args: ActionListArgs,
) -> Result<ActionConnection> {
    let order = args.order_by.unwrap_or_default();
    let request =
        args.page
            .into_ordered_request(&order.name(), order.sort().kind(), order.descending())?;
    let filter: crate::store::campaign::action::ActionFilter =
        args.filter.map(Into::into).unwrap_or_default();
    crate::domain::campaign::action::check_filter(&filter).map_err(ApiError::from)?;
    let shape = ActionListShape {
        parent,
        filter: filter.clone(),
        sort: order.sort(),
        request: request.clone(),
    };
    let loaders = loaders(ctx)?;
    let (page, total) = futures::try_join!(
        loaders.action_pages.load_one((parent_id, shape)),
        loaders.action_counts.load_one((parent_id, parent, filter))
    )?;
    let page = page.unwrap_or_else(|| Page::empty_ordered(&request));
    let sort = order.sort();
    Ok(ActionConnection::new(
        page,
        total.unwrap_or(0),
        &order.name(),
        |row| sort.value_of(row),
    ))
}

/// An action of a plan: a tactic on a lever, placed in the customer journey and the funnel,
/// with dates, an owner, a status, a budget and its ICE priority.
#[Object]
impl Action {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Action, self.0.id)
    }

    /// The object's audit trail: `history` (ADMIN only).
    #[graphql(flatten)]
    async fn audited(&self) -> crate::graphql::types::AuditHistory {
        crate::graphql::types::AuditHistory(self.0.id)
    }

    /// The action's comments: `commentCount` and `comments`.
    #[graphql(flatten)]
    async fn commented(&self) -> crate::graphql::types::Commented {
        crate::graphql::types::Commented(entity::comment::CommentTarget::Action, self.0.id)
    }

    /// The plan the action belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = loaders(ctx)?.plan.load_one(self.0.plan_id).await?;
        Ok(Plan(plan.ok_or_else(ApiError::not_found)?))
    }

    /// The campaign the action is part of, if any (a campaign of the same plan).
    async fn campaign(&self, ctx: &Context<'_>) -> Result<Option<Campaign>> {
        let Some(campaign_id) = self.0.campaign_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .campaign
            .load_one(campaign_id)
            .await?
            .map(Campaign::from))
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Optional description.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The tactic.
    async fn action_type(&self) -> ActionType {
        self.0.action_type
    }

    /// The lever the action uses.
    async fn lever(&self) -> Lever {
        self.0.lever
    }

    /// Its step in the customer journey (seed 003).
    async fn journey_step(&self) -> JourneyStep {
        self.0.journey_step
    }

    /// The journey phase of `journeyStep` (BEFORE, DURING or AFTER), derived from the step.
    async fn phase(&self) -> JourneyPhase {
        self.0.journey_phase
    }

    /// The funnel stage the action serves.
    async fn funnel_stage(&self) -> FunnelStage {
        self.0.funnel_stage
    }

    /// First day.
    async fn start_date(&self) -> Date {
        Date(self.0.start_date)
    }

    /// Due day (inclusive).
    async fn due_date(&self) -> Date {
        Date(self.0.due_date)
    }

    /// Who is responsible (free text).
    async fn owner(&self) -> Option<&str> {
        self.0.owner.as_deref()
    }

    /// Progress.
    async fn status(&self) -> ActionStatus {
        self.0.status
    }

    /// Planned budget, in the plan's currency.
    async fn budget(&self, ctx: &Context<'_>) -> Result<Decimal> {
        let currency = plan_currency(ctx, self.0.plan_id).await?;
        Ok(Decimal::stored_amount(self.0.budget_micros, &currency))
    }

    /// Actual cost so far, in the plan's currency.
    async fn actual_cost(&self, ctx: &Context<'_>) -> Result<Decimal> {
        let currency = plan_currency(ctx, self.0.plan_id).await?;
        Ok(Decimal::stored_amount(self.0.actual_cost_micros, &currency))
    }

    /// ICE impact: how much the action moves the objectives, 1 to 10.
    async fn impact(&self) -> i32 {
        self.0.impact
    }

    /// ICE confidence: how sure the team is of that impact, 1 to 10.
    async fn confidence(&self) -> i32 {
        self.0.confidence
    }

    /// ICE ease: how little effort the action takes, 1 to 10.
    async fn ease(&self) -> i32 {
        self.0.ease
    }

    /// The priority: the ICE score, impact × confidence × ease, from 1 to 1000 (higher first).
    /// The PRIORITY order of action lists sorts by it.
    async fn ice_score(&self) -> i32 {
        self.0.ice_score
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

    /// When the action was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the action was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
