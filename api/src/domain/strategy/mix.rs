//! The marketing mix of a plan: a text for each of the ten dimensions (the 4P and the six
//! e-marketing P's of seed 000).

use entity::{marketing_mix_entry, plan, strategy_enums::MixDimension};
use uuid::Uuid;

use crate::domain::{DomainResult, Session, validation::Violations};
use crate::{auth::Permission, store};

/// Sets the text of one dimension of a plan's mix; an empty or absent text clears it. Returns
/// the entry as stored, `None` once cleared.
pub async fn set(
    session: &Session,
    plan_id: Uuid,
    dimension: MixDimension,
    text: Option<&str>,
) -> DomainResult<Option<marketing_mix_entry::Model>> {
    let scope = session.scope(Permission::EditPlan)?;
    let plan = scope.get::<plan::Entity>(plan_id).await?;
    let mut v = Violations::new();
    let text = v.text("text", text);
    v.finish()?;
    let transaction = scope.begin().await?;
    let entry = store::strategy::set_mix(&transaction, plan.id, dimension, text).await?;
    transaction.commit().await?;
    Ok(entry)
}
