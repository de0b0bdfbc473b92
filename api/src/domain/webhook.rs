//! Webhook endpoints: ADMINs register where the tenant's changes are sent, signed. A new
//! endpoint's signing secret is returned once, by [`create`] (and [`rotate_secret`]); the
//! server keeps it to sign deliveries and never returns it again. Deliveries themselves are
//! the dispatcher's (`crate::webhooks`).

use chrono::Utc;
use entity::{json_lists::StringList, webhook_delivery, webhook_endpoint};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::{
    DomainError, DomainResult, Session,
    validation::{FieldErrorCode, Violations},
};
use crate::{
    auth::Permission,
    store::{
        self,
        page::{Page, PageRequest},
    },
    webhooks::{self, address, signature},
};

/// Most event-type patterns an endpoint subscribes to.
pub const MAX_EVENT_TYPES: usize = 50;

/// Longest description.
const MAX_DESCRIPTION_CHARS: usize = 200;

/// Longest subject recorded as an endpoint's creator (the length of its column).
const MAX_CREATOR_CHARS: usize = 255;

/// What a new endpoint is made of.
#[derive(Debug, Clone)]
pub struct NewWebhookEndpoint {
    /// Where deliveries are POSTed.
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
    /// The event types it receives (see [`valid_event_type`]).
    pub event_types: Vec<String>,
}

/// What changes in an endpoint; `None` keeps the value.
#[derive(Debug, Clone)]
pub struct WebhookEndpointChanges {
    /// The version the caller read.
    pub version: i32,
    /// A new URL.
    pub url: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// New event types.
    pub event_types: Option<Vec<String>>,
}

/// An endpoint with its secret, which is never available again.
#[derive(Debug, Clone)]
pub struct EndpointWithSecret {
    /// The stored endpoint.
    pub endpoint: webhook_endpoint::Model,
    /// The whole signing secret.
    pub secret: String,
}

