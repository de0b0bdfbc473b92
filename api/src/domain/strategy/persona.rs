//! Personas: portraits of target customers, reusable across a tenant's plans.

use entity::{enums::Lever, json_lists::LeverList, persona};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session,
    external_ref::{
        self, ExternalRef, RawExternalRef, UpsertOutcome,
        upsert::{self, IfUnchanged},
    },
    strategy::crud,
    validation::{Violations, duplicate_as_violation, unique},
};
use crate::{
    auth::Permission,
    store::{
        self,
        page::{Page, PageRequest},
    },
};

/// Oldest age accepted in an age range.
pub const MAX_AGE: i32 = 130;

/// Longest gender or income band accepted (their columns are `varchar(100)`).
pub const MAX_SHORT_PROFILE_CHARS: usize = 100;

/// Longest location, occupation or education accepted (their columns are `varchar(200)`).
pub const MAX_PROFILE_CHARS: usize = 200;

/// The longest text of each optional text field of a profile: the length of its column, or
/// free text.
fn profile_text_max(path: &str) -> usize {
    match path {
        "gender" | "incomeBand" => MAX_SHORT_PROFILE_CHARS,
        "location" | "occupation" | "education" => MAX_PROFILE_CHARS,
        _ => crate::domain::validation::MAX_TEXT_CHARS,
    }
}

/// The descriptive fields of a persona, all optional.
#[derive(Debug, Clone, Default)]
pub struct PersonaProfile {
    /// Summary.
    pub summary: Option<String>,
    /// Lower bound of the age range.
    pub age_min: Option<i32>,
    /// Upper bound of the age range.
    pub age_max: Option<i32>,
    /// Gender.
    pub gender: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Income band.
    pub income_band: Option<String>,
    /// Education.
    pub education: Option<String>,
    /// Behaviours.
    pub behaviors: Vec<String>,
    /// Values.
    pub values: Vec<String>,
    /// Interests.
    pub interests: Vec<String>,
    /// Lifestyle.
    pub lifestyle: Option<String>,
    /// Goals.
    pub goals: Vec<String>,
    /// Motivations.
    pub motivations: Vec<String>,
    /// Needs.
    pub needs: Vec<String>,
    /// Pain points.
    pub pain_points: Vec<String>,
    /// Objections.
    pub objections: Vec<String>,
    /// Preferred levers.
    pub preferred_levers: Vec<Lever>,
}

/// Changes to a persona; `None` leaves a field as it is, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct PersonaChanges {
    /// New name.
    pub name: Option<String>,
    /// New summary.
    pub summary: Option<Option<String>>,
    /// New lower bound of the age range.
    pub age_min: Option<Option<i32>>,
    /// New upper bound of the age range.
    pub age_max: Option<Option<i32>>,
    /// New gender.
    pub gender: Option<Option<String>>,
    /// New location.
    pub location: Option<Option<String>>,
    /// New occupation.
    pub occupation: Option<Option<String>>,
    /// New income band.
    pub income_band: Option<Option<String>>,
    /// New education.
    pub education: Option<Option<String>>,
    /// New behaviours.
    pub behaviors: Option<Vec<String>>,
    /// New values.
    pub values: Option<Vec<String>>,
    /// New interests.
    pub interests: Option<Vec<String>>,
    /// New lifestyle.
    pub lifestyle: Option<Option<String>>,
    /// New goals.
    pub goals: Option<Vec<String>>,
    /// New motivations.
    pub motivations: Option<Vec<String>>,
    /// New needs.
    pub needs: Option<Vec<String>>,
    /// New pain points.
    pub pain_points: Option<Vec<String>>,
    /// New objections.
    pub objections: Option<Vec<String>>,
    /// New preferred levers.
    pub preferred_levers: Option<Vec<Lever>>,
    /// New external reference (`Some(None)` clears it).
    pub external_ref: Option<Option<RawExternalRef>>,
}

