//! The content plan (seed 003, "créez des messages"): content items crossing persona × lever ×
//! funnel stage, each with a message, a format, a call to action and a publish date inside the
//! plan, optionally attached to an action of the same plan.

use chrono::NaiveDate;
use entity::{
    action,
    action_enums::{ContentStatus, FunnelStage},
    content_item,
    enums::Lever,
    persona, plan,
};
use sea_orm::{ActiveValue::Set, DatabaseConnection};
use uuid::Uuid;

use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session,
    external_ref::{
        self, ExternalRef, Parent, RawExternalRef, UpsertOutcome,
        upsert::{self, IfUnchanged},
    },
    validation::{Violations, duplicate_as_violation},
};
use crate::{auth::Permission, store::Scoped};

/// Longest call to action accepted.
pub const MAX_CALL_TO_ACTION_CHARS: usize = 200;

/// What a new content item is made of.
#[derive(Debug, Clone)]
pub struct NewContentItem {
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// The persona it speaks to.
    pub persona_id: Uuid,
    /// The lever that carries it.
    pub lever: Lever,
    /// The funnel stage it serves.
    pub funnel_stage: FunnelStage,
    /// The message.
    pub message: String,
    /// The format.
    pub format: String,
    /// Optional call to action.
    pub call_to_action: Option<String>,
    /// Publish day.
    pub publish_date: NaiveDate,
    /// Initial status; `IDEA` when absent.
    pub status: Option<ContentStatus>,
    /// The action it belongs to (same plan).
    pub action_id: Option<Uuid>,
    /// Its reference in the system it is synced from.
    pub external_ref: Option<RawExternalRef>,
}

/// Changes to a content item; `None` leaves a field as it is, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct ContentChanges {
    /// New persona.
    pub persona_id: Option<Uuid>,
    /// New lever.
    pub lever: Option<Lever>,
    /// New funnel stage.
    pub funnel_stage: Option<FunnelStage>,
    /// New message.
    pub message: Option<String>,
    /// New format.
    pub format: Option<String>,
    /// New call to action.
    pub call_to_action: Option<Option<String>>,
    /// New publish day.
    pub publish_date: Option<NaiveDate>,
    /// New status.
    pub status: Option<ContentStatus>,
    /// New action, or none.
    pub action_id: Option<Option<Uuid>>,
    /// New external reference (`Some(None)` clears it).
    pub external_ref: Option<Option<RawExternalRef>>,
}

impl ContentChanges {
    /// The changes an upsert applies: every field of the document, as a create would set it;
    /// the status only when given.
    pub fn from_document(item: &NewContentItem) -> Self {
        let item = item.clone();
        Self {
            persona_id: Some(item.persona_id),
            lever: Some(item.lever),
            funnel_stage: Some(item.funnel_stage),
            message: Some(item.message),
            format: Some(item.format),
            call_to_action: Some(item.call_to_action),
            publish_date: Some(item.publish_date),
            status: item.status,
            action_id: Some(item.action_id),
            external_ref: None,
        }
    }
}

fn check_message(violations: &mut Violations, message: &str) -> String {
    let text = violations.text("message", Some(message));
    if text.is_none() {
        violations.add(&["message"], FieldErrorCode::Required, "must not be empty");
    }
    text.unwrap_or_default()
}

async fn check_persona(
    scope: &Scoped<DatabaseConnection>,
    violations: &mut Violations,
    persona_id: Uuid,
) -> DomainResult<()> {
    if scope.find::<persona::Entity>(persona_id).await?.is_none() {
        violations.add(&["personaId"], FieldErrorCode::NotFound, "no such persona");
    }
    Ok(())
}

async fn check_action(
    scope: &Scoped<DatabaseConnection>,
    violations: &mut Violations,
    plan_id: Uuid,
    action_id: Uuid,
) -> DomainResult<()> {
    match scope.find::<action::Entity>(action_id).await? {
        None => violations.add(&["actionId"], FieldErrorCode::NotFound, "no such action"),
        Some(found) if found.plan_id != plan_id => violations.add(
            &["actionId"],
            FieldErrorCode::Invalid,
            "the action belongs to another plan",
        ),
        Some(_) => {}
    }
    Ok(())
}

fn check_publish_date(violations: &mut Violations, plan: &plan::Model, date: NaiveDate) {
    violations.within_period("publishDate", date, plan.period_start, plan.period_end);
}

