//! Plans: a period, a currency, a total budget, a status, and the personas it targets.

pub mod arbitrage;
pub mod budget;
pub mod calendar;
pub mod copy;
pub mod document;
pub mod objective;
pub mod review;
pub mod scenario;

use chrono::NaiveDate;
use entity::{enums::PlanStatus, plan};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session,
    external_ref::{
        self, ExternalRef, RawExternalRef, UpsertOutcome,
        upsert::{self, IfUnchanged},
    },
    validation::{Violations, duplicate_as_violation, unique},
};
use crate::{
    auth::Permission,
    store::{
        self, Scoped,
        page::{Page, PageRequest},
        plan::PlanFilter,
    },
};

/// Longest period of a plan, in months (ten years): what a marketing plan can mean, and what
/// keeps its calendar, its budget report and a copy's date arithmetic bounded.
pub const MAX_PERIOD_MONTHS: u32 = 120;

/// Checks that the period `[start, end]` lasts at most [`MAX_PERIOD_MONTHS`] months: its end
/// comes before the same day ten years after its start. A problem is reported at `path`.
pub(super) fn check_period_length(
    violations: &mut Violations,
    path: &str,
    start: NaiveDate,
    end: NaiveDate,
) {
    let limit = start.checked_add_months(chrono::Months::new(MAX_PERIOD_MONTHS));
    if limit.is_none_or(|limit| end >= limit) {
        violations.add(
            &[path],
            FieldErrorCode::OutOfRange,
            format!(
                "a plan's period lasts at most {} years: from {start}, it ends before {}",
                MAX_PERIOD_MONTHS / 12,
                limit.map_or_else(
                    || "the end of the calendar".to_owned(),
                    |day| day.to_string()
                )
            ),
        );
    }
}

/// What a new plan is made of.
#[derive(Debug, Clone)]
pub struct NewPlan {
    /// Name.
    pub name: String,
    /// Optional description.
    pub description: Option<String>,
    /// First day.
    pub period_start: NaiveDate,
    /// Last day.
    pub period_end: NaiveDate,
    /// ISO 4217 code; the tenant's currency when absent.
    pub currency: Option<String>,
    /// Total budget.
    pub budget: Decimal,
    /// Initial status; `DRAFT` when absent.
    pub status: Option<PlanStatus>,
    /// Personas the plan targets.
    pub persona_ids: Vec<Uuid>,
    /// Its reference in the system it is synced from.
    pub external_ref: Option<RawExternalRef>,
}

/// Changes to a plan; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PlanChanges {
    /// New name.
    pub name: Option<String>,
    /// New description (`Some(None)` clears it).
    pub description: Option<Option<String>>,
    /// New first day.
    pub period_start: Option<NaiveDate>,
    /// New last day.
    pub period_end: Option<NaiveDate>,
    /// New currency.
    pub currency: Option<String>,
    /// New budget.
    pub budget: Option<Decimal>,
    /// New status.
    pub status: Option<PlanStatus>,
    /// New set of personas.
    pub persona_ids: Option<Vec<Uuid>>,
    /// New external reference (`Some(None)` clears it).
    pub external_ref: Option<Option<RawExternalRef>>,
}

impl PlanChanges {
    /// The changes an upsert applies: every field of the document, as a create would set it;
    /// the status only when given.
    pub fn from_document(plan: &NewPlan) -> Self {
        Self {
            name: Some(plan.name.clone()),
            description: Some(plan.description.clone()),
            period_start: Some(plan.period_start),
            period_end: Some(plan.period_end),
            currency: plan.currency.clone(),
            budget: Some(plan.budget),
            status: plan.status,
            persona_ids: Some(plan.persona_ids.clone()),
            external_ref: None,
        }
    }
}

/// Checks an ISO 4217 code's shape (three capital letters) and returns it.
pub(super) fn check_currency(violations: &mut Violations, path: &str, code: &str) -> String {
    let code = code.trim().to_owned();
    if code.len() != 3 || !code.bytes().all(|byte| byte.is_ascii_uppercase()) {
        violations.add(
            &[path],
            FieldErrorCode::Invalid,
            "must be an ISO 4217 code of three capital letters, such as EUR",
        );
    }
    code
}

