//! Creating, changing and deleting actions: dates inside the plan's period, ICE inputs in range
//! (the score follows them), an optional campaign of the same plan.

use chrono::NaiveDate;
use entity::{action, action_enums::ActionStatus, campaign, plan};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use super::{ActionChanges, ICE_MAX, ICE_MIN, MAX_OWNER_CHARS, NewAction, ice_score};
use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session,
    external_ref::{
        self, ExternalRef, Parent, RawExternalRef, UpsertOutcome,
        upsert::{self, IfUnchanged},
    },
    plan::review::guard::{BudgetChange, action_share, budget_changed},
    validation::{Violations, duplicate_as_violation},
};
use crate::{
    auth::Permission,
    store::{self, Scoped},
};

fn check_dates(violations: &mut Violations, plan: &plan::Model, start: NaiveDate, due: NaiveDate) {
    violations.date_order("dueDate", start, due);
    violations.within_period("startDate", start, plan.period_start, plan.period_end);
    violations.within_period("dueDate", due, plan.period_start, plan.period_end);
}

fn check_ice(violations: &mut Violations, path: &str, value: i32) -> i32 {
    if !(ICE_MIN..=ICE_MAX).contains(&value) {
        violations.add(
            &[path],
            FieldErrorCode::OutOfRange,
            format!("must be between {ICE_MIN} and {ICE_MAX}"),
        );
    }
    value
}

/// Checks that `campaign_id` is a campaign of the tenant in `plan_id`.
async fn check_campaign<C: ConnectionTrait>(
    scope: &Scoped<C>,
    violations: &mut Violations,
    plan_id: Uuid,
    campaign_id: Uuid,
) -> DomainResult<()> {
    match scope.find::<campaign::Entity>(campaign_id).await? {
        None => violations.add(
            &["campaignId"],
            FieldErrorCode::NotFound,
            "no such campaign",
        ),
        Some(found) if found.plan_id != plan_id => violations.add(
            &["campaignId"],
            FieldErrorCode::Invalid,
            "the campaign belongs to another plan",
        ),
        Some(_) => {}
    }
    Ok(())
}

/// Creates an action.
pub async fn create(session: &Session, input: NewAction) -> DomainResult<action::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(input.plan_id).await?;
    let mut violations = Violations::new();
    let title = violations.name("title", &input.title);
    let description = violations.text("description", input.description.as_deref());
    check_dates(&mut violations, &plan, input.start_date, input.due_date);
    let owner = violations.short_text("owner", input.owner.as_deref(), MAX_OWNER_CHARS);
    let budget_micros = violations.money("budget", input.budget);
    let actual_cost_micros =
        violations.money("actualCost", input.actual_cost.unwrap_or(Decimal::ZERO));
    let impact = check_ice(&mut violations, "impact", input.impact);
    let confidence = check_ice(&mut violations, "confidence", input.confidence);
    let ease = check_ice(&mut violations, "ease", input.ease);
    if let Some(campaign_id) = input.campaign_id {
        check_campaign(&scope, &mut violations, plan.id, campaign_id).await?;
    }
    let external_ref = external_ref::check_new::<action::Entity, _>(
        &scope,
        &mut violations,
        input.external_ref.as_ref(),
        None,
    )
    .await?;
    violations.finish()?;
    let (external_source, external_id) = ExternalRef::columns(external_ref.as_ref());

    let transaction = scope.begin().await?;
    let inserted = transaction
        .insert(action::ActiveModel {
            plan_id: Set(plan.id),
            campaign_id: Set(input.campaign_id),
            title: Set(title),
            description: Set(description),
            action_type: Set(input.action_type),
            lever: Set(input.lever),
            journey_step: Set(input.journey_step),
            journey_phase: Set(input.journey_step.phase()),
            funnel_stage: Set(input.funnel_stage),
            start_date: Set(input.start_date),
            due_date: Set(input.due_date),
            owner: Set(owner),
            status: Set(input.status.unwrap_or(ActionStatus::Todo)),
            budget_micros: Set(budget_micros),
            actual_cost_micros: Set(actual_cost_micros),
            impact: Set(impact),
            confidence: Set(confidence),
            ease: Set(ease),
            ice_score: Set(ice_score(impact, confidence, ease)),
            external_source: Set(external_source),
            external_id: Set(external_id),
            ..Default::default()
        })
        .await;
    let created = duplicate_as_violation(inserted, "externalRef", external_ref::DUPLICATE_MESSAGE)?;
    if action_share(&created).is_some() {
        budget_changed(
            &transaction,
            session,
            plan.id,
            BudgetChange::Action,
            &["budget"],
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(created)
}

/// Applies changes to an action if its version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: ActionChanges,
) -> DomainResult<action::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let transaction = scope.begin().await?;
    let updated = update_in(&transaction, session, id, expected_version, changes).await?;
    transaction.commit().await?;
    Ok(updated)
}

