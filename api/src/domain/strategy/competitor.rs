//! Competitors of a plan's market analysis: who they are, how they position themselves, the
//! levers they use, their strengths and weaknesses.

use entity::{competitor, enums::Lever, json_lists::LeverList};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::domain::{
    DomainResult, FieldErrorCode, Session,
    strategy::crud,
    validation::{Violations, unique},
};

/// Longest web site address accepted.
pub const MAX_WEBSITE_CHARS: usize = 500;

/// The descriptive fields of a competitor, all optional.
#[derive(Debug, Clone, Default)]
pub struct CompetitorProfile {
    /// Web site address (http or https).
    pub website: Option<String>,
    /// How it positions itself.
    pub positioning: Option<String>,
    /// Notes on its strategy.
    pub strategy_notes: Option<String>,
    /// The levers it uses.
    pub levers: Vec<Lever>,
    /// Its strengths.
    pub strengths: Vec<String>,
    /// Its weaknesses.
    pub weaknesses: Vec<String>,
}

/// Changes to a competitor; `None` leaves a field as it is, `Some(None)` clears it, lists
/// replace the current ones.
#[derive(Debug, Clone, Default)]
pub struct CompetitorChanges {
    /// New name.
    pub name: Option<String>,
    /// New web site.
    pub website: Option<Option<String>>,
    /// New positioning.
    pub positioning: Option<Option<String>>,
    /// New strategy notes.
    pub strategy_notes: Option<Option<String>>,
    /// New levers.
    pub levers: Option<Vec<Lever>>,
    /// New strengths.
    pub strengths: Option<Vec<String>>,
    /// New weaknesses.
    pub weaknesses: Option<Vec<String>>,
}

/// Checks an optional web site address: `http://` or `https://`, at most 500 characters.
fn website(violations: &mut Violations, value: Option<&str>) -> Option<String> {
    let trimmed = value.map(str::trim).filter(|text| !text.is_empty())?;
    let lower = trimmed.to_ascii_lowercase();
    let has_host = ["http://", "https://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len());
    if !violations.check_text(&["website"], trimmed, MAX_WEBSITE_CHARS) {
        // Reported.
    } else if !has_host || trimmed.contains(char::is_whitespace) {
        violations.add(
            &["website"],
            FieldErrorCode::Invalid,
            "must be a web address starting with http:// or https://",
        );
    }
    Some(trimmed.to_owned())
}

/// Creates a competitor in a plan of the tenant.
pub async fn create(
    session: &Session,
    plan_id: Uuid,
    name: String,
    profile: CompetitorProfile,
) -> DomainResult<competitor::Model> {
    crud::create(session, plan_id, |v| competitor::ActiveModel {
        name: Set(v.name("name", &name)),
        website: Set(website(v, profile.website.as_deref())),
        positioning: Set(v.text("positioning", profile.positioning.as_deref())),
        strategy_notes: Set(v.text("strategyNotes", profile.strategy_notes.as_deref())),
        levers: Set(LeverList(unique(&profile.levers))),
        strengths: Set(v.items("strengths", &profile.strengths)),
        weaknesses: Set(v.items("weaknesses", &profile.weaknesses)),
        ..Default::default()
    })
    .await
}

/// Applies changes to a competitor if its version is `expected_version`.
pub async fn update(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    changes: CompetitorChanges,
) -> DomainResult<competitor::Model> {
    crud::update(session, id, expected_version, |_, v| {
        let mut row = competitor::ActiveModel::default();
        if let Some(name) = &changes.name {
            row.name = Set(v.name("name", name));
        }
        if let Some(site) = &changes.website {
            row.website = Set(website(v, site.as_deref()));
        }
        if let Some(positioning) = &changes.positioning {
            row.positioning = Set(v.text("positioning", positioning.as_deref()));
        }
        if let Some(notes) = &changes.strategy_notes {
            row.strategy_notes = Set(v.text("strategyNotes", notes.as_deref()));
        }
        if let Some(levers) = &changes.levers {
            row.levers = Set(LeverList(unique(levers)));
        }
        if let Some(strengths) = &changes.strengths {
            row.strengths = Set(v.items("strengths", strengths));
        }
        if let Some(weaknesses) = &changes.weaknesses {
            row.weaknesses = Set(v.items("weaknesses", weaknesses));
        }
        row
    })
    .await
}

/// Deletes a competitor.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    crud::delete::<competitor::Entity>(session, id).await
}