/// Records a `NOT_FOUND` violation for each id of `ids` that is not a persona of the tenant.
pub(super) async fn check_personas<C: ConnectionTrait>(
    scope: &Scoped<C>,
    violations: &mut Violations,
    path: &str,
    ids: &[Uuid],
) -> DomainResult<Vec<Uuid>> {
    let missing = store::strategy::persona::missing(scope, ids).await?;
    for (index, id) in ids.iter().enumerate() {
        if missing.contains(id) {
            violations.add(
                &[path, &index.to_string()],
                FieldErrorCode::NotFound,
                "no such persona",
            );
        }
    }
    Ok(unique(ids))
}

/// Creates a plan and links its personas, in one transaction.
pub async fn create(session: &Session, input: NewPlan) -> DomainResult<plan::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let mut violations = Violations::new();
    let name = violations.name("name", &input.name);
    let description = violations.text("description", input.description.as_deref());
    violations.date_order("periodEnd", input.period_start, input.period_end);
    check_period_length(
        &mut violations,
        "periodEnd",
        input.period_start,
        input.period_end,
    );
    let currency = match &input.currency {
        Some(code) => check_currency(&mut violations, "currency", code),
        None => tenant_currency(session).await?,
    };
    let budget_micros = violations.money("budget", input.budget);
    let persona_ids =
        check_personas(&scope, &mut violations, "personaIds", &input.persona_ids).await?;
    let external_ref = external_ref::check_new::<plan::Entity, _>(
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
        .insert(plan::ActiveModel {
            name: Set(name),
            description: Set(description),
            period_start: Set(input.period_start),
            period_end: Set(input.period_end),
            currency: Set(currency),
            budget_micros: Set(budget_micros),
            status: Set(input.status.unwrap_or(PlanStatus::Draft)),
            external_source: Set(external_source),
            external_id: Set(external_id),
            ..Default::default()
        })
        .await;
    let created = duplicate_as_violation(inserted, "externalRef", external_ref::DUPLICATE_MESSAGE)?;
    store::plan::set_personas(&transaction, created.id, &persona_ids).await?;
    transaction.commit().await?;
    Ok(created)
}

async fn tenant_currency(session: &Session) -> DomainResult<String> {
    let scope = session.scope(Permission::ReadPlan)?;
    Ok(store::tenant::currency(&scope).await?)
}

/// Applies changes to a plan if its version is `expected_version`. A new period must still
/// contain every campaign and objective of the plan.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: PlanChanges,
) -> DomainResult<plan::Model> {
    let updated = update_with(session, id, expected_version, changes, IfUnchanged::Write).await?;
    updated.ok_or_else(|| DomainError::Internal("an update wrote nothing".into()))
}