/// [`update`] inside the caller's transaction (`applyScenario` writes several budgets in one),
/// which the caller commits: the one write path of an action's changes.
pub async fn update_in<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: ActionChanges,
) -> DomainResult<action::Model> {
    update_in_with(
        scope,
        session,
        id,
        expected_version,
        changes,
        IfUnchanged::Write,
    )
    .await?
    .ok_or_else(|| DomainError::Internal("an update wrote nothing".into()))
}

/// [`update_in`], which in [`IfUnchanged::Skip`] mode writes nothing (and returns `None`) when
/// the changes would leave the action as it is.
async fn update_in_with<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: ActionChanges,
    if_unchanged: IfUnchanged,
) -> DomainResult<Option<action::Model>> {
    let current = scope.get::<action::Entity>(id).await?;
    let plan = scope.get::<plan::Entity>(current.plan_id).await?;
    let mut violations = Violations::new();
    let mut row = action::ActiveModel {
        ..Default::default()
    };
    if let Some(campaign_id) = changes.campaign_id {
        if let Some(campaign_id) = campaign_id {
            check_campaign(scope, &mut violations, plan.id, campaign_id).await?;
        }
        row.campaign_id = Set(campaign_id);
    }
    if let Some(title) = &changes.title {
        row.title = Set(violations.name("title", title));
    }
    if let Some(description) = &changes.description {
        row.description = Set(violations.text("description", description.as_deref()));
    }
    if let Some(action_type) = changes.action_type {
        row.action_type = Set(action_type);
    }
    if let Some(lever) = changes.lever {
        row.lever = Set(lever);
    }
    if let Some(step) = changes.journey_step {
        row.journey_step = Set(step);
        row.journey_phase = Set(step.phase());
    }
    if let Some(stage) = changes.funnel_stage {
        row.funnel_stage = Set(stage);
    }
    if changes.start_date.is_some() || changes.due_date.is_some() {
        let start = changes.start_date.unwrap_or(current.start_date);
        let due = changes.due_date.unwrap_or(current.due_date);
        check_dates(&mut violations, &plan, start, due);
        row.start_date = Set(start);
        row.due_date = Set(due);
    }
    if let Some(owner) = &changes.owner {
        row.owner = Set(violations.short_text("owner", owner.as_deref(), MAX_OWNER_CHARS));
    }
    if let Some(status) = changes.status {
        row.status = Set(status);
    }
    if let Some(budget) = changes.budget {
        row.budget_micros = Set(violations.money("budget", budget));
    }
    if let Some(cost) = changes.actual_cost {
        row.actual_cost_micros = Set(violations.money("actualCost", cost));
    }
    let mut ice = None;
    if changes.impact.is_some() || changes.confidence.is_some() || changes.ease.is_some() {
        let impact = check_ice(
            &mut violations,
            "impact",
            changes.impact.unwrap_or(current.impact),
        );
        let confidence = check_ice(
            &mut violations,
            "confidence",
            changes.confidence.unwrap_or(current.confidence),
        );
        let ease = check_ice(
            &mut violations,
            "ease",
            changes.ease.unwrap_or(current.ease),
        );
        ice = Some((impact, confidence, ease));
    }
    let external_ref = external_ref::check_change::<action::Entity, _>(
        scope,
        &mut violations,
        changes.external_ref.as_ref().map(Option::as_ref),
        id,
    )
    .await?;
    violations.finish()?;
    external_ref::set_change(&mut row, external_ref);
    // Scored only once the three are known to be in range: out-of-range inputs could overflow.
    if let Some((impact, confidence, ease)) = ice {
        row.impact = Set(impact);
        row.confidence = Set(confidence);
        row.ease = Set(ease);
        row.ice_score = Set(ice_score(impact, confidence, ease));
    }
    if if_unchanged == IfUnchanged::Skip && !upsert::row_differs(&current, &row) {
        upsert::keep(current.version, expected_version)?;
        return Ok(None);
    }
    let updated = duplicate_as_violation(
        scope
            .update_versioned::<action::Entity, _>(id, expected_version, row)
            .await,
        "externalRef",
        external_ref::DUPLICATE_MESSAGE,
    )?;
    if action_share(&updated) != action_share(&current) {
        let path = if updated.budget_micros != current.budget_micros {
            "budget"
        } else if updated.status != current.status {
            "status"
        } else if updated.lever != current.lever {
            "lever"
        } else {
            "campaignId"
        };
        budget_changed(scope, session, plan.id, BudgetChange::Action, &[path]).await?;
    }
    Ok(Some(updated))
}

