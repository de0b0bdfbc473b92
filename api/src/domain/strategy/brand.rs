//! The brand platform of a plan (at most one): perception, values, mission, vision, tone,
//! positioning statement. Set as a whole with an upsert guarded by its version.

use entity::{brand, plan};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::domain::{DomainError, DomainResult, Session, validation::Violations};
use crate::{auth::Permission, store};

/// The whole brand of a plan, as `setBrand` writes it: an omitted text is cleared.
#[derive(Debug, Clone, Default)]
pub struct BrandContent {
    /// How the brand is perceived today.
    pub current_perception: Option<String>,
    /// Values.
    pub values: Vec<String>,
    /// Mission.
    pub mission: Option<String>,
    /// Vision.
    pub vision: Option<String>,
    /// Tone of voice.
    pub tone: Option<String>,
    /// Positioning statement.
    pub positioning_statement: Option<String>,
}

/// Creates the brand of a plan (`expected_version` = `None`) or replaces it (the version read).
/// Creating when the plan already has a brand, or replacing one the plan does not have or at
/// another version, is a [`DomainError::Conflict`]: someone else changed it meanwhile.
pub async fn set(
    session: &Session,
    plan_id: Uuid,
    expected_version: Option<i32>,
    content: BrandContent,
) -> DomainResult<brand::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(plan_id).await?;
    let mut v = Violations::new();
    let current_perception = v.text("currentPerception", content.current_perception.as_deref());
    let values = v.items("values", &content.values);
    let mission = v.text("mission", content.mission.as_deref());
    let vision = v.text("vision", content.vision.as_deref());
    let tone = v.text("tone", content.tone.as_deref());
    let positioning_statement = v.text(
        "positioningStatement",
        content.positioning_statement.as_deref(),
    );
    v.finish()?;

    let existing = store::strategy::brand_of_plan(&scope, plan.id).await?;
    match (expected_version, existing) {
        (None, None) => {
            let inserted = scope
                .insert(brand::ActiveModel {
                    plan_id: Set(plan.id),
                    current_perception: Set(current_perception),
                    values: Set(values),
                    mission: Set(mission),
                    vision: Set(vision),
                    tone: Set(tone),
                    positioning_statement: Set(positioning_statement),
                    ..Default::default()
                })
                .await;
            match inserted {
                Ok(created) => Ok(created),
                // Lost a race with another creation: the unique key refused the second brand.
                Err(error) => match store::strategy::brand_of_plan(&scope, plan.id).await? {
                    Some(_) => Err(DomainError::Conflict),
                    None => Err(error.into()),
                },
            }
        }
        (Some(version), Some(current)) => Ok(scope
            .update_versioned::<brand::Entity, _>(
                current.id,
                version,
                brand::ActiveModel {
                    current_perception: Set(current_perception),
                    values: Set(values),
                    mission: Set(mission),
                    vision: Set(vision),
                    tone: Set(tone),
                    positioning_statement: Set(positioning_statement),
                    ..Default::default()
                },
            )
            .await?),
        _ => Err(DomainError::Conflict),
    }
}
