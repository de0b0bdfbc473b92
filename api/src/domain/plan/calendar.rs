//! The calendar of a plan: its actions grouped by month, by campaign or by action type, each
//! group with the campaigns that matter to it and the sums of its actions.
//!
//! An action belongs to the month of its START date (where the work begins and, usually, where
//! its budget is committed), so that it appears exactly once and the monthly sums add up to the
//! plan's sums. Cancelled actions stay listed, but their planned budget is left out of the
//! planned sums; their actual cost still counts (what was spent stays spent).

use chrono::{Datelike, NaiveDate};
use entity::{action, action_enums::ActionType, campaign, plan};
use sea_orm::Iterable;

use crate::domain::{DomainResult, FieldErrorCode, validation::Violations};
use crate::store::{
    campaign::action::month_bounds,
    plan::calendar::{GroupKey, GroupSum},
};

/// How the calendar is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalendarGrouping {
    /// One group per month of the plan's period.
    Month,
    /// One group per campaign, then one for the actions without a campaign.
    Campaign,
    /// One group per action type that has actions.
    ActionType,
}

/// What a calendar group stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarKey {
    /// The month starting on this day.
    Month(NaiveDate),
    /// The campaign, or none (the actions without a campaign).
    Campaign(Option<Box<campaign::Model>>),
    /// The action type.
    ActionType(ActionType),
}

/// One group of the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarGroup {
    /// What the group stands for.
    pub key: CalendarKey,
    /// Its actions, by due date then id.
    pub actions: Vec<action::Model>,
    /// The campaigns that matter to it, by start date then id.
    pub campaigns: Vec<campaign::Model>,
    /// Planned budget of its actions that are not cancelled, in micros (exact beyond 64 bits).
    pub planned_micros: i128,
    /// Actual cost of all its actions, in micros.
    pub actual_micros: i128,
}

/// Most months a calendar or a budget report lists: a plan's period spans at most
/// [`crate::domain::plan::MAX_PERIOD_MONTHS`] months, which touch one calendar month more when the
/// period does not start on the 1st. A plan stored before periods were bounded, and longer, is
/// refused (invalid input) rather than answered with one group per month of its centuries.
pub const MAX_MONTHS: usize = crate::domain::plan::MAX_PERIOD_MONTHS as usize + 1;

/// The first day of `day`'s month.
pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    month_bounds(day).0
}

/// The first days of the months from `start`'s to `end`'s, inclusive, in order; refused
/// (invalid input) when they are more than [`MAX_MONTHS`], before any is built.
pub fn months_between(start: NaiveDate, end: NaiveDate) -> DomainResult<Vec<NaiveDate>> {
    let count = (i64::from(end.year()) - i64::from(start.year())) * 12 + i64::from(end.month())
        - i64::from(start.month())
        + 1;
    if count > MAX_MONTHS as i64 {
        let mut violations = Violations::for_argument("plan");
        violations.add(
            &["periodStart"],
            FieldErrorCode::OutOfRange,
            format!(
                "the plan spans {count} months, {start} to {end}; a calendar or a report by \
                 month lists at most {MAX_MONTHS}: shorten the plan's period (at most {} \
                 months)",
                crate::domain::plan::MAX_PERIOD_MONTHS
            ),
        );
        violations.finish()?;
    }
    let mut months = Vec::with_capacity(usize::try_from(count.max(0)).unwrap_or(0));
    let mut month = first_of_month(start);
    while month <= end {
        months.push(month);
        match month_bounds(month).1.succ_opt() {
            Some(next) => month = next,
            None => break,
        }
    }
    Ok(months)
}

/// The sums of `key` among `sums`, or zeros.
fn sums_of(sums: &[GroupSum], key: GroupKey) -> (i128, i128) {
    sums.iter()
        .find(|sum| sum.key == key)
        .map(|sum| (sum.planned_micros, sum.actual_micros))
        .unwrap_or((0, 0))
}

