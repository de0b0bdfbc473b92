//! Lever allocations: the budget (in the plan's currency) and the priority (1 highest, 5
//! lowest) a plan gives to each lever it uses, with a rationale. One allocation per lever and
//! plan. Allocating more than the plan's budget is allowed and reported as a warning.

pub mod interaction;

use entity::{enums::Lever, lever_allocation, plan};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session,
    external_ref::{
        self, ExternalRef, Parent, RawExternalRef, UpsertOutcome,
        upsert::{self, IfUnchanged},
    },
    plan::budget::{self, PlanWarning},
    plan::review::guard::{BudgetChange, budget_changed},
    validation::{Violations, duplicate_as_violation},
};
use crate::{
    auth::Permission,
    store::{self, Scoped},
};

/// Highest priority.
pub const PRIORITY_HIGHEST: i32 = 1;
/// Lowest priority.
pub const PRIORITY_LOWEST: i32 = 5;

/// What a new allocation is made of.
#[derive(Debug, Clone)]
pub struct NewAllocation {
    /// The plan.
    pub plan_id: Uuid,
    /// The lever (not yet allocated in the plan).
    pub lever: Lever,
    /// Planned budget, not negative.
    pub budget: Decimal,
    /// 1 (highest) to 5 (lowest).
    pub priority: i32,
    /// Why.
    pub rationale: Option<String>,
    /// Its reference in the system it is synced from.
    pub external_ref: Option<RawExternalRef>,
}

/// Changes to an allocation; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AllocationChanges {
    /// New lever.
    pub lever: Option<Lever>,
    /// New budget.
    pub budget: Option<Decimal>,
    /// New priority.
    pub priority: Option<i32>,
    /// New rationale (`Some(None)` clears it).
    pub rationale: Option<Option<String>>,
    /// New external reference (`Some(None)` clears it).
    pub external_ref: Option<Option<RawExternalRef>>,
}

impl AllocationChanges {
    /// The changes an upsert applies: every field of the document, as a create would set it.
    pub fn from_document(allocation: &NewAllocation) -> Self {
        Self {
            lever: Some(allocation.lever),
            budget: Some(allocation.budget),
            priority: Some(allocation.priority),
            rationale: Some(allocation.rationale.clone()),
            external_ref: None,
        }
    }
}

const DUPLICATE_LEVER: &str =
    "the plan already allocates this lever; update that allocation instead";

fn check_priority(violations: &mut Violations, priority: i32) {
    if !(PRIORITY_HIGHEST..=PRIORITY_LOWEST).contains(&priority) {
        violations.add(
            &["priority"],
            FieldErrorCode::OutOfRange,
            "must be from 1 (highest) to 5 (lowest)",
        );
    }
}

async fn check_lever<C: ConnectionTrait>(
    scope: &Scoped<C>,
    violations: &mut Violations,
    plan_id: Uuid,
    lever: Lever,
    except: Option<Uuid>,
) -> DomainResult<()> {
    if store::lever::allocation_of_lever(scope, plan_id, lever, except)
        .await?
        .is_some()
    {
        violations.add(&["lever"], FieldErrorCode::Duplicate, DUPLICATE_LEVER);
    }
    Ok(())
}

/// Creates an allocation; returns it with the plan's budget warnings after the change.
pub async fn create(
    session: &Session,
    input: NewAllocation,
) -> DomainResult<(lever_allocation::Model, Vec<PlanWarning>)> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(input.plan_id).await?;
    let mut violations = Violations::new();
    let budget_micros = violations.money("budget", input.budget);
    check_priority(&mut violations, input.priority);
    let rationale = violations.text("rationale", input.rationale.as_deref());
    check_lever(&scope, &mut violations, plan.id, input.lever, None).await?;
    let external_ref = external_ref::check_new::<lever_allocation::Entity, _>(
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
        .insert(lever_allocation::ActiveModel {
            plan_id: Set(plan.id),
            lever: Set(input.lever),
            budget_micros: Set(budget_micros),
            priority: Set(input.priority),
            rationale: Set(rationale),
            external_source: Set(external_source),
            external_id: Set(external_id),
            ..Default::default()
        })
        .await;
    let created = duplicate_as_violation(inserted, "lever", DUPLICATE_LEVER)?;
    if created.budget_micros != 0 {
        budget_changed(
            &transaction,
            session,
            plan.id,
            BudgetChange::LeverAllocation,
            &["budget"],
        )
        .await?;
    }
    let warnings = budget::of_plan_in(&transaction, plan.id).await?.warnings;
    transaction.commit().await?;
    Ok((created, warnings))
}

