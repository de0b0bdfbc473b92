//! The lifecycle of a campaign: which status changes make sense.
//!
//! ```text
//! PLANNED ──► ACTIVE ◄──► PAUSED
//!    │          │           │
//!    │          ├──► COMPLETED ◄┘
//!    └──────────┴──► CANCELLED ◄┘ (from PAUSED too)
//! ```
//! COMPLETED and CANCELLED are final: leaving them is re-planning, allowed only when the caller
//! says so explicitly (`reopen`).

use entity::enums::CampaignStatus;

/// Why a status change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionError {
    /// The lifecycle has no such step.
    NotAllowed,
    /// The campaign is COMPLETED or CANCELLED and `reopen` was not set.
    ReopenRequired,
}

/// The statuses a campaign in `from` may move to in the ordinary course of things.
pub fn next_statuses(from: CampaignStatus) -> &'static [CampaignStatus] {
    use CampaignStatus::{Active, Cancelled, Completed, Paused, Planned};
    match from {
        Planned => &[Active, Cancelled],
        Active => &[Paused, Completed, Cancelled],
        Paused => &[Active, Completed, Cancelled],
        Completed | Cancelled => &[],
    }
}

/// True for the statuses that end a campaign's life.
pub fn is_final(status: CampaignStatus) -> bool {
    matches!(
        status,
        CampaignStatus::Completed | CampaignStatus::Cancelled
    )
}

/// Checks a change from `from` to `to`. Staying in the same status is always allowed; leaving a
/// final status is allowed (to any status) only with `reopen`.
pub fn check(
    from: CampaignStatus,
    to: CampaignStatus,
    reopen: bool,
) -> Result<(), TransitionError> {
    if from == to || next_statuses(from).contains(&to) {
        Ok(())
    } else if is_final(from) {
        if reopen {
            Ok(())
        } else {
            Err(TransitionError::ReopenRequired)
        }
    } else {
        Err(TransitionError::NotAllowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CampaignStatus::{Active, Cancelled, Completed, Paused, Planned};

    const ALL: [CampaignStatus; 5] = [Planned, Active, Paused, Completed, Cancelled];

    #[test]
    fn the_ordinary_lifecycle() {
        // Written out by hand: (from, to) pairs allowed without reopening.
        let allowed = [
            (Planned, Active),
            (Planned, Cancelled),
            (Active, Paused),
            (Active, Completed),
            (Active, Cancelled),
            (Paused, Active),
            (Paused, Completed),
            (Paused, Cancelled),
        ];
        for from in ALL {
            for to in ALL {
                let expected = from == to || allowed.contains(&(from, to));
                assert_eq!(
                    check(from, to, false).is_ok(),
                    expected,
                    "{from:?} → {to:?}"
                );
            }
        }
    }

    #[test]
    fn skipping_or_going_back_is_refused_even_with_reopen() {
        for (from, to) in [
            (Planned, Paused),
            (Planned, Completed),
            (Active, Planned),
            (Paused, Planned),
        ] {
            assert_eq!(check(from, to, true), Err(TransitionError::NotAllowed));
            assert_eq!(check(from, to, false), Err(TransitionError::NotAllowed));
        }
    }

    #[test]
    fn leaving_a_final_status_needs_reopen() {
        for from in [Completed, Cancelled] {
            for to in ALL.into_iter().filter(|to| *to != from) {
                assert_eq!(
                    check(from, to, false),
                    Err(TransitionError::ReopenRequired),
                    "{from:?} → {to:?}"
                );
                assert_eq!(check(from, to, true), Ok(()), "{from:?} → {to:?}");
            }
            assert_eq!(check(from, from, false), Ok(()));
        }
    }
}
