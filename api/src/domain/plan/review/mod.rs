//! The review and approval of a plan: DRAFT → IN_REVIEW → APPROVED, or back to DRAFT with
//! changes requested, and back to DRAFT again when an approved plan's budgets change
//! ([`guard`]). The plan's own `status` (DRAFT, ACTIVE, ARCHIVED) is another matter and is left
//! alone.
//!
//! The review is its history: one `plan_review_events` row per step, numbered from 1 per plan,
//! each naming who (subject and role), when, why (a note) and at which version of the plan. The
//! state is read from the last event ([`state`]). Every step names the plan version its author
//! looked at (`expectedVersion`, CONFLICT when stale); an approval records it as the version
//! approved. Who may approve, or request changes, is the tenant's setting: a least role
//! (ADMIN unless changed) and named subjects (`auth::policy::authorize_approver`).

pub mod guard;
pub mod state;

use entity::{
    plan, plan_review_event,
    review_enums::{ReviewEventKind, ReviewRole},
    tenant,
};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

pub use state::{PlanReview, ReviewState};

use crate::domain::{DomainError, DomainResult, FieldErrorCode, Session, validation::Violations};
use crate::{
    auth::{Grant, Permission, Principal, Role, policy},
    store::{self, Scoped},
};

/// A step of a plan's review, as its author asks for it.
#[derive(Debug, Clone)]
pub struct ReviewStep {
    /// The plan.
    pub plan_id: Uuid,
    /// The plan version the author looked at.
    pub expected_version: i32,
    /// Why; required when changes are requested.
    pub note: Option<String>,
}

/// A role as review settings and events store it.
pub fn stored_role(role: Role) -> ReviewRole {
    match role {
        Role::Viewer => ReviewRole::Viewer,
        Role::Editor => ReviewRole::Editor,
        Role::Admin => ReviewRole::Admin,
    }
}

/// A stored role as tokens carry it.
pub fn token_role(role: ReviewRole) -> Role {
    match role {
        ReviewRole::Viewer => Role::Viewer,
        ReviewRole::Editor => Role::Editor,
        ReviewRole::Admin => Role::Admin,
    }
}

/// The role of a principal, for the record (none for an API key).
fn actor_role(principal: &Principal) -> Option<ReviewRole> {
    match &principal.grant {
        Grant::Role(role) => Some(stored_role(*role)),
        Grant::ApiKey { .. } | Grant::SharedPlan { .. } => None,
    }
}

/// Refuses a caller who may not approve the tenant's plans (FORBIDDEN).
fn check_approver(principal: &Principal, tenant: &tenant::Model) -> DomainResult<()> {
    policy::authorize_approver(
        &principal.grant,
        &principal.subject,
        tenant.review_approver_role.map(token_role),
        &tenant.review_approvers.0,
    )?;
    Ok(())
}

/// Appends an event of `kind` after `events` (the plan's history, oldest first). With
/// `tolerate_race`, an event written meanwhile by another transaction at the same place wins
/// quietly (the guard's automatic re-opening: the other writer re-opened it too); without it,
/// that is a CONFLICT.
async fn append<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    principal: &Principal,
    plan: (Uuid, i32),
    events: &[plan_review_event::Model],
    kind: ReviewEventKind,
    note: Option<String>,
    tolerate_race: bool,
) -> DomainResult<()> {
    let (plan_id, plan_version) = plan;
    let sequence = events.last().map_or(1, |event| event.sequence + 1);
    let row = plan_review_event::ActiveModel {
        plan_id: Set(plan_id),
        sequence: Set(sequence),
        kind: Set(kind),
        actor_subject: Set(principal.subject.clone()),
        actor_role: Set(actor_role(principal)),
        note: Set(note),
        plan_version: Set(plan_version),
        ..Default::default()
    };
    let written = if tolerate_race {
        use entity::plan_review_event::Column;
        scope
            .upsert_many::<plan_review_event::Entity, _>(
                vec![row],
                sea_orm::sea_query::OnConflict::columns([
                    Column::TenantId,
                    Column::PlanId,
                    Column::Sequence,
                ])
                .do_nothing()
                .to_owned(),
            )
            .await
    } else {
        scope
            .insert::<plan_review_event::Entity, _>(row)
            .await
            .map(|_| ())
    };
    match written {
        Err(error) if error.is_unique_violation() => Err(DomainError::Conflict),
        other => Ok(other?),
    }
}

