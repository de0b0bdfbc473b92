//! The document's review: a line under the title saying where the review stands and which
//! version was approved, by whom and when, and a "Review" section with every step once the
//! plan has been submitted.

use chrono::{DateTime, Utc};
use entity::plan_review_event;

use super::markdown::{cell, heading, inline, label, or_nothing, table};
use crate::domain::plan::{
    document::PlanDocument,
    review::{ReviewState, token_role},
};

fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// "alice (admin)", or the subject alone for an API key.
fn who(event: &plan_review_event::Model) -> String {
    let subject = inline(&event.actor_subject);
    match event.actor_role {
        Some(role) => format!("{subject} ({})", token_role(role)),
        None => subject,
    }
}

fn approval_text(event: &plan_review_event::Model) -> String {
    format!(
        "version {} approved by {} on {}",
        event.plan_version,
        who(event),
        when(event.created_at)
    )
}

/// The `- **Review:** …` line under the title.
pub(super) fn summary(out: &mut String, document: &PlanDocument) {
    let review = &document.review;
    let plan_version = document.rows.plan.version;
    let text = match review.state {
        ReviewState::Approved => match review.approval() {
            Some(approval) if approval.plan_version == plan_version => {
                format!("Approved, {}", approval_text(approval))
            }
            Some(approval) => format!(
                "Approved, {} (the plan is now at version {plan_version})",
                approval_text(approval)
            ),
            None => "Approved".to_owned(),
        },
        ReviewState::InReview => match review.events.last() {
            Some(submitted) => format!(
                "In review, version {} submitted by {} on {}",
                submitted.plan_version,
                who(submitted),
                when(submitted.created_at)
            ),
            None => "In review".to_owned(),
        },
        ReviewState::Draft => match review.last_approval() {
            Some(approval) => format!("Draft (re-opened; last {})", approval_text(approval)),
            None => "Draft".to_owned(),
        },
    };
    out.push_str(&format!("- **Review:** {text}\n"));
}

/// The "Review" section: every step, oldest first; left out before the first submission.
pub(super) fn render(out: &mut String, document: &PlanDocument) {
    let events = &document.review.events;
    if events.is_empty() {
        return;
    }
    heading(out, 2, "Review");
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|event| {
            vec![
                event.sequence.to_string(),
                label(event.kind),
                cell(&who(event)),
                event.plan_version.to_string(),
                when(event.created_at),
                or_nothing(event.note.as_deref()),
            ]
        })
        .collect();
    table(out, &["#", "Step", "By", "Version", "When", "Note"], &rows);
}

#[cfg(test)]
mod tests {
    use entity::review_enums::ReviewEventKind;

    use super::*;

    #[test]
    fn steps_read_like_words() {
        assert_eq!(
            label(ReviewEventKind::ChangesRequested),
            "Changes requested"
        );
        assert_eq!(label(ReviewEventKind::Approved), "Approved");
    }
}
