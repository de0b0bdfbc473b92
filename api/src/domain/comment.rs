//! Comments: threads of discussion on a plan, a campaign, an action or an objective.
//!
//! - A thread starts with a comment on a target; replies join it (a reply to a reply joins the
//!   same thread, remembering which comment it answers). Threads are flat, as in review tools.
//! - Whoever reads the plan may comment (`Permission::Comment`, VIEWER and up; no API key): a
//!   reviewer discusses what they cannot edit.
//! - Only its author edits a comment; its author or an ADMIN deletes it (deleting a thread's
//!   first comment deletes its replies). Anyone who may comment resolves or reopens a thread.
//! - Mentions are data for clients to notify: the subjects written `@subject` in the body (see
//!   [`mentions_in`]) followed by those the input lists explicitly, without repeats. An edit
//!   computes them again from its own body and list.
//! - Deleting a commented object deletes its comments, in the same statement (the foreign keys
//!   cascade, see the migration `m20261206_000011_create_comments`).

use chrono::Utc;
use entity::{
    action, campaign,
    comment::{self, CommentTarget},
    json_lists::StringList,
    objective, plan,
};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::auth::{AuthError, Grant, Permission};
use crate::domain::{DomainResult, FieldErrorCode, Session, validation::Violations};

/// Longest comment body accepted, in characters.
pub const MAX_BODY_CHARS: usize = 10_000;

/// Most subjects one comment mentions.
pub const MAX_MENTIONS: usize = 50;

/// Longest subject a comment mentions, in characters (as the column stores authors).
pub const MAX_SUBJECT_CHARS: usize = 255;

/// What a new comment is written on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentOn {
    /// Starts a thread on a plan.
    Plan(Uuid),
    /// Starts a thread on a campaign.
    Campaign(Uuid),
    /// Starts a thread on an action.
    Action(Uuid),
    /// Starts a thread on an objective.
    Objective(Uuid),
    /// Replies to a comment, in its thread.
    Reply(Uuid),
}

/// A new comment.
#[derive(Debug, Clone)]
pub struct NewComment {
    /// What it is written on.
    pub on: CommentOn,
    /// The text.
    pub body: String,
    /// Subjects mentioned besides those written `@subject` in the body.
    pub mentions: Vec<String>,
}

/// A new text for a comment.
#[derive(Debug, Clone)]
pub struct CommentEdit {
    /// The new text.
    pub body: String,
    /// Subjects mentioned besides those written `@subject` in the new text.
    pub mentions: Vec<String>,
}

/// A character that may be part of a subject written after `@`: letters, digits and
/// `_ . - + @ : |` (so that `@alice@example.com` and `@auth0|42` are mentions).
fn is_subject_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '+' | '@' | ':' | '|')
}

/// The subjects written `@subject` in `body`, in order, without repeats. A mention starts with
/// an `@` at the start of the text or after a character that cannot be part of a subject (so
/// the `@` of `bob@example.com` starts none), runs over the subject characters that follow
/// (see [`is_subject_char`]), and loses the punctuation that ends a sentence (`.`, `:`, `-`,
/// `@`). Longer than [`MAX_SUBJECT_CHARS`], it is not a mention.
pub fn mentions_in(body: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut previous: Option<char> = None;
    let mut chars = body.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let starts_mention = c == '@' && !previous.is_some_and(is_subject_char);
        previous = Some(c);
        if !starts_mention {
            continue;
        }
        let from = start + c.len_utf8();
        let mut to = from;
        while let Some(&(index, next)) = chars.peek() {
            if !is_subject_char(next) {
                break;
            }
            to = index + next.len_utf8();
            previous = Some(next);
            chars.next();
        }
        let subject = body[from..to].trim_end_matches(['.', ':', '-', '@']);
        if !subject.is_empty()
            && subject.chars().count() <= MAX_SUBJECT_CHARS
            && !found.iter().any(|known| known == subject)
        {
            found.push(subject.to_owned());
        }
    }
    found
}