/// The calendar of `plan`. `actions` are the plan's actions by due date then id, `campaigns` its
/// campaigns by start date then id, and `sums` the database's sums for the same grouping.
/// By month, refused (invalid input) beyond [`MAX_MONTHS`] months.
pub fn build(
    plan: &plan::Model,
    grouping: CalendarGrouping,
    actions: &[action::Model],
    campaigns: &[campaign::Model],
    sums: &[GroupSum],
) -> DomainResult<Vec<CalendarGroup>> {
    Ok(match grouping {
        CalendarGrouping::Month => {
            // The period's months, stretched to any action starting outside it, so that every
            // action appears.
            let first = actions
                .iter()
                .map(|a| a.start_date)
                .fold(plan.period_start, NaiveDate::min);
            let last = actions
                .iter()
                .map(|a| a.start_date)
                .fold(plan.period_end, NaiveDate::max);
            months_between(first, last)?
                .into_iter()
                .map(|month| {
                    let (month_start, month_end) = month_bounds(month);
                    let (planned_micros, actual_micros) = sums_of(sums, GroupKey::Month(month));
                    CalendarGroup {
                        key: CalendarKey::Month(month),
                        actions: actions
                            .iter()
                            .filter(|a| {
                                a.start_date.year() == month.year()
                                    && a.start_date.month() == month.month()
                            })
                            .cloned()
                            .collect(),
                        campaigns: campaigns
                            .iter()
                            .filter(|c| c.start_date <= month_end && c.end_date >= month_start)
                            .cloned()
                            .collect(),
                        planned_micros,
                        actual_micros,
                    }
                })
                .collect()
        }
        CalendarGrouping::Campaign => {
            let mut groups: Vec<CalendarGroup> = campaigns
                .iter()
                .map(|campaign| {
                    let (planned_micros, actual_micros) =
                        sums_of(sums, GroupKey::Campaign(Some(campaign.id)));
                    CalendarGroup {
                        key: CalendarKey::Campaign(Some(Box::new(campaign.clone()))),
                        actions: actions
                            .iter()
                            .filter(|a| a.campaign_id == Some(campaign.id))
                            .cloned()
                            .collect(),
                        campaigns: vec![campaign.clone()],
                        planned_micros,
                        actual_micros,
                    }
                })
                .collect();
            let (planned_micros, actual_micros) = sums_of(sums, GroupKey::Campaign(None));
            groups.push(CalendarGroup {
                key: CalendarKey::Campaign(None),
                actions: actions
                    .iter()
                    .filter(|a| a.campaign_id.is_none())
                    .cloned()
                    .collect(),
                campaigns: Vec::new(),
                planned_micros,
                actual_micros,
            });
            groups
        }
        CalendarGrouping::ActionType => ActionType::iter()
            .filter_map(|kind| {
                let of_kind: Vec<action::Model> = actions
                    .iter()
                    .filter(|a| a.action_type == kind)
                    .cloned()
                    .collect();
                if of_kind.is_empty() {
                    return None;
                }
                let (planned_micros, actual_micros) = sums_of(sums, GroupKey::ActionType(kind));
                Some(CalendarGroup {
                    key: CalendarKey::ActionType(kind),
                    campaigns: campaigns
                        .iter()
                        .filter(|c| of_kind.iter().any(|a| a.campaign_id == Some(c.id)))
                        .cloned()
                        .collect(),
                    actions: of_kind,
                    planned_micros,
                    actual_micros,
                })
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn months_cover_the_period_across_a_new_year() {
        assert_eq!(
            months_between(day(2026, 11, 15), day(2027, 2, 1)).ok(),
            Some(vec![
                day(2026, 11, 1),
                day(2026, 12, 1),
                day(2027, 1, 1),
                day(2027, 2, 1)
            ])
        );
        assert_eq!(
            months_between(day(2027, 3, 31), day(2027, 3, 31)).ok(),
            Some(vec![day(2027, 3, 1)])
        );
    }

    #[test]
    fn months_are_bounded_before_they_are_built() {
        // Ten years from the 15th touch 121 calendar months: the most listed.
        let ten_years = months_between(day(2027, 1, 15), day(2037, 1, 14));
        assert_eq!(ten_years.map(|months| months.len()).ok(), Some(MAX_MONTHS));
        assert!(months_between(day(2027, 1, 1), day(2037, 2, 1)).is_err());
        assert!(months_between(day(1, 1, 1), day(9999, 12, 31)).is_err());
    }
}
