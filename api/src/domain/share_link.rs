//! Share links: an editor opens one plan, read-only, to whoever holds the link, until it
//! expires or is revoked. A new link's secret is returned once, by [`create`]; only its digest
//! and prefix are kept. Using a link is `auth::principal` (the API) and `http::share` (the
//! document).

use chrono::{DateTime, Duration, Utc};
use entity::{
    plan,
    share_link::{self, ShareLinkScope},
};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::{
    DomainError, DomainResult, Session,
    validation::{FieldErrorCode, Violations},
};
use crate::{
    auth::{Permission, share_link as secrets},
    store,
};

/// The longest a link may live: its expiry is at most this far from its creation.
pub const MAX_LIFETIME_DAYS: i64 = 90;

/// Longest subject recorded as a link's creator (the length of its column).
const MAX_CREATOR_CHARS: usize = 255;

/// What a new link is made of.
#[derive(Debug, Clone)]
pub struct NewShareLink {
    /// The plan it opens.
    pub plan_id: Uuid,
    /// Whom it is for.
    pub label: String,
    /// What it opens.
    pub scope: ShareLinkScope,
    /// When it stops working: in the future, at most [`MAX_LIFETIME_DAYS`] days away.
    pub expires_at: DateTime<Utc>,
}

/// A created link with its secret, which is never available again.
#[derive(Debug, Clone)]
pub struct CreatedShareLink {
    /// The stored link.
    pub link: share_link::Model,
    /// The whole secret.
    pub secret: String,
}

/// Creates a link to one of the session's plans (EDITOR). Another tenant's plan is
/// [`DomainError::NotFound`].
pub async fn create(session: &Session, input: NewShareLink) -> DomainResult<CreatedShareLink> {
    let scope = session.scope(Permission::EditPlan)?;
    let now = Utc::now();
    let mut v = Violations::new();
    let label = v.name("label", &input.label);
    if input.expires_at <= now {
        v.add(
            &["expiresAt"],
            FieldErrorCode::OutOfRange,
            "must be in the future",
        );
    } else if input.expires_at > now + Duration::days(MAX_LIFETIME_DAYS) {
        v.add(
            &["expiresAt"],
            FieldErrorCode::OutOfRange,
            format!("must be at most {MAX_LIFETIME_DAYS} days away"),
        );
    }
    let subject = &session.principal().subject;
    if super::validation::unstorable(subject).is_some()
        || subject.chars().count() > MAX_CREATOR_CHARS
    {
        v.add(
            &[],
            FieldErrorCode::Invalid,
            format!(
                "the subject of your credential cannot be recorded as the link's creator (at \
                 most {MAX_CREATOR_CHARS} characters, no NUL)"
            ),
        );
    }
    v.finish()?;
    let transaction = scope.begin().await?;
    transaction
        .find::<plan::Entity>(input.plan_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let generated = secrets::generate().map_err(|error| {
        DomainError::Internal(format!("the system's random generator failed: {error}"))
    })?;
    let row = share_link::ActiveModel {
        plan_id: Set(input.plan_id),
        label: Set(label),
        scope: Set(input.scope),
        prefix: Set(generated.prefix),
        secret_hash: Set(generated.digest_hex),
        created_by: Set(subject.clone()),
        last_used_at: Set(None),
        expires_at: Set(input.expires_at),
        revoked_at: Set(None),
        ..Default::default()
    };
    let link = transaction.insert(row).await?;
    transaction.commit().await?;
    Ok(CreatedShareLink {
        link,
        secret: generated.secret,
    })
}

/// Revokes a link (EDITOR): it, and every token it granted, stops working at once. Revoking a
/// revoked link changes nothing and succeeds; another tenant's link is
/// [`DomainError::NotFound`].
pub async fn revoke(session: &Session, id: Uuid) -> DomainResult<share_link::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    Ok(store::share_link::revoke(&scope, id, Utc::now()).await?)
}