/// Checks a body and the explicit mentions; returns the trimmed body and every mention.
fn check_text(v: &mut Violations, body: &str, explicit: &[String]) -> (String, StringList) {
    let body = v.required_text(&["body"], body, MAX_BODY_CHARS);
    let mut mentions = mentions_in(&body);
    for (index, subject) in explicit.iter().enumerate() {
        let at = index.to_string();
        let subject = v.required_text(&["mentions", &at], subject, MAX_SUBJECT_CHARS);
        if !subject.is_empty() && !mentions.contains(&subject) {
            mentions.push(subject);
        }
    }
    if mentions.len() > MAX_MENTIONS {
        v.add(
            &["mentions"],
            FieldErrorCode::TooLong,
            format!("a comment mentions at most {MAX_MENTIONS} subjects"),
        );
    }
    (body, StringList(mentions))
}

/// The caller's role as stored with a comment.
fn author_role(session: &Session) -> String {
    match &session.principal().grant {
        Grant::Role(role) => role.to_string(),
        Grant::ApiKey { .. } => "api-key".to_owned(),
        // The policy lets no share link comment; named for completeness.
        Grant::SharedPlan { .. } => "share-link".to_owned(),
    }
}

fn forbidden(message: &str) -> crate::domain::DomainError {
    AuthError::Forbidden(message.to_owned()).into()
}

/// Writes a comment: starts a thread on a plan, campaign, action or objective of the caller's
/// tenant, or replies in the thread of one of its comments. NOT_FOUND when the target is not
/// the tenant's.
pub async fn add(session: &Session, input: NewComment) -> DomainResult<comment::Model> {
    let scope = session.scope(Permission::Comment)?;
    let transaction = scope.begin().await?;
    let mut row = comment::ActiveModel {
        author_subject: Set(session.principal().subject.clone()),
        author_role: Set(author_role(session)),
        edited_at: Set(None),
        resolved_at: Set(None),
        resolved_by: Set(None),
        thread_id: Set(None),
        parent_id: Set(None),
        plan_id: Set(None),
        campaign_id: Set(None),
        action_id: Set(None),
        objective_id: Set(None),
        ..Default::default()
    };
    match input.on {
        CommentOn::Plan(id) => {
            transaction.get::<plan::Entity>(id).await?;
            row.target_type = Set(CommentTarget::Plan);
            row.plan_id = Set(Some(id));
        }
        CommentOn::Campaign(id) => {
            transaction.get::<campaign::Entity>(id).await?;
            row.target_type = Set(CommentTarget::Campaign);
            row.campaign_id = Set(Some(id));
        }
        CommentOn::Action(id) => {
            transaction.get::<action::Entity>(id).await?;
            row.target_type = Set(CommentTarget::Action);
            row.action_id = Set(Some(id));
        }
        CommentOn::Objective(id) => {
            transaction.get::<objective::Entity>(id).await?;
            row.target_type = Set(CommentTarget::Objective);
            row.objective_id = Set(Some(id));
        }
        CommentOn::Reply(id) => {
            // A reply carries its thread's target, so that the target's cascade reaches it.
            let parent = transaction.get::<comment::Entity>(id).await?;
            row.target_type = Set(parent.target_type);
            row.plan_id = Set(parent.plan_id);
            row.campaign_id = Set(parent.campaign_id);
            row.action_id = Set(parent.action_id);
            row.objective_id = Set(parent.objective_id);
            row.thread_id = Set(Some(parent.root_id()));
            row.parent_id = Set(Some(parent.id));
        }
    }
    let mut v = Violations::new();
    let (body, mentions) = check_text(&mut v, &input.body, &input.mentions);
    v.finish()?;
    row.body = Set(body);
    row.mentions = Set(mentions);
    let created = transaction.insert(row).await?;
    transaction.commit().await?;
    Ok(created)
}

