//! SMART objectives: a KPI of the catalogue, a target, a deadline inside the plan's period.

use chrono::NaiveDate;
use entity::{enums::ObjectiveKind, objective, plan};
use rust_decimal::Decimal;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::auth::Permission;
use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session,
    external_ref::{
        self, ExternalRef, Parent, RawExternalRef, UpsertOutcome,
        upsert::{self, IfUnchanged},
    },
    validation::{Violations, duplicate_as_violation},
};

/// What a new objective is made of. KPI, target and deadline are required; they are optional
/// here so that a missing one is reported as a field error like any other.
#[derive(Debug, Clone)]
pub struct NewObjective {
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// Title.
    pub title: String,
    /// Statement.
    pub statement: Option<String>,
    /// Family.
    pub kind: ObjectiveKind,
    /// KPI key.
    pub kpi_key: Option<String>,
    /// Baseline value.
    pub baseline: Option<Decimal>,
    /// Target value.
    pub target: Option<Decimal>,
    /// Rationale.
    pub rationale: Option<String>,
    /// Deadline.
    pub deadline: Option<NaiveDate>,
    /// Its reference in the system it is synced from.
    pub external_ref: Option<RawExternalRef>,
}

/// Changes to an objective; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ObjectiveChanges {
    /// New title.
    pub title: Option<String>,
    /// New statement (`Some(None)` clears it).
    pub statement: Option<Option<String>>,
    /// New family.
    pub kind: Option<ObjectiveKind>,
    /// New KPI key.
    pub kpi_key: Option<String>,
    /// New baseline (`Some(None)` clears it).
    pub baseline: Option<Option<Decimal>>,
    /// New target.
    pub target: Option<Decimal>,
    /// New rationale (`Some(None)` clears it).
    pub rationale: Option<Option<String>>,
    /// New deadline.
    pub deadline: Option<NaiveDate>,
    /// New external reference (`Some(None)` clears it).
    pub external_ref: Option<Option<RawExternalRef>>,
}

impl ObjectiveChanges {
    /// The changes an upsert applies: every field of the document, as a create would set it.
    pub fn from_document(objective: &NewObjective) -> Self {
        let objective = objective.clone();
        Self {
            title: Some(objective.title),
            statement: Some(objective.statement),
            kind: Some(objective.kind),
            kpi_key: objective.kpi_key,
            baseline: Some(objective.baseline),
            target: objective.target,
            rationale: Some(objective.rationale),
            deadline: objective.deadline,
            external_ref: None,
        }
    }
}

async fn check_kpi(
    session: &Session,
    violations: &mut Violations,
    key: &str,
) -> DomainResult<String> {
    let key = key.trim().to_owned();
    if key.is_empty() {
        violations.add(
            &["kpiKey"],
            FieldErrorCode::Required,
            "an objective is measured by a KPI",
        );
    } else if !violations.check_text(
        &["kpiKey"],
        &key,
        crate::domain::kpi::measurement::MAX_KPI_KEY_CHARS,
    ) {
        // Malformed: reported, and not looked up.
    } else if crate::domain::kpi::catalogue::find(session, &key)
        .await?
        .is_none()
    {
        violations.add(
            &["kpiKey"],
            FieldErrorCode::NotFound,
            format!("no KPI has the key `{key}`"),
        );
    }
    Ok(key)
}

/// Creates an objective.
pub async fn create(session: &Session, input: NewObjective) -> DomainResult<objective::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(input.plan_id).await?;
    let mut v = Violations::new();
    let title = v.name("title", &input.title);
    let statement = v.text("statement", input.statement.as_deref());
    let rationale = v.text("rationale", input.rationale.as_deref());
    let kpi_key = match &input.kpi_key {
        Some(key) => check_kpi(session, &mut v, key).await?,
        None => {
            v.add(
                &["kpiKey"],
                FieldErrorCode::Required,
                "an objective is measured by a KPI",
            );
            String::new()
        }
    };
    let baseline_micros = input.baseline.map(|value| v.amount("baseline", value));
    let target_micros = match input.target {
        Some(value) => v.amount("target", value),
        None => {
            v.add(
                &["target"],
                FieldErrorCode::Required,
                "an objective has a target value",
            );
            0
        }
    };
    let deadline = match input.deadline {
        Some(deadline) => {
            v.within_period("deadline", deadline, plan.period_start, plan.period_end);
            deadline
        }
        None => {
            v.add(
                &["deadline"],
                FieldErrorCode::Required,
                "an objective has a deadline",
            );
            plan.period_end
        }
    };
    let external_ref = external_ref::check_new::<objective::Entity, _>(
        &scope,
        &mut v,
        input.external_ref.as_ref(),
        None,
    )
    .await?;
    v.finish()?;
    let (external_source, external_id) = ExternalRef::columns(external_ref.as_ref());

    let inserted = scope
        .insert(objective::ActiveModel {
            plan_id: Set(plan.id),
            title: Set(title),
            statement: Set(statement),
            kind: Set(input.kind),
            kpi_key: Set(kpi_key),
            baseline_micros: Set(baseline_micros),
            target_micros: Set(target_micros),
            rationale: Set(rationale),
            deadline: Set(deadline),
            external_source: Set(external_source),
            external_id: Set(external_id),
            ..Default::default()
        })
        .await;
    duplicate_as_violation(inserted, "externalRef", external_ref::DUPLICATE_MESSAGE)
}

