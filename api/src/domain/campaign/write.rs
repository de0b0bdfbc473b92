//! Creating, changing and deleting campaigns, each in one transaction with the campaign's
//! levers, personas and objectives (and, for a delete, its sub-campaigns and actions).

use entity::{campaign, enums::CampaignStatus, plan};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::{
    CampaignChanges, NewCampaign,
    checks::{
        DUPLICATE_UTM_CODE, check_dates, check_objectives, check_parent, check_status,
        check_utm_code,
    },
};
use crate::domain::{
    DomainError, DomainResult, Session,
    external_ref::{
        self, ExternalRef, Parent, RawExternalRef, UpsertOutcome,
        upsert::{self, IfUnchanged},
    },
    plan::{
        budget::{self, PlanWarning},
        check_personas,
        review::guard::{BudgetChange, budget_changed},
        same_set,
    },
    validation::{Violations, duplicate_as_violation, unique},
};
use crate::{
    auth::Permission,
    store::{self, Scoped},
};

/// Creates a campaign with its levers, personas and objectives, in one transaction; returns it
/// with the plan's budget warnings as that transaction leaves the plan.
pub async fn create(
    session: &Session,
    input: NewCampaign,
) -> DomainResult<(campaign::Model, Vec<PlanWarning>)> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(input.plan_id).await?;
    let mut violations = Violations::new();
    let name = violations.name("name", &input.name);
    check_dates(&mut violations, &plan, input.start_date, input.end_date);
    let budget_micros = violations.money("budget", input.budget);
    let persona_ids =
        check_personas(&scope, &mut violations, "personaIds", &input.persona_ids).await?;
    let objective_ids =
        check_objectives(&scope, &mut violations, plan.id, &input.objective_ids).await?;
    let utm_code = match &input.utm_code {
        Some(code) => Some(check_utm_code(&scope, &mut violations, plan.id, code, None).await?),
        None => None,
    };
    if let Some(parent_id) = input.parent_campaign_id {
        check_parent(&scope, &mut violations, plan.id, None, parent_id).await?;
    }
    let external_ref = external_ref::check_new::<campaign::Entity, _>(
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
        .insert(campaign::ActiveModel {
            plan_id: Set(plan.id),
            name: Set(name),
            kind: Set(input.kind),
            start_date: Set(input.start_date),
            end_date: Set(input.end_date),
            budget_micros: Set(budget_micros),
            status: Set(input.status.unwrap_or(CampaignStatus::Planned)),
            utm_code: Set(utm_code),
            parent_campaign_id: Set(input.parent_campaign_id),
            external_source: Set(external_source),
            external_id: Set(external_id),
            ..Default::default()
        })
        .await;
    let created = duplicate_as_violation(inserted, "utmCode", DUPLICATE_UTM_CODE)?;
    store::campaign::set_levers(&transaction, created.id, &unique(&input.levers)).await?;
    store::campaign::set_personas(&transaction, created.id, &persona_ids).await?;
    store::campaign::set_objectives(&transaction, created.id, &objective_ids).await?;
    if created.budget_micros != 0 {
        budget_changed(
            &transaction,
            session,
            plan.id,
            BudgetChange::Campaign,
            &["budget"],
        )
        .await?;
    }
    let warnings = budget::of_plan_in(&transaction, plan.id).await?.warnings;
    transaction.commit().await?;
    Ok((created, warnings))
}

/// Applies changes to a campaign if its version is `expected_version`; returns it with the
/// plan's budget warnings as the change leaves the plan.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: CampaignChanges,
) -> DomainResult<(campaign::Model, Vec<PlanWarning>)> {
    let scope = session.scope(Permission::EditPlan)?;
    let transaction = scope.begin().await?;
    let updated = update_in(&transaction, session, id, expected_version, changes).await?;
    transaction.commit().await?;
    Ok(updated)
}