impl PersonaChanges {
    /// The changes an upsert applies: every field of the document, as a create would set it.
    pub fn from_document(name: &str, profile: &PersonaProfile) -> Self {
        let profile = profile.clone();
        Self {
            name: Some(name.to_owned()),
            summary: Some(profile.summary),
            age_min: Some(profile.age_min),
            age_max: Some(profile.age_max),
            gender: Some(profile.gender),
            location: Some(profile.location),
            occupation: Some(profile.occupation),
            income_band: Some(profile.income_band),
            education: Some(profile.education),
            behaviors: Some(profile.behaviors),
            values: Some(profile.values),
            interests: Some(profile.interests),
            lifestyle: Some(profile.lifestyle),
            goals: Some(profile.goals),
            motivations: Some(profile.motivations),
            needs: Some(profile.needs),
            pain_points: Some(profile.pain_points),
            objections: Some(profile.objections),
            preferred_levers: Some(profile.preferred_levers),
            external_ref: None,
        }
    }
}

fn ages(violations: &mut Violations, age_min: Option<i32>, age_max: Option<i32>) {
    for (path, age) in [("ageMin", age_min), ("ageMax", age_max)] {
        if let Some(age) = age
            && !(0..=MAX_AGE).contains(&age)
        {
            violations.add(
                &[path],
                FieldErrorCode::OutOfRange,
                format!("must be between 0 and {MAX_AGE}"),
            );
        }
    }
    if let (Some(min), Some(max)) = (age_min, age_max)
        && min > max
    {
        violations.add(
            &["ageMax"],
            FieldErrorCode::OutOfRange,
            "must not be below ageMin",
        );
    }
}

/// Creates a persona.
pub async fn create(
    session: &Session,
    name: String,
    profile: PersonaProfile,
    external_ref: Option<RawExternalRef>,
) -> DomainResult<persona::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let mut v = Violations::new();
    let external_ref =
        external_ref::check_new::<persona::Entity, _>(&scope, &mut v, external_ref.as_ref(), None)
            .await?;
    let (external_source, external_id) = ExternalRef::columns(external_ref.as_ref());
    ages(&mut v, profile.age_min, profile.age_max);
    let row = persona::ActiveModel {
        name: Set(v.name("name", &name)),
        summary: Set(v.text("summary", profile.summary.as_deref())),
        age_min: Set(profile.age_min),
        age_max: Set(profile.age_max),
        gender: Set(v.short_text(
            "gender",
            profile.gender.as_deref(),
            profile_text_max("gender"),
        )),
        location: Set(v.short_text(
            "location",
            profile.location.as_deref(),
            profile_text_max("location"),
        )),
        occupation: Set(v.short_text(
            "occupation",
            profile.occupation.as_deref(),
            profile_text_max("occupation"),
        )),
        income_band: Set(v.short_text(
            "incomeBand",
            profile.income_band.as_deref(),
            profile_text_max("incomeBand"),
        )),
        education: Set(v.short_text(
            "education",
            profile.education.as_deref(),
            profile_text_max("education"),
        )),
        behaviors: Set(v.items("behaviors", &profile.behaviors)),
        values: Set(v.items("values", &profile.values)),
        interests: Set(v.items("interests", &profile.interests)),
        lifestyle: Set(v.text("lifestyle", profile.lifestyle.as_deref())),
        goals: Set(v.items("goals", &profile.goals)),
        motivations: Set(v.items("motivations", &profile.motivations)),
        needs: Set(v.items("needs", &profile.needs)),
        pain_points: Set(v.items("painPoints", &profile.pain_points)),
        objections: Set(v.items("objections", &profile.objections)),
        preferred_levers: Set(LeverList(unique(&profile.preferred_levers))),
        external_source: Set(external_source),
        external_id: Set(external_id),
        ..Default::default()
    };
    v.finish()?;
    duplicate_as_violation(
        scope.insert(row).await,
        "externalRef",
        external_ref::DUPLICATE_MESSAGE,
    )
}

/// Applies changes to a persona if its version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: PersonaChanges,
) -> DomainResult<persona::Model> {
    update_with(session, id, expected_version, changes, IfUnchanged::Write)
        .await?
        .ok_or_else(|| DomainError::Internal("an update wrote nothing".into()))
}