/// Changes the text of a comment if its version is `expected_version`. Only its author may:
/// FORBIDDEN for anyone else, whatever their role.
pub async fn edit(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    edit: CommentEdit,
) -> DomainResult<comment::Model> {
    let scope = session.scope(Permission::Comment)?;
    let transaction = scope.begin().await?;
    let current = transaction.get::<comment::Entity>(id).await?;
    if current.author_subject != session.principal().subject {
        return Err(forbidden("only its author may edit a comment"));
    }
    let mut v = Violations::new();
    let (body, mentions) = check_text(&mut v, &edit.body, &edit.mentions);
    v.finish()?;
    let changes = comment::ActiveModel {
        body: Set(body),
        mentions: Set(mentions),
        edited_at: Set(Some(Utc::now())),
        ..Default::default()
    };
    let edited = transaction
        .update_versioned::<comment::Entity, _>(id, expected_version, changes)
        .await?;
    transaction.commit().await?;
    Ok(edited)
}

/// Resolves (`resolve`) or reopens the thread that comment `id` starts, if its version is
/// `expected_version`. A reply's id is refused (INVALID): a thread is resolved through its
/// first comment; resolving a resolved thread or reopening an open one is INVALID_TRANSITION.
pub async fn set_resolved(
    session: &Session,
    id: Uuid,
    expected_version: i32,
    resolve: bool,
) -> DomainResult<comment::Model> {
    let scope = session.scope(Permission::Comment)?;
    let transaction = scope.begin().await?;
    let current = transaction.get::<comment::Entity>(id).await?;
    let mut v = Violations::new();
    if current.thread_id.is_some() {
        v.add(
            &["id"],
            FieldErrorCode::Invalid,
            "this comment is a reply; resolve or reopen its thread through the thread's first comment",
        );
    } else if resolve && current.resolved_at.is_some() {
        v.add(
            &["id"],
            FieldErrorCode::InvalidTransition,
            "the thread is already resolved",
        );
    } else if !resolve && current.resolved_at.is_none() {
        v.add(
            &["id"],
            FieldErrorCode::InvalidTransition,
            "the thread is open",
        );
    }
    v.finish()?;
    let changes = if resolve {
        comment::ActiveModel {
            resolved_at: Set(Some(Utc::now())),
            resolved_by: Set(Some(session.principal().subject.clone())),
            ..Default::default()
        }
    } else {
        comment::ActiveModel {
            resolved_at: Set(None),
            resolved_by: Set(None),
            ..Default::default()
        }
    };
    let changed = transaction
        .update_versioned::<comment::Entity, _>(id, expected_version, changes)
        .await?;
    transaction.commit().await?;
    Ok(changed)
}

/// Deletes a comment, with its replies when it starts a thread. Its author may, and an ADMIN
/// may delete anyone's; FORBIDDEN for anyone else.
pub async fn delete(session: &Session, id: Uuid) -> DomainResult<Uuid> {
    let scope = session.scope(Permission::Comment)?;
    let transaction = scope.begin().await?;
    let current = transaction.get::<comment::Entity>(id).await?;
    if current.author_subject != session.principal().subject
        && session.scope(Permission::ModerateComments).is_err()
    {
        return Err(forbidden(
            "only its author or an ADMIN may delete a comment",
        ));
    }
    transaction.delete::<comment::Entity>(id).await?;
    transaction.commit().await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::mentions_in;

    #[test]
    fn mentions_are_the_subjects_after_an_at_sign_in_order_without_repeats() {
        assert_eq!(
            mentions_in("@alice, can you check with @bob.smith and @alice?"),
            ["alice", "bob.smith"]
        );
    }

    #[test]
    fn an_email_address_is_not_a_mention_but_a_subject_may_be_one() {
        assert_eq!(
            mentions_in("write to bob@example.com"),
            Vec::<String>::new()
        );
        assert_eq!(
            mentions_in("cc @carol@example.com: and @auth0|42."),
            ["carol@example.com", "auth0|42"]
        );
    }

    #[test]
    fn a_lone_at_sign_or_punctuation_mentions_nobody() {
        assert_eq!(mentions_in("@ @. meet @ 5"), Vec::<String>::new());
        assert_eq!(mentions_in("(@dana)"), ["dana"]);
    }

    #[test]
    fn an_over_long_subject_is_not_a_mention() {
        let long = format!("@{}", "a".repeat(super::MAX_SUBJECT_CHARS + 1));
        assert!(mentions_in(&long).is_empty());
    }
}