/// Creates or changes the action with the reference `reference`, in the plan `plan` (by id or
/// by reference), part of the campaign `document.campaign_id` or of the campaign with the
/// reference `campaign_ref` (see [`external_ref::upsert`] for what it keeps): the create's
/// and the update's checks, `UNCHANGED` with nothing written when the action already is as
/// given. `document.plan_id` is ignored: `plan` names the plan.
pub async fn upsert(
    session: &Session,
    reference: RawExternalRef,
    expected_version: Option<i32>,
    plan: Parent,
    campaign_ref: Option<RawExternalRef>,
    mut document: NewAction,
) -> DomainResult<(action::Model, UpsertOutcome)> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan_path = upsert::parent_path(&plan, "planId", "planRef");
    let plan_id = upsert::parent_id::<plan::Entity, _>(&scope, plan_path, &plan).await?;
    if let Some(campaign_ref) = campaign_ref {
        if document.campaign_id.is_some() {
            let mut violations = Violations::new();
            violations.add(
                &["campaignRef"],
                FieldErrorCode::Invalid,
                "give campaignId or campaignRef, not both",
            );
            violations.finish()?;
        }
        let campaign = Parent::Ref(campaign_ref);
        document.campaign_id =
            Some(upsert::parent_id::<campaign::Entity, _>(&scope, "campaignRef", &campaign).await?);
    }
    let changes = ActionChanges::from_document(&document);
    let scope = &scope;
    upsert::run::<action::Entity, _>(
        scope,
        reference,
        expected_version,
        async move |reference| {
            let new = NewAction {
                plan_id,
                external_ref: Some(reference),
                ..document
            };
            create(session, new).await
        },
        async move |current, expected_version| {
            upsert::same_parent(plan_path, current.plan_id, plan_id)?;
            let transaction = scope.begin().await?;
            let updated = update_in_with(
                &transaction,
                session,
                current.id,
                expected_version,
                changes,
                IfUnchanged::Skip,
            )
            .await?;
            transaction.commit().await?;
            Ok(updated)
        },
    )
    .await
}

/// Deletes an action; its content items stay in the plan, detached from it.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    let transaction = scope.begin().await?;
    let current = transaction.get::<action::Entity>(id).await?;
    store::campaign::content::detach_from_action(&transaction, id).await?;
    transaction.delete::<action::Entity>(id).await?;
    if action_share(&current).is_some() {
        budget_changed(
            &transaction,
            session,
            current.plan_id,
            BudgetChange::Action,
            &["id"],
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(id)
}