/// True for an event-type pattern: `*` (every event), `<Type>.*` (every event of an object
/// type, e.g. `Campaign.*`) or `<Type>.<ACTION>` (e.g. `Plan.DELETED`), where `<Type>` is a
/// GraphQL type name and `<ACTION>` an audit action in SCREAMING_SNAKE_CASE.
pub fn valid_event_type(pattern: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let Some((object_type, action)) = pattern.split_once('.') else {
        return false;
    };
    let type_ok = object_type.len() <= 64
        && object_type.starts_with(|c: char| c.is_ascii_uppercase())
        && object_type.chars().all(|c| c.is_ascii_alphanumeric());
    let action_ok = action == "*"
        || (action.len() <= 64
            && action.starts_with(|c: char| c.is_ascii_uppercase())
            && action
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
    type_ok && action_ok
}

/// True when an event of `event_type` (`<Type>.<ACTION>`) matches one of the patterns.
pub fn subscribed(patterns: &[String], event_type: &str) -> bool {
    let object_type = event_type.split_once('.').map_or(event_type, |(t, _)| t);
    patterns.iter().any(|pattern| {
        pattern == "*"
            || pattern == event_type
            || pattern
                .strip_suffix(".*")
                .is_some_and(|wanted| wanted == object_type)
    })
}

/// Checks event-type patterns: at least one, at most [`MAX_EVENT_TYPES`], each valid; returns
/// them without duplicates, in the order given.
fn event_types(v: &mut Violations, given: &[String]) -> Vec<String> {
    if given.is_empty() {
        v.add(
            &["eventTypes"],
            FieldErrorCode::Required,
            "give at least one event type (`*` for every event)",
        );
    } else if given.len() > MAX_EVENT_TYPES {
        v.add(
            &["eventTypes"],
            FieldErrorCode::TooLong,
            format!("at most {MAX_EVENT_TYPES} event types"),
        );
    }
    let mut kept: Vec<String> = Vec::new();
    for (index, pattern) in given.iter().enumerate() {
        let pattern = pattern.trim();
        if !valid_event_type(pattern) {
            let index = index.to_string();
            v.add(
                &["eventTypes", &index],
                FieldErrorCode::Invalid,
                "must be `*`, `<Type>.*` or `<Type>.<ACTION>`, e.g. `Campaign.*` or `Plan.DELETED`",
            );
        } else if !kept.iter().any(|seen| seen == pattern) {
            kept.push(pattern.to_owned());
        }
    }
    kept
}

/// Checks a target URL's shape, then resolves its host and refuses internal addresses (see
/// `webhooks::address`). Returns it as given (trimmed).
async fn target(v: &mut Violations, url: &str, allow_private: bool) -> String {
    let url = url.trim();
    match address::parse_target(url) {
        Err(message) => v.add(&["url"], FieldErrorCode::Invalid, message),
        Ok(parsed) => {
            if let Err(message) = address::check_target(&parsed, allow_private).await {
                v.add(&["url"], FieldErrorCode::Invalid, message);
            }
        }
    }
    url.to_owned()
}

fn new_secret() -> DomainResult<signature::NewSecret> {
    signature::generate().map_err(|error| {
        DomainError::Internal(format!("the system's random generator failed: {error}"))
    })
}

/// Registers an endpoint (ADMIN). It receives the events committed from now on; the payload
/// carries its signing secret, once.
pub async fn create(
    session: &Session,
    input: NewWebhookEndpoint,
) -> DomainResult<EndpointWithSecret> {
    let scope = session.scope(Permission::ManageWebhooks)?;
    let mut v = Violations::new();
    let url = target(&mut v, &input.url, session.allows_private_webhooks()).await;
    let description = v
        .short_text(
            "description",
            input.description.as_deref(),
            MAX_DESCRIPTION_CHARS,
        )
        .unwrap_or_default();
    let event_types = event_types(&mut v, &input.event_types);
    let subject = &session.principal().subject;
    if super::validation::unstorable(subject).is_some()
        || subject.chars().count() > MAX_CREATOR_CHARS
    {
        v.add(
            &[],
            FieldErrorCode::Invalid,
            format!(
                "the subject of your credential cannot be recorded as the endpoint's creator \
                 (at most {MAX_CREATOR_CHARS} characters, no NUL)"
            ),
        );
    }
    v.finish()?;
    let secret = new_secret()?;
    let transaction = scope.begin().await?;
    let (cursor_txid, cursor_seq) = store::change_feed::head(&transaction).await?;
    let row = webhook_endpoint::ActiveModel {
        url: Set(url),
        description: Set(description),
        event_types: Set(StringList(event_types)),
        secret: Set(secret.secret.clone()),
        secret_prefix: Set(secret.prefix),
        enabled: Set(true),
        disabled_reason: Set(None),
        disabled_at: Set(None),
        consecutive_failures: Set(0),
        failing_since: Set(None),
        next_attempt_at: Set(None),
        cursor_txid: Set(cursor_txid),
        cursor_seq: Set(cursor_seq),
        lease_owner: Set(None),
        lease_expires_at: Set(None),
        created_by: Set(subject.clone()),
        ..Default::default()
    };
    let mut endpoint = transaction.insert(row).await?;
    // Its registration is itself an audit event, written by the insert: the endpoint starts
    // after it, so that it receives what is committed from now on and not its own creation.
    let (cursor_txid, cursor_seq) = store::change_feed::head(&transaction).await?;
    store::webhook::start_at(&transaction, endpoint.id, cursor_txid, cursor_seq).await?;
    (endpoint.cursor_txid, endpoint.cursor_seq) = (cursor_txid, cursor_seq);
    transaction.commit().await?;
    webhooks::wake();
    Ok(EndpointWithSecret {
        endpoint,
        secret: secret.secret,
    })
}

/// Changes an endpoint's URL, description or event types (ADMIN), at the version the caller
/// read.
pub async fn update(
    session: &Session,
    id: Uuid,
    changes: WebhookEndpointChanges,
) -> DomainResult<webhook_endpoint::Model> {
    let scope = session.scope(Permission::ManageWebhooks)?;
    let mut v = Violations::new();
    let mut row = webhook_endpoint::ActiveModel::default();
    if let Some(url) = &changes.url {
        row.url = Set(target(&mut v, url, session.allows_private_webhooks()).await);
    }
    if let Some(description) = &changes.description {
        row.description = Set(v
            .short_text("description", Some(description), MAX_DESCRIPTION_CHARS)
            .unwrap_or_default());
    }
    if let Some(given) = &changes.event_types {
        row.event_types = Set(StringList(event_types(&mut v, given)));
    }
    v.finish()?;
    let updated = scope
        .update_versioned::<webhook_endpoint::Entity, _>(id, changes.version, row)
        .await?;
    webhooks::wake();
    Ok(updated)
}

/// Deletes an endpoint and its delivery log (ADMIN).
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::ManageWebhooks)?;
    scope.delete::<webhook_endpoint::Entity>(id).await?;
    Ok(id)
}