/// Applies changes if the version is `expected_version`; returns the allocation with the
/// plan's budget warnings after the change.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: AllocationChanges,
) -> DomainResult<(lever_allocation::Model, Vec<PlanWarning>)> {
    let scope = session.scope(Permission::EditPlan)?;
    let transaction = scope.begin().await?;
    let updated = update_in(&transaction, session, id, expected_version, changes).await?;
    transaction.commit().await?;
    Ok(updated)
}

/// [`update`] inside the caller's transaction (`applyScenario` writes several budgets in one),
/// which the caller commits: the one write path of an allocation's changes.
pub async fn update_in<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: AllocationChanges,
) -> DomainResult<(lever_allocation::Model, Vec<PlanWarning>)> {
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
/// the changes would leave the allocation as it is.
async fn update_in_with<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: AllocationChanges,
    if_unchanged: IfUnchanged,
) -> DomainResult<Option<(lever_allocation::Model, Vec<PlanWarning>)>> {
    let current = scope.get::<lever_allocation::Entity>(id).await?;
    let mut violations = Violations::new();
    let mut row = lever_allocation::ActiveModel {
        ..Default::default()
    };
    if let Some(lever) = changes.lever {
        check_lever(scope, &mut violations, current.plan_id, lever, Some(id)).await?;
        row.lever = Set(lever);
    }
    if let Some(budget) = changes.budget {
        row.budget_micros = Set(violations.money("budget", budget));
    }
    if let Some(priority) = changes.priority {
        check_priority(&mut violations, priority);
        row.priority = Set(priority);
    }
    if let Some(rationale) = &changes.rationale {
        row.rationale = Set(violations.text("rationale", rationale.as_deref()));
    }
    let external_ref = external_ref::check_change::<lever_allocation::Entity, _>(
        scope,
        &mut violations,
        changes.external_ref.as_ref().map(Option::as_ref),
        id,
    )
    .await?;
    violations.finish()?;
    external_ref::set_change(&mut row, external_ref);
    if if_unchanged == IfUnchanged::Skip && !upsert::row_differs(&current, &row) {
        upsert::keep(current.version, expected_version)?;
        return Ok(None);
    }
    let updated = duplicate_as_violation(
        scope
            .update_versioned::<lever_allocation::Entity, _>(id, expected_version, row)
            .await,
        "lever",
        DUPLICATE_LEVER,
    )?;
    // Money moves when the amount changes, or when a non-zero amount moves to another lever.
    if updated.budget_micros != current.budget_micros
        || (updated.lever != current.lever && updated.budget_micros != 0)
    {
        let path = if updated.budget_micros != current.budget_micros {
            "budget"
        } else {
            "lever"
        };
        budget_changed(
            scope,
            session,
            current.plan_id,
            BudgetChange::LeverAllocation,
            &[path],
        )
        .await?;
    }
    let warnings = budget::of_plan_in(scope, current.plan_id).await?.warnings;
    Ok(Some((updated, warnings)))
}

/// Creates or changes the allocation with the reference `reference`, in the plan `plan` (by id
/// or by reference; see [`external_ref::upsert`] for what it keeps): the create's and the
/// update's checks (one allocation per lever and plan), `UNCHANGED` with nothing written when
/// the allocation already is as given. `document.plan_id` is ignored: `plan` names the plan.
pub async fn upsert(
    session: &Session,
    reference: RawExternalRef,
    expected_version: Option<i32>,
    plan: Parent,
    document: NewAllocation,
) -> DomainResult<(lever_allocation::Model, UpsertOutcome)> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan_path = upsert::parent_path(&plan, "planId", "planRef");
    let plan_id = upsert::parent_id::<plan::Entity, _>(&scope, plan_path, &plan).await?;
    let changes = AllocationChanges::from_document(&document);
    let scope = &scope;
    upsert::run::<lever_allocation::Entity, _>(
        scope,
        reference,
        expected_version,
        async move |reference| {
            let new = NewAllocation {
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

/// Deletes an allocation.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    let transaction = scope.begin().await?;
    let current = transaction.get::<lever_allocation::Entity>(id).await?;
    transaction.delete::<lever_allocation::Entity>(id).await?;
    if current.budget_micros != 0 {
        budget_changed(
            &transaction,
            session,
            current.plan_id,
            BudgetChange::LeverAllocation,
            &["id"],
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(id)
}