/// Records a step of `kind` on the plan, in one transaction: the caller's right to take it,
/// the plan at the version the caller looked at (held there until the commit), the review in
/// the state the step needs (INVALID_TRANSITION otherwise). Returns the plan and its review.
async fn take_step(
    session: &Session,
    step: ReviewStep,
    kind: ReviewEventKind,
) -> DomainResult<(plan::Model, PlanReview)> {
    let principal = session.principal();
    // Submitting and re-opening are editing; approving and requesting changes are the
    // approvers', whom the tenant's settings name (checked below, inside the transaction).
    let scope = match kind {
        ReviewEventKind::Submitted | ReviewEventKind::Reopened => {
            session.scope(Permission::EditPlan)?
        }
        ReviewEventKind::Approved | ReviewEventKind::ChangesRequested => {
            session.scope(Permission::ReadPlan)?
        }
    };
    let mut violations = Violations::new();
    let note = violations.text("note", step.note.as_deref());
    if kind == ReviewEventKind::ChangesRequested && note.is_none() {
        violations.add(
            &["note"],
            FieldErrorCode::Required,
            "say what should change",
        );
    }
    violations.finish()?;

    let transaction = scope.begin().await?;
    if matches!(
        kind,
        ReviewEventKind::Approved | ReviewEventKind::ChangesRequested
    ) {
        check_approver(principal, &store::tenant::current(&transaction).await?)?;
    }
    store::plan::review::hold_plan_version(&transaction, step.plan_id, step.expected_version)
        .await?;
    let events = store::plan::review::events_of_plan(&transaction, step.plan_id).await?;
    let current = state::of(&events);
    let needed = state::required_before(kind);
    if current != needed {
        let mut violations = Violations::new();
        violations.add(
            &["planId"],
            FieldErrorCode::InvalidTransition,
            format!(
                "the plan's review is {}; this step needs it {}",
                current.as_str(),
                needed.as_str()
            ),
        );
        violations.finish()?;
    }
    if kind == ReviewEventKind::Approved {
        let open = store::comment::open_threads_of_plan(&transaction, step.plan_id).await?;
        if open > 0 {
            let mut violations = Violations::new();
            violations.add(
                &["planId"],
                FieldErrorCode::InvalidTransition,
                format!(
                    "{open} comment thread(s) on the plan, its campaigns, actions or objectives \
                     are still open; resolve them before approving"
                ),
            );
            violations.finish()?;
        }
    }
    append(
        &transaction,
        principal,
        (step.plan_id, step.expected_version),
        &events,
        kind,
        note,
        false,
    )
    .await?;
    transaction.commit().await?;
    let plan = scope.get::<plan::Entity>(step.plan_id).await?;
    let events = store::plan::review::events_of_plan(&scope, step.plan_id).await?;
    Ok((plan, PlanReview::from_events(events)))
}

/// Submits a DRAFT plan for review (EDITOR or ADMIN).
pub async fn submit(
    session: &Session,
    step: ReviewStep,
) -> DomainResult<(plan::Model, PlanReview)> {
    take_step(session, step, ReviewEventKind::Submitted).await
}

/// Approves a plan IN_REVIEW at the version the approver looked at (the tenant's approvers).
pub async fn approve(
    session: &Session,
    step: ReviewStep,
) -> DomainResult<(plan::Model, PlanReview)> {
    take_step(session, step, ReviewEventKind::Approved).await
}

/// Sends a plan IN_REVIEW back to DRAFT with a note saying what to change (the tenant's
/// approvers).
pub async fn request_changes(
    session: &Session,
    step: ReviewStep,
) -> DomainResult<(plan::Model, PlanReview)> {
    take_step(session, step, ReviewEventKind::ChangesRequested).await
}

/// Re-opens an APPROVED plan: back to DRAFT, so that it can change and be submitted again
/// (EDITOR or ADMIN). Under the REFUSE policy this is the way to change an approved plan's
/// budgets.
pub async fn reopen(
    session: &Session,
    step: ReviewStep,
) -> DomainResult<(plan::Model, PlanReview)> {
    take_step(session, step, ReviewEventKind::Reopened).await
}

/// The review of one plan, read as the caller.
pub async fn of_plan(session: &Session, plan_id: Uuid) -> DomainResult<PlanReview> {
    let scope = session.scope(Permission::ReadPlan)?;
    scope.get::<plan::Entity>(plan_id).await?;
    Ok(PlanReview::from_events(
        store::plan::review::events_of_plan(&scope, plan_id).await?,
    ))
}
