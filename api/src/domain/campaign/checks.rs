//! The checks of a campaign's fields against its plan: dates inside the plan's period, a UTM
//! code well formed and unique in the plan, a parent of the same plan that is not a
//! sub-campaign, objectives of the plan, and a status change the lifecycle allows.

use chrono::NaiveDate;
use entity::{campaign, enums::CampaignStatus, objective, plan};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::status::{self, TransitionError};
use crate::domain::{
    DomainResult, FieldErrorCode,
    validation::{Violations, unique},
};
use crate::store::{self, Scoped};

/// Longest UTM code accepted.
pub const MAX_UTM_CODE_CHARS: usize = 100;

pub(super) const DUPLICATE_UTM_CODE: &str = "another campaign of the plan uses this UTM code";

pub(super) fn check_dates(
    violations: &mut Violations,
    plan: &plan::Model,
    start: NaiveDate,
    end: NaiveDate,
) {
    violations.date_order("endDate", start, end);
    violations.within_period("startDate", start, plan.period_start, plan.period_end);
    violations.within_period("endDate", end, plan.period_start, plan.period_end);
}

/// True for a well-formed UTM code: 1 to 100 of `a-z`, `0-9`, `-`, `_`, `.`.
pub fn is_valid_utm_code(code: &str) -> bool {
    !code.is_empty()
        && code.chars().count() <= MAX_UTM_CODE_CHARS
        && code.bytes().all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || matches!(byte, b'-' | b'_' | b'.')
        })
}

pub(super) async fn check_utm_code<C: ConnectionTrait>(
    scope: &Scoped<C>,
    violations: &mut Violations,
    plan_id: Uuid,
    code: &str,
    except: Option<Uuid>,
) -> DomainResult<String> {
    let code = code.trim().to_owned();
    if !is_valid_utm_code(&code) {
        violations.add(
            &["utmCode"],
            FieldErrorCode::Invalid,
            format!(
                "use 1 to {MAX_UTM_CODE_CHARS} lowercase letters, digits, `-`, `_` or `.` (such as `spring-sale_2027`)"
            ),
        );
    } else if store::campaign::with_utm_code(scope, plan_id, &code, except)
        .await?
        .is_some()
    {
        violations.add(&["utmCode"], FieldErrorCode::Duplicate, DUPLICATE_UTM_CODE);
    }
    Ok(code)
}

/// Checks a parent for the campaign `child` (`None` while creating it): a campaign of the same
/// plan and tenant, not the child itself nor one of its descendants.
pub(super) async fn check_parent<C: ConnectionTrait>(
    scope: &Scoped<C>,
    violations: &mut Violations,
    plan_id: Uuid,
    child: Option<Uuid>,
    parent_id: Uuid,
) -> DomainResult<()> {
    const PATH: &str = "parentCampaignId";
    if Some(parent_id) == child {
        violations.add(
            &[PATH],
            FieldErrorCode::Cycle,
            "a campaign cannot be its own parent",
        );
        return Ok(());
    }
    let Some(parent) = scope.find::<campaign::Entity>(parent_id).await? else {
        violations.add(&[PATH], FieldErrorCode::NotFound, "no such campaign");
        return Ok(());
    };
    if parent.plan_id != plan_id {
        violations.add(
            &[PATH],
            FieldErrorCode::Invalid,
            "the parent campaign must belong to the same plan",
        );
        return Ok(());
    }
    if let Some(child) = child {
        // Walk up from the new parent: meeting the child means the child is an ancestor.
        let parents = store::campaign::parent_links(scope, plan_id).await?;
        let mut cursor = Some(parent_id);
        let mut steps = 0;
        while let Some(current) = cursor {
            if current == child {
                violations.add(
                    &[PATH],
                    FieldErrorCode::Cycle,
                    "the parent campaign is one of this campaign's sub-campaigns",
                );
                break;
            }
            steps += 1;
            if steps > parents.len() {
                break;
            }
            cursor = parents.get(&current).copied();
        }
    }
    Ok(())
}

/// Records a violation for each id that is not an objective of the plan; returns the ids
/// without repeats.
pub(super) async fn check_objectives<C: ConnectionTrait>(
    scope: &Scoped<C>,
    violations: &mut Violations,
    plan_id: Uuid,
    ids: &[Uuid],
) -> DomainResult<Vec<Uuid>> {
    let found = scope.find_many::<objective::Entity>(ids).await?;
    for (index, id) in ids.iter().enumerate() {
        let index = index.to_string();
        match found.iter().find(|objective| objective.id == *id) {
            None => violations.add(
                &["objectiveIds", &index],
                FieldErrorCode::NotFound,
                "no such objective",
            ),
            Some(objective) if objective.plan_id != plan_id => violations.add(
                &["objectiveIds", &index],
                FieldErrorCode::Invalid,
                "the objective belongs to another plan",
            ),
            Some(_) => {}
        }
    }
    Ok(unique(ids))
}

pub(super) fn check_status(
    violations: &mut Violations,
    from: CampaignStatus,
    to: CampaignStatus,
    reopen: bool,
) {
    let name = |status: CampaignStatus| format!("{status:?}").to_uppercase();
    match status::check(from, to, reopen) {
        Ok(()) => {}
        Err(TransitionError::ReopenRequired) => violations.add(
            &["status"],
            FieldErrorCode::InvalidTransition,
            format!(
                "the campaign is {}: set `reopen: true` to re-plan it as {}",
                name(from),
                name(to)
            ),
        ),
        Err(TransitionError::NotAllowed) => {
            let allowed: Vec<String> = status::next_statuses(from)
                .iter()
                .map(|status| name(*status))
                .collect();
            violations.add(
                &["status"],
                FieldErrorCode::InvalidTransition,
                format!(
                    "a {} campaign cannot become {}; it can become {}",
                    name(from),
                    name(to),
                    allowed.join(", ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utm_codes() {
        for good in ["a", "spring-sale_2027.v2", &"x".repeat(100)] {
            assert!(is_valid_utm_code(good), "{good}");
        }
        for bad in ["", "Spring", "spring sale", "été", "a/b", &"x".repeat(101)] {
            assert!(!is_valid_utm_code(bad), "{bad}");
        }
    }
}