/// Applies changes to an objective if its version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: ObjectiveChanges,
) -> DomainResult<objective::Model> {
    update_with(session, id, expected_version, changes, IfUnchanged::Write)
        .await?
        .ok_or_else(|| DomainError::Internal("an update wrote nothing".into()))
}

/// [`update`], which in [`IfUnchanged::Skip`] mode writes nothing (and returns `None`) when the
/// changes would leave the objective as it is.
async fn update_with(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: ObjectiveChanges,
    if_unchanged: IfUnchanged,
) -> DomainResult<Option<objective::Model>> {
    let scope = session.scope(Permission::EditPlan)?;
    let current = scope.get::<objective::Entity>(id).await?;
    let plan = scope.get::<plan::Entity>(current.plan_id).await?;
    let mut v = Violations::new();
    let mut row = objective::ActiveModel {
        ..Default::default()
    };
    if let Some(title) = &changes.title {
        row.title = Set(v.name("title", title));
    }
    if let Some(statement) = &changes.statement {
        row.statement = Set(v.text("statement", statement.as_deref()));
    }
    if let Some(rationale) = &changes.rationale {
        row.rationale = Set(v.text("rationale", rationale.as_deref()));
    }
    if let Some(kind) = changes.kind {
        row.kind = Set(kind);
    }
    if let Some(key) = &changes.kpi_key {
        row.kpi_key = Set(check_kpi(session, &mut v, key).await?);
    }
    if let Some(baseline) = changes.baseline {
        row.baseline_micros = Set(baseline.map(|value| v.amount("baseline", value)));
    }
    if let Some(target) = changes.target {
        row.target_micros = Set(v.amount("target", target));
    }
    if let Some(deadline) = changes.deadline {
        v.within_period("deadline", deadline, plan.period_start, plan.period_end);
        row.deadline = Set(deadline);
    }
    let external_ref = external_ref::check_change::<objective::Entity, _>(
        &scope,
        &mut v,
        changes.external_ref.as_ref().map(Option::as_ref),
        id,
    )
    .await?;
    v.finish()?;
    external_ref::set_change(&mut row, external_ref);
    if if_unchanged == IfUnchanged::Skip && !upsert::row_differs(&current, &row) {
        upsert::keep(current.version, expected_version)?;
        return Ok(None);
    }
    let updated = duplicate_as_violation(
        scope
            .update_versioned::<objective::Entity, _>(id, expected_version, row)
            .await,
        "externalRef",
        external_ref::DUPLICATE_MESSAGE,
    )?;
    Ok(Some(updated))
}

/// Creates or changes the objective with the reference `reference`, in the plan `plan` (by id
/// or by reference; see [`external_ref::upsert`] for what it keeps): the create's and the
/// update's checks, `UNCHANGED` with nothing written when the objective already is as given.
/// `document.plan_id` is ignored: `plan` names the plan.
pub async fn upsert(
    session: &Session,
    reference: RawExternalRef,
    expected_version: Option<i32>,
    plan: Parent,
    document: NewObjective,
) -> DomainResult<(objective::Model, UpsertOutcome)> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan_path = upsert::parent_path(&plan, "planId", "planRef");
    let plan_id = upsert::parent_id::<plan::Entity, _>(&scope, plan_path, &plan).await?;
    let changes = ObjectiveChanges::from_document(&document);
    upsert::run::<objective::Entity, _>(
        &scope,
        reference,
        expected_version,
        async move |reference| {
            let new = NewObjective {
                plan_id,
                external_ref: Some(reference),
                ..document
            };
            create(session, new).await
        },
        async move |current, expected_version| {
            upsert::same_parent(plan_path, current.plan_id, plan_id)?;
            update_with(
                session,
                current.id,
                expected_version,
                changes,
                IfUnchanged::Skip,
            )
            .await
        },
    )
    .await
}

/// Deletes an objective.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    scope.delete::<objective::Entity>(id).await?;
    Ok(id)
}