/// Enables an endpoint again (ADMIN), after it was disabled for sustained failure: its failures
/// are forgotten and the events it missed are delivered, from where its cursor stopped.
/// Enabling an enabled endpoint changes nothing but its version.
pub async fn enable(session: &Session, id: Uuid) -> DomainResult<webhook_endpoint::Model> {
    let scope = session.scope(Permission::ManageWebhooks)?;
    let transaction = scope.begin().await?;
    let before = transaction.get::<webhook_endpoint::Entity>(id).await?;
    let endpoint = store::webhook::enable(&transaction, id, Utc::now()).await?;
    // A plain statement, not a scoped write: its audit entry is written here, in its transaction.
    let entry = store::audit::update_entry("WebhookEndpoint", &before, &endpoint);
    transaction.audit(entry.into_iter().collect()).await?;
    transaction.commit().await?;
    webhooks::wake();
    Ok(endpoint)
}

/// Replaces an endpoint's signing secret (ADMIN) and returns the new one, once. Deliveries
/// signed from now on use it.
pub async fn rotate_secret(
    session: &Session,
    id: Uuid,
    version: i32,
) -> DomainResult<EndpointWithSecret> {
    let scope = session.scope(Permission::ManageWebhooks)?;
    let secret = new_secret()?;
    let row = webhook_endpoint::ActiveModel {
        secret: Set(secret.secret.clone()),
        secret_prefix: Set(secret.prefix),
        ..Default::default()
    };
    let endpoint = scope
        .update_versioned::<webhook_endpoint::Entity, _>(id, version, row)
        .await?;
    Ok(EndpointWithSecret {
        endpoint,
        secret: secret.secret,
    })
}

/// One page of the tenant's endpoints, with their total count (ADMIN).
pub async fn list(
    session: &Session,
    request: &PageRequest,
) -> DomainResult<(Page<webhook_endpoint::Model>, u64)> {
    let scope = session.scope(Permission::ManageWebhooks)?;
    let page = store::webhook::list(&scope, request).await?;
    let total = store::webhook::count(&scope).await?;
    Ok((page, total))
}

/// One endpoint of the tenant (ADMIN).
pub async fn get(session: &Session, id: Uuid) -> DomainResult<webhook_endpoint::Model> {
    let scope = session.scope(Permission::ManageWebhooks)?;
    Ok(scope.get::<webhook_endpoint::Entity>(id).await?)
}

/// One page of the delivery log of one endpoint, oldest first, with its total count (ADMIN).
/// Another tenant's endpoint is [`DomainError::NotFound`].
pub async fn deliveries(
    session: &Session,
    endpoint_id: Uuid,
    request: &PageRequest,
) -> DomainResult<(Page<webhook_delivery::Model>, u64)> {
    let scope = session.scope(Permission::ManageWebhooks)?;
    scope.get::<webhook_endpoint::Entity>(endpoint_id).await?;
    let page = store::webhook::deliveries(&scope, endpoint_id, request).await?;
    let total = store::webhook::count_deliveries(&scope, endpoint_id).await?;
    Ok((page, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_type_patterns() {
        for good in ["*", "Plan.*", "Plan.DELETED", "ContentItem.STATUS_CHANGED"] {
            assert!(valid_event_type(good), "{good}");
        }
        for bad in [
            "",
            "plan.*",
            "Plan",
            "Plan.deleted",
            "Plan.*.*",
            "*.CREATED",
            "Pl an.*",
        ] {
            assert!(!valid_event_type(bad), "{bad}");
        }
    }

    #[test]
    fn matching() {
        let patterns = vec!["Campaign.*".to_owned(), "Plan.DELETED".to_owned()];
        assert!(subscribed(&patterns, "Campaign.UPDATED"));
        assert!(subscribed(&patterns, "Plan.DELETED"));
        assert!(!subscribed(&patterns, "Plan.CREATED"));
        assert!(!subscribed(&patterns, "CampaignX.CREATED"));
        assert!(subscribed(&["*".to_owned()], "Persona.CREATED"));
    }
}
