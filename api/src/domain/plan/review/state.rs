//! The review's lifecycle, read from its history: which step may follow which.
//!
//! ```text
//!         submit                 approve
//! DRAFT ─────────► IN_REVIEW ─────────────► APPROVED
//!   ▲                  │                        │
//!   └──────────────────┘                        │
//!   │  request changes (a note is required)     │
//!   └───────────────────────────────────────────┘
//!      re-open (a budget change, or reopenPlanReview)
//! ```

use entity::{plan_review_event, review_enums::ReviewEventKind};

/// Where a plan's review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewState {
    /// Being written or revised; may be submitted.
    Draft,
    /// Submitted; waiting for an approver to approve it or request changes.
    InReview,
    /// Approved at a version.
    Approved,
}

impl ReviewState {
    /// The state as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "DRAFT",
            Self::InReview => "IN_REVIEW",
            Self::Approved => "APPROVED",
        }
    }
}

/// The state a review is in after an event of `kind`.
pub fn after(kind: ReviewEventKind) -> ReviewState {
    match kind {
        ReviewEventKind::Submitted => ReviewState::InReview,
        ReviewEventKind::Approved => ReviewState::Approved,
        ReviewEventKind::ChangesRequested | ReviewEventKind::Reopened => ReviewState::Draft,
    }
}

/// The state a review with this history (oldest first) is in: DRAFT without one.
pub fn of(events: &[plan_review_event::Model]) -> ReviewState {
    events
        .last()
        .map_or(ReviewState::Draft, |event| after(event.kind))
}

/// The state an event of `kind` may be recorded in.
pub fn required_before(kind: ReviewEventKind) -> ReviewState {
    match kind {
        ReviewEventKind::Submitted => ReviewState::Draft,
        ReviewEventKind::Approved | ReviewEventKind::ChangesRequested => ReviewState::InReview,
        ReviewEventKind::Reopened => ReviewState::Approved,
    }
}

/// A review as read from its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanReview {
    /// Where it stands.
    pub state: ReviewState,
    /// Every event, oldest first.
    pub events: Vec<plan_review_event::Model>,
}

impl PlanReview {
    /// The review of a plan with this history (oldest first).
    pub fn from_events(events: Vec<plan_review_event::Model>) -> Self {
        Self {
            state: of(&events),
            events,
        }
    }

    /// The latest approval, kept after the review re-opens (then no longer in force).
    pub fn last_approval(&self) -> Option<&plan_review_event::Model> {
        self.events
            .iter()
            .rev()
            .find(|event| event.kind == ReviewEventKind::Approved)
    }

    /// The approval in force: the latest one while the review is APPROVED.
    pub fn approval(&self) -> Option<&plan_review_event::Model> {
        match self.state {
            ReviewState::Approved => self.last_approval(),
            ReviewState::Draft | ReviewState::InReview => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReviewEventKind::{Approved, ChangesRequested, Reopened, Submitted};

    fn event(kind: ReviewEventKind, plan_version: i32) -> plan_review_event::Model {
        plan_review_event::Model {
            tenant_id: uuid::Uuid::nil(),
            id: uuid::Uuid::now_v7(),
            plan_id: uuid::Uuid::nil(),
            sequence: 0,
            kind,
            actor_subject: "alice".into(),
            actor_role: None,
            note: None,
            plan_version,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn each_step_needs_the_state_the_diagram_shows() {
        // Written out by hand from the diagram: (state before, event, state after).
        let steps = [
            (ReviewState::Draft, Submitted, ReviewState::InReview),
            (ReviewState::InReview, Approved, ReviewState::Approved),
            (ReviewState::InReview, ChangesRequested, ReviewState::Draft),
            (ReviewState::Approved, Reopened, ReviewState::Draft),
        ];
        for (before, kind, then) in steps {
            assert_eq!(required_before(kind), before, "{kind:?}");
            assert_eq!(after(kind), then, "{kind:?}");
        }
    }

    #[test]
    fn the_state_and_the_approval_follow_the_history() {
        let mut review = PlanReview::from_events(Vec::new());
        assert_eq!(review.state, ReviewState::Draft);
        assert_eq!(review.approval(), None);

        review = PlanReview::from_events(vec![event(Submitted, 1), event(Approved, 1)]);
        assert_eq!(review.state, ReviewState::Approved);
        assert_eq!(review.approval().map(|a| a.plan_version), Some(1));

        review = PlanReview::from_events(vec![
            event(Submitted, 1),
            event(Approved, 1),
            event(Reopened, 2),
            event(Submitted, 2),
        ]);
        assert_eq!(review.state, ReviewState::InReview);
        assert_eq!(review.approval(), None, "no approval in force");
        assert_eq!(review.last_approval().map(|a| a.plan_version), Some(1));
    }
}