/// [`update`] inside the caller's transaction (`applyScenario` writes several budgets in one),
/// which the caller commits: the one write path of a campaign's changes.
pub async fn update_in<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: CampaignChanges,
) -> DomainResult<(campaign::Model, Vec<PlanWarning>)> {
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
/// the changes would leave the campaign and its links as they are.
async fn update_in_with<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: CampaignChanges,
    if_unchanged: IfUnchanged,
) -> DomainResult<Option<(campaign::Model, Vec<PlanWarning>)>> {
    let current = scope.get::<campaign::Entity>(id).await?;
    let plan = scope.get::<plan::Entity>(current.plan_id).await?;
    let mut violations = Violations::new();
    let mut row = campaign::ActiveModel {
        ..Default::default()
    };
    if let Some(name) = &changes.name {
        row.name = Set(violations.name("name", name));
    }
    if let Some(kind) = changes.kind {
        row.kind = Set(kind);
    }
    if changes.start_date.is_some() || changes.end_date.is_some() {
        let start = changes.start_date.unwrap_or(current.start_date);
        let end = changes.end_date.unwrap_or(current.end_date);
        check_dates(&mut violations, &plan, start, end);
        row.start_date = Set(start);
        row.end_date = Set(end);
    }
    if let Some(budget) = changes.budget {
        row.budget_micros = Set(violations.money("budget", budget));
    }
    if let Some(status) = changes.status {
        check_status(&mut violations, current.status, status, changes.reopen);
        row.status = Set(status);
    }
    if let Some(code) = &changes.utm_code {
        row.utm_code = Set(match code {
            Some(code) => {
                Some(check_utm_code(scope, &mut violations, plan.id, code, Some(id)).await?)
            }
            None => None,
        });
    }
    if let Some(parent) = changes.parent_campaign_id {
        if let Some(parent_id) = parent {
            check_parent(scope, &mut violations, plan.id, Some(id), parent_id).await?;
        }
        row.parent_campaign_id = Set(parent);
    }
    let persona_ids = match &changes.persona_ids {
        Some(ids) => Some(check_personas(scope, &mut violations, "personaIds", ids).await?),
        None => None,
    };
    let objective_ids = match &changes.objective_ids {
        Some(ids) => Some(check_objectives(scope, &mut violations, plan.id, ids).await?),
        None => None,
    };
    let external_ref = external_ref::check_change::<campaign::Entity, _>(
        scope,
        &mut violations,
        changes.external_ref.as_ref().map(Option::as_ref),
        id,
    )
    .await?;
    violations.finish()?;
    external_ref::set_change(&mut row, external_ref);
    if if_unchanged == IfUnchanged::Skip
        && !upsert::row_differs(&current, &row)
        && links_unchanged(
            scope,
            id,
            changes.levers.as_deref(),
            persona_ids.as_deref(),
            objective_ids.as_deref(),
        )
        .await?
    {
        upsert::keep(current.version, expected_version)?;
        return Ok(None);
    }

    let updated = duplicate_as_violation(
        scope
            .update_versioned::<campaign::Entity, _>(id, expected_version, row)
            .await,
        "utmCode",
        DUPLICATE_UTM_CODE,
    )?;
    if let Some(levers) = &changes.levers {
        store::campaign::set_levers(scope, id, &unique(levers)).await?;
    }
    if let Some(persona_ids) = persona_ids {
        store::campaign::set_personas(scope, id, &persona_ids).await?;
    }
    if let Some(objective_ids) = objective_ids {
        store::campaign::set_objectives(scope, id, &objective_ids).await?;
    }
    if updated.budget_micros != current.budget_micros {
        budget_changed(scope, session, plan.id, BudgetChange::Campaign, &["budget"]).await?;
    }
    let warnings = budget::of_plan_in(scope, plan.id).await?.warnings;
    Ok(Some((updated, warnings)))
}

/// Whether the given links (`None`: not changed) are those the campaign has: its levers in
/// the same order, its personas and objectives as sets.
async fn links_unchanged<C: sea_orm::ConnectionTrait>(
    scope: &Scoped<C>,
    id: Uuid,
    levers: Option<&[entity::enums::Lever]>,
    persona_ids: Option<&[Uuid]>,
    objective_ids: Option<&[Uuid]>,
) -> DomainResult<bool> {
    if let Some(levers) = levers {
        let current = store::campaign::levers_by_campaign(scope, &[id]).await?;
        if current.get(&id).map(Vec::as_slice).unwrap_or_default() != unique(levers).as_slice() {
            return Ok(false);
        }
    }
    if let Some(persona_ids) = persona_ids {
        let current = store::campaign::personas_by_campaign(scope, &[id]).await?;
        let current: Vec<Uuid> = current
            .get(&id)
            .map(|list| list.iter().map(|persona| persona.id).collect())
            .unwrap_or_default();
        if !same_set(persona_ids, &current) {
            return Ok(false);
        }
    }
    if let Some(objective_ids) = objective_ids {
        let current = store::campaign::objectives_by_campaign(scope, &[id]).await?;
        let current: Vec<Uuid> = current
            .get(&id)
            .map(|list| list.iter().map(|objective| objective.id).collect())
            .unwrap_or_default();
        if !same_set(objective_ids, &current) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Creates or changes the campaign with the reference `reference`, in the plan `plan` (by id
/// or by reference; see [`external_ref::upsert`] for what it keeps): the create's and the
/// update's checks, `UNCHANGED` with nothing written when the campaign and its links already
/// are as given. `document.plan_id` is ignored: `plan` names the plan.
pub async fn upsert(
    session: &Session,
    reference: RawExternalRef,
    expected_version: Option<i32>,
    plan: Parent,
    document: NewCampaign,
) -> DomainResult<(campaign::Model, UpsertOutcome)> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan_path = upsert::parent_path(&plan, "planId", "planRef");
    let plan_id = upsert::parent_id::<plan::Entity, _>(&scope, plan_path, &plan).await?;
    let changes = CampaignChanges::from_document(&document);
    let scope = &scope;
    upsert::run::<campaign::Entity, _>(
        scope,
        reference,
        expected_version,
        async move |reference| {
            let new = NewCampaign {
                plan_id,
                external_ref: Some(reference),
                ..document
            };
            Ok(create(session, new).await?.0)
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
            Ok(updated.map(|(updated, _)| updated))
        },
    )
    .await
}

/// Deletes a campaign with its lever, persona and objective links. Its sub-campaigns become
/// top-level campaigns and its actions stay in the plan, detached from it, in the same
/// transaction.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    let transaction = scope.begin().await?;
    let current = transaction.get::<campaign::Entity>(id).await?;
    store::campaign::detach_children(&transaction, id).await?;
    let detached = store::campaign::action::detach_from_campaign(&transaction, id).await?;
    transaction.delete::<campaign::Entity>(id).await?;
    // Its budget leaves the plan; its actions' budgets leave the campaign.
    if current.budget_micros != 0 || detached > 0 {
        budget_changed(
            &transaction,
            session,
            current.plan_id,
            BudgetChange::Campaign,
            &["id"],
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(id)
}
