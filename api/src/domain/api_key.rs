//! API keys of a tenant: created, listed and revoked by admins. A new key's secret is returned
//! once, by [`create`]; only its digest and prefix are kept.

use chrono::{DateTime, Utc};
use entity::{
    api_key,
    api_key_enums::{ApiKeyScope, ApiKeyScopeList},
};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::{
    DomainError, DomainResult, Session,
    validation::{FieldErrorCode, Violations, unique},
};
use crate::{
    auth::{Permission, api_key as secrets},
    store::{
        self,
        page::{Page, PageRequest},
    },
};

/// What a new key is made of.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    /// What the key is for.
    pub name: String,
    /// What it may do; at least one.
    pub scopes: Vec<ApiKeyScope>,
    /// When it stops working, if ever; must be in the future.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A created key with its secret, which is never available again.
#[derive(Debug, Clone)]
pub struct CreatedApiKey {
    /// The stored key.
    pub key: api_key::Model,
    /// The whole secret.
    pub secret: String,
}

/// Longest subject recorded as a key's creator (the length of its column).
const MAX_CREATOR_CHARS: usize = 255;

/// Creates a key for the session's tenant.
pub async fn create(session: &Session, input: NewApiKey) -> DomainResult<CreatedApiKey> {
    let scope = session.scope(Permission::ManageApiKeys)?;
    let now = Utc::now();
    let mut v = Violations::new();
    let name = v.name("name", &input.name);
    let mut scopes = unique(&input.scopes);
    scopes.sort();
    if scopes.is_empty() {
        v.add(
            &["scopes"],
            FieldErrorCode::Required,
            "give the key at least one scope",
        );
    }
    if input.expires_at.is_some_and(|expires_at| expires_at <= now) {
        v.add(
            &["expiresAt"],
            FieldErrorCode::OutOfRange,
            "must be in the future",
        );
    }
    // The creator is the token's subject, stored in a `varchar(255)`: an identity provider's
    // subject the column cannot hold is refused rather than failing the insert.
    let subject = &session.principal().subject;
    if super::validation::unstorable(subject).is_some()
        || subject.chars().count() > MAX_CREATOR_CHARS
    {
        v.add(
            &[],
            FieldErrorCode::Invalid,
            format!(
                "the subject of your credential cannot be recorded as the key's creator (at \
                 most {MAX_CREATOR_CHARS} characters, no NUL)"
            ),
        );
    }
    v.finish()?;
    let generated = secrets::generate().map_err(|error| {
        DomainError::Internal(format!("the system's random generator failed: {error}"))
    })?;
    let row = api_key::ActiveModel {
        name: Set(name),
        prefix: Set(generated.prefix),
        secret_hash: Set(generated.digest_hex),
        scopes: Set(ApiKeyScopeList(scopes)),
        created_by: Set(session.principal().subject.clone()),
        last_used_at: Set(None),
        expires_at: Set(input.expires_at),
        revoked_at: Set(None),
        ..Default::default()
    };
    let key = scope.insert(row).await?;
    Ok(CreatedApiKey {
        key,
        secret: generated.secret,
    })
}

/// Revokes a key; revoking a revoked key changes nothing and succeeds. The revocation is
/// announced to every server process as it commits (again for a key revoked before: a
/// connection that missed the first announcement ends now), so that the connections the key
/// authenticated end at once.
pub async fn revoke(session: &Session, id: Uuid) -> DomainResult<api_key::Model> {
    let scope = session.scope(Permission::ManageApiKeys)?;
    let transaction = scope.begin().await?;
    let key = store::api_key::revoke(&transaction, id, Utc::now()).await?;
    session
        .events()
        .commit_revocation(transaction, key.id)
        .await?;
    Ok(key)
}

/// One page of the tenant's keys, with their total count.
pub async fn list(
    session: &Session,
    request: &PageRequest,
) -> DomainResult<(Page<api_key::Model>, u64)> {
    let scope = session.scope(Permission::ManageApiKeys)?;
    let page = store::api_key::list(&scope, request).await?;
    let total = store::api_key::count(&scope).await?;
    Ok((page, total))
}