/// [`update`], which in [`IfUnchanged::Skip`] mode writes nothing (and returns `None`) when the
/// changes would leave the plan as it is.
async fn update_with(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: PlanChanges,
    if_unchanged: IfUnchanged,
) -> DomainResult<Option<plan::Model>> {
    let scope = session.scope(Permission::EditPlan)?;
    let current = scope.get::<plan::Entity>(id).await?;
    let mut violations = Violations::new();
    let mut row = plan::ActiveModel {
        ..Default::default()
    };
    if let Some(name) = &changes.name {
        row.name = Set(violations.name("name", name));
    }
    if let Some(description) = &changes.description {
        row.description = Set(violations.text("description", description.as_deref()));
    }
    let start = changes.period_start.unwrap_or(current.period_start);
    let end = changes.period_end.unwrap_or(current.period_end);
    if changes.period_start.is_some() || changes.period_end.is_some() {
        violations.date_order("periodEnd", start, end);
        check_period_length(
            &mut violations,
            if changes.period_start.is_some() {
                "periodStart"
            } else {
                "periodEnd"
            },
            start,
            end,
        );
        let (campaigns, objectives) =
            store::plan::children_outside_period(&scope, id, start, end).await?;
        if campaigns + objectives > 0 {
            let path = if changes.period_start.is_some() {
                "periodStart"
            } else {
                "periodEnd"
            };
            violations.add(
                &[path],
                FieldErrorCode::OutsidePlanPeriod,
                format!("{campaigns} campaign(s) and {objectives} objective(s) would fall outside the new period"),
            );
        }
        let actions = store::campaign::action::count_outside_period(&scope, id, start, end).await?;
        let content =
            store::campaign::content::count_outside_period(&scope, id, start, end).await?;
        if actions + content > 0 {
            let path = if changes.period_start.is_some() {
                "periodStart"
            } else {
                "periodEnd"
            };
            violations.add(
                &[path],
                FieldErrorCode::OutsidePlanPeriod,
                format!("{actions} action(s) and {content} content item(s) would fall outside the new period"),
            );
        }
        row.period_start = Set(start);
        row.period_end = Set(end);
    }
    // Which budget field changes, for the review's guard (`review::guard`).
    let mut budget_path = None;
    if let Some(code) = &changes.currency {
        let code = check_currency(&mut violations, "currency", code);
        if code != current.currency {
            budget_path = Some("currency");
        }
        row.currency = Set(code);
    }
    if let Some(budget) = changes.budget {
        let micros = violations.money("budget", budget);
        if micros != current.budget_micros {
            budget_path = Some("budget");
        }
        row.budget_micros = Set(micros);
    }
    if let Some(status) = changes.status {
        row.status = Set(status);
    }
    let persona_ids = match &changes.persona_ids {
        Some(ids) => Some(check_personas(&scope, &mut violations, "personaIds", ids).await?),
        None => None,
    };
    let external_ref = external_ref::check_change::<plan::Entity, _>(
        &scope,
        &mut violations,
        changes.external_ref.as_ref().map(Option::as_ref),
        id,
    )
    .await?;
    violations.finish()?;
    external_ref::set_change(&mut row, external_ref);
    if if_unchanged == IfUnchanged::Skip && !upsert::row_differs(&current, &row) {
        let personas_same = match &persona_ids {
            Some(ids) => same_set(ids, &store::plan::persona_ids(&scope, id).await?),
            None => true,
        };
        if personas_same {
            upsert::keep(current.version, expected_version)?;
            return Ok(None);
        }
    }

    let transaction = scope.begin().await?;
    let updated = duplicate_as_violation(
        transaction
            .update_versioned::<plan::Entity, _>(id, expected_version, row)
            .await,
        "externalRef",
        external_ref::DUPLICATE_MESSAGE,
    )?;
    if let Some(persona_ids) = persona_ids {
        store::plan::set_personas(&transaction, id, &persona_ids).await?;
    }
    if let Some(path) = budget_path {
        review::guard::budget_changed(
            &transaction,
            session,
            id,
            review::guard::BudgetChange::Plan,
            &[path],
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(Some(updated))
}

/// Creates or changes the plan with the reference `reference` (see [`upsert`] for what it
/// keeps): the create's and the update's checks, `UNCHANGED` with nothing written when the
/// plan already is as given.
pub async fn upsert(
    session: &Session,
    reference: RawExternalRef,
    expected_version: Option<i32>,
    document: NewPlan,
) -> DomainResult<(plan::Model, UpsertOutcome)> {
    let scope = session.scope(Permission::EditPlan)?;
    let changes = PlanChanges::from_document(&document);
    upsert::run::<plan::Entity, _>(
        &scope,
        reference,
        expected_version,
        async move |reference| {
            let new = NewPlan {
                external_ref: Some(reference),
                ..document
            };
            create(session, new).await
        },
        async move |current, expected_version| {
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

/// Whether two lists of ids hold the same ids, whatever their order and repeats.
pub(crate) fn same_set(given: &[Uuid], current: &[Uuid]) -> bool {
    let mut given = unique(given);
    let mut current = unique(current);
    given.sort_unstable();
    current.sort_unstable();
    given == current
}

/// Deletes a plan with its campaigns, objectives and links.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    scope.delete::<plan::Entity>(id).await?;
    Ok(id)
}

/// One plan.
pub async fn get(session: &Session, id: Uuid) -> DomainResult<Option<plan::Model>> {
    let scope = session.scope(Permission::ReadPlan)?;
    Ok(scope.find::<plan::Entity>(id).await?)
}

/// One page of plans, with the total count of plans matching the filter.
pub async fn list(
    session: &Session,
    filter: &PlanFilter,
    request: &PageRequest,
) -> DomainResult<(Page<plan::Model>, u64)> {
    let scope = session.scope(Permission::ReadPlan)?;
    if let Some(text) = &filter.name_contains {
        crate::domain::validation::filter_text("filter", &["nameContains"], text)?;
    }
    external_ref::check_filter(filter.external_ref.as_ref())?;
    let page = store::plan::list(&scope, filter, request).await?;
    let total = store::plan::count(&scope, filter).await?;
    Ok((page, total))
}