/// Creates a content item.
pub async fn create(session: &Session, input: NewContentItem) -> DomainResult<content_item::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(input.plan_id).await?;
    let mut violations = Violations::new();
    check_persona(&scope, &mut violations, input.persona_id).await?;
    let message = check_message(&mut violations, &input.message);
    let format = violations.name("format", &input.format);
    let call_to_action = violations.short_text(
        "callToAction",
        input.call_to_action.as_deref(),
        MAX_CALL_TO_ACTION_CHARS,
    );
    check_publish_date(&mut violations, &plan, input.publish_date);
    if let Some(action_id) = input.action_id {
        check_action(&scope, &mut violations, plan.id, action_id).await?;
    }
    let external_ref = external_ref::check_new::<content_item::Entity, _>(
        &scope,
        &mut violations,
        input.external_ref.as_ref(),
        None,
    )
    .await?;
    violations.finish()?;
    let (external_source, external_id) = ExternalRef::columns(external_ref.as_ref());

    let inserted = scope
        .insert(content_item::ActiveModel {
            plan_id: Set(plan.id),
            persona_id: Set(input.persona_id),
            lever: Set(input.lever),
            funnel_stage: Set(input.funnel_stage),
            message: Set(message),
            format: Set(format),
            call_to_action: Set(call_to_action),
            publish_date: Set(input.publish_date),
            status: Set(input.status.unwrap_or(ContentStatus::Idea)),
            action_id: Set(input.action_id),
            external_source: Set(external_source),
            external_id: Set(external_id),
            ..Default::default()
        })
        .await;
    duplicate_as_violation(inserted, "externalRef", external_ref::DUPLICATE_MESSAGE)
}

/// Applies changes to a content item if its version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: ContentChanges,
) -> DomainResult<content_item::Model> {
    update_with(session, id, expected_version, changes, IfUnchanged::Write)
        .await?
        .ok_or_else(|| DomainError::Internal("an update wrote nothing".into()))
}

/// [`update`], which in [`IfUnchanged::Skip`] mode writes nothing (and returns `None`) when the
/// changes would leave the content item as it is.
async fn update_with(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: ContentChanges,
    if_unchanged: IfUnchanged,
) -> DomainResult<Option<content_item::Model>> {
    let scope = session.scope(Permission::EditPlan)?;
    let current = scope.get::<content_item::Entity>(id).await?;
    let plan = scope.get::<plan::Entity>(current.plan_id).await?;
    let mut violations = Violations::new();
    let mut row = content_item::ActiveModel {
        ..Default::default()
    };
    if let Some(persona_id) = changes.persona_id {
        check_persona(&scope, &mut violations, persona_id).await?;
        row.persona_id = Set(persona_id);
    }
    if let Some(lever) = changes.lever {
        row.lever = Set(lever);
    }
    if let Some(stage) = changes.funnel_stage {
        row.funnel_stage = Set(stage);
    }
    if let Some(message) = &changes.message {
        row.message = Set(check_message(&mut violations, message));
    }
    if let Some(format) = &changes.format {
        row.format = Set(violations.name("format", format));
    }
    if let Some(call_to_action) = &changes.call_to_action {
        row.call_to_action = Set(violations.short_text(
            "callToAction",
            call_to_action.as_deref(),
            MAX_CALL_TO_ACTION_CHARS,
        ));
    }
    if let Some(date) = changes.publish_date {
        check_publish_date(&mut violations, &plan, date);
        row.publish_date = Set(date);
    }
    if let Some(status) = changes.status {
        row.status = Set(status);
    }
    if let Some(action_id) = changes.action_id {
        if let Some(action_id) = action_id {
            check_action(&scope, &mut violations, plan.id, action_id).await?;
        }
        row.action_id = Set(action_id);
    }
    let external_ref = external_ref::check_change::<content_item::Entity, _>(
        &scope,
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
            .update_versioned::<content_item::Entity, _>(id, expected_version, row)
            .await,
        "externalRef",
        external_ref::DUPLICATE_MESSAGE,
    )?;
    Ok(Some(updated))
}

/// Creates or changes the content item with the reference `reference`, in the plan `plan` (by
/// id or by reference; see [`external_ref::upsert`] for what it keeps): the create's and the
/// update's checks, `UNCHANGED` with nothing written when the item already is as given.
/// `document.plan_id` is ignored: `plan` names the plan.
pub async fn upsert(
    session: &Session,
    reference: RawExternalRef,
    expected_version: Option<i32>,
    plan: Parent,
    document: NewContentItem,
) -> DomainResult<(content_item::Model, UpsertOutcome)> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan_path = upsert::parent_path(&plan, "planId", "planRef");
    let plan_id = upsert::parent_id::<plan::Entity, _>(&scope, plan_path, &plan).await?;
    let changes = ContentChanges::from_document(&document);
    upsert::run::<content_item::Entity, _>(
        &scope,
        reference,
        expected_version,
        async move |reference| {
            let new = NewContentItem {
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

/// Deletes a content item.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::DeletePlan)?;
    scope.delete::<content_item::Entity>(id).await?;
    Ok(id)
}
