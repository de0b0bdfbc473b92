//! Inputs of persona mutations.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums::Lever;

use crate::domain::external_ref::RawExternalRef;
use crate::domain::strategy::persona::{PersonaChanges, PersonaProfile};
use crate::graphql::inputs::external_ref::ExternalRefInput;
use crate::graphql::inputs::plan::maybe;

/// A new persona.
#[derive(Debug, InputObject)]
pub struct CreatePersonaInput {
    /// The persona's fields.
    #[graphql(flatten)]
    pub fields: PersonaFields,
    /// Its reference in the system it is synced from, unique among the tenant's personas
    /// (DUPLICATE otherwise).
    pub external_ref: Option<ExternalRefInput>,
}

/// Creates or changes the persona with an external reference: the create's fields, as a whole
/// document. On an update every field is set as the create would set it (a field left out is
/// cleared, a list left out emptied). Sending the same document again changes nothing
/// (UNCHANGED).
#[derive(Debug, InputObject)]
pub struct UpsertPersonaInput {
    /// The persona's reference in the system it is synced from: the key of the upsert.
    pub external_ref: ExternalRefInput,
    /// The version read, if the persona was read; refused with CONFLICT when the persona
    /// changed since (or no longer has this reference).
    pub expected_version: Option<i32>,
    /// The persona's fields.
    #[graphql(flatten)]
    pub fields: PersonaFields,
}

/// The fields of a persona, as a create or an upsert gives them.
#[derive(Debug, InputObject)]
pub struct PersonaFields {
    /// Name (1 to 200 characters).
    pub name: String,
    /// One-paragraph summary.
    pub summary: Option<String>,
    /// Lower bound of the age range (0 to 130).
    pub age_min: Option<i32>,
    /// Upper bound of the age range (0 to 130, not below ageMin).
    pub age_max: Option<i32>,
    /// Gender, as the team describes it.
    pub gender: Option<String>,
    /// Where they live or work.
    pub location: Option<String>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Income band.
    pub income_band: Option<String>,
    /// Education.
    pub education: Option<String>,
    /// Behaviours (at most 50 items).
    #[graphql(default)]
    pub behaviors: Vec<String>,
    /// Values (at most 50 items).
    #[graphql(default)]
    pub values: Vec<String>,
    /// Interests (at most 50 items).
    #[graphql(default)]
    pub interests: Vec<String>,
    /// Lifestyle.
    pub lifestyle: Option<String>,
    /// Goals (at most 50 items).
    #[graphql(default)]
    pub goals: Vec<String>,
    /// Motivations (at most 50 items).
    #[graphql(default)]
    pub motivations: Vec<String>,
    /// Needs (at most 50 items).
    #[graphql(default)]
    pub needs: Vec<String>,
    /// Pain points (at most 50 items).
    #[graphql(default)]
    pub pain_points: Vec<String>,
    /// Objections to buying (at most 50 items).
    #[graphql(default)]
    pub objections: Vec<String>,
    /// Levers that reach this persona best.
    #[graphql(default)]
    pub preferred_levers: Vec<Lever>,
}

impl PersonaFields {
    /// The name and the profile, as the domain takes them.
    pub fn into_parts(self) -> (String, PersonaProfile) {
        (
            self.name,
            PersonaProfile {
                summary: self.summary,
                age_min: self.age_min,
                age_max: self.age_max,
                gender: self.gender,
                location: self.location,
                occupation: self.occupation,
                income_band: self.income_band,
                education: self.education,
                behaviors: self.behaviors,
                values: self.values,
                interests: self.interests,
                lifestyle: self.lifestyle,
                goals: self.goals,
                motivations: self.motivations,
                needs: self.needs,
                pain_points: self.pain_points,
                objections: self.objections,
                preferred_levers: self.preferred_levers,
            },
        )
    }
}

/// Changes to a persona; omitted fields stay as they are, null clears an optional field, and a
/// list replaces the current one.
#[derive(Debug, InputObject)]
pub struct UpdatePersonaInput {
    /// The persona's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the persona changed since.
    pub expected_version: i32,
    /// New name.
    pub name: Option<String>,
    /// New summary.
    pub summary: MaybeUndefined<String>,
    /// New lower bound of the age range.
    pub age_min: MaybeUndefined<i32>,
    /// New upper bound of the age range.
    pub age_max: MaybeUndefined<i32>,
    /// New gender.
    pub gender: MaybeUndefined<String>,
    /// New location.
    pub location: MaybeUndefined<String>,
    /// New occupation.
    pub occupation: MaybeUndefined<String>,
    /// New income band.
    pub income_band: MaybeUndefined<String>,
    /// New education.
    pub education: MaybeUndefined<String>,
    /// New behaviours.
    pub behaviors: Option<Vec<String>>,
    /// New values.
    pub values: Option<Vec<String>>,
    /// New interests.
    pub interests: Option<Vec<String>>,
    /// New lifestyle.
    pub lifestyle: MaybeUndefined<String>,
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
    /// New external reference (unique among the tenant's personas); null removes it.
    pub external_ref: MaybeUndefined<ExternalRefInput>,
}

impl From<UpdatePersonaInput> for PersonaChanges {
    fn from(input: UpdatePersonaInput) -> Self {
        Self {
            name: input.name,
            summary: maybe(input.summary),
            age_min: maybe(input.age_min),
            age_max: maybe(input.age_max),
            gender: maybe(input.gender),
            location: maybe(input.location),
            occupation: maybe(input.occupation),
            income_band: maybe(input.income_band),
            education: maybe(input.education),
            behaviors: input.behaviors,
            values: input.values,
            interests: input.interests,
            lifestyle: maybe(input.lifestyle),
            goals: input.goals,
            motivations: input.motivations,
            needs: input.needs,
            pain_points: input.pain_points,
            objections: input.objections,
            preferred_levers: input.preferred_levers,
            external_ref: maybe(input.external_ref).map(|r| r.map(RawExternalRef::from)),
        }
    }
}

/// Which personas to list.
#[derive(Debug, Default, InputObject)]
pub struct PersonaFilter {
    /// Only the persona with this external reference.
    pub external_ref: Option<ExternalRefInput>,
}

/// The persona to delete.
#[derive(Debug, InputObject)]
pub struct DeletePersonaInput {
    /// The persona's global ID. Plans and campaigns stop targeting it.
    pub id: ID,
}