/// [`update`], which in [`IfUnchanged::Skip`] mode writes nothing (and returns `None`) when the
/// changes would leave the persona as it is.
async fn update_with(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: PersonaChanges,
    if_unchanged: IfUnchanged,
) -> DomainResult<Option<persona::Model>> {
    let scope = session.scope(Permission::EditPlan)?;
    let current = scope.get::<persona::Entity>(id).await?;
    let mut violations = Violations::new();
    let mut row = changed_row(&current, &changes, &mut violations);
    let external_ref = external_ref::check_change::<persona::Entity, _>(
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
            .update_versioned::<persona::Entity, _>(id, expected_version, row)
            .await,
        "externalRef",
        external_ref::DUPLICATE_MESSAGE,
    )?;
    Ok(Some(updated))
}

/// Creates or changes the persona with the reference `reference` (see
/// [`external_ref::upsert`] for what it keeps): the create's and the update's checks,
/// `UNCHANGED` with nothing written when the persona already is as given.
pub async fn upsert(
    session: &Session,
    reference: RawExternalRef,
    expected_version: Option<i32>,
    name: String,
    profile: PersonaProfile,
) -> DomainResult<(persona::Model, UpsertOutcome)> {
    let scope = session.scope(Permission::EditPlan)?;
    let changes = PersonaChanges::from_document(&name, &profile);
    upsert::run::<persona::Entity, _>(
        &scope,
        reference,
        expected_version,
        async move |reference| create(session, name, profile, Some(reference)).await,
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

/// The columns `changes` writes, checked (against `current` where a rule needs it).
fn changed_row(
    current: &persona::Model,
    changes: &PersonaChanges,
    v: &mut Violations,
) -> persona::ActiveModel {
    let mut row = persona::ActiveModel::default();
    if let Some(name) = &changes.name {
        row.name = Set(v.name("name", name));
    }
    let age_min = changes.age_min.unwrap_or(current.age_min);
    let age_max = changes.age_max.unwrap_or(current.age_max);
    ages(v, age_min, age_max);
    if changes.age_min.is_some() {
        row.age_min = Set(age_min);
    }
    if changes.age_max.is_some() {
        row.age_max = Set(age_max);
    }
    let texts = [
        ("summary", &changes.summary, &mut row.summary),
        ("gender", &changes.gender, &mut row.gender),
        ("location", &changes.location, &mut row.location),
        ("occupation", &changes.occupation, &mut row.occupation),
        ("incomeBand", &changes.income_band, &mut row.income_band),
        ("education", &changes.education, &mut row.education),
        ("lifestyle", &changes.lifestyle, &mut row.lifestyle),
    ];
    for (path, change, column) in texts {
        if let Some(text) = change {
            *column = Set(v.short_text(path, text.as_deref(), profile_text_max(path)));
        }
    }
    let lists = [
        ("behaviors", &changes.behaviors, &mut row.behaviors),
        ("values", &changes.values, &mut row.values),
        ("interests", &changes.interests, &mut row.interests),
        ("goals", &changes.goals, &mut row.goals),
        ("motivations", &changes.motivations, &mut row.motivations),
        ("needs", &changes.needs, &mut row.needs),
        ("painPoints", &changes.pain_points, &mut row.pain_points),
        ("objections", &changes.objections, &mut row.objections),
    ];
    for (path, change, column) in lists {
        if let Some(items) = change {
            *column = Set(v.items(path, items));
        }
    }
    if let Some(preferred) = &changes.preferred_levers {
        row.preferred_levers = Set(LeverList(unique(preferred)));
    }
    row
}

/// Deletes a persona; plans and campaigns stop targeting it.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    crud::delete::<persona::Entity>(session, id).await
}

/// One page of personas with the total count; only the one with the reference
/// `external_ref` `(source, id)` when given.
pub async fn list(
    session: &Session,
    external_ref: Option<&(String, String)>,
    request: &PageRequest,
) -> DomainResult<(Page<persona::Model>, u64)> {
    let scope = session.scope(Permission::ReadPlan)?;
    external_ref::check_filter(external_ref)?;
    Ok((
        store::strategy::persona::list(&scope, external_ref, request).await?,
        store::strategy::persona::count(&scope, external_ref).await?,
    ))
}
