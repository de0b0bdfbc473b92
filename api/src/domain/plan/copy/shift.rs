//! How dates move when a plan is copied into a new period.
//!
//! The shift is `new periodStart − old periodStart`, measured as a calendar would:
//! - when both starts fall on the same day of the month (the usual "same plan, next year" or
//!   "next quarter"), every date moves by that whole number of months, so a campaign of
//!   1–31 March stays on 1–31 March whatever the leap years in between. A date on the last
//!   day of its month lands on the last day of its new month (28 February → 29 February in a
//!   leap year, 30 April → 31 May), and a day the new month lacks falls back to its last day
//!   (29 February → 28 February, 31 January → 28 February). The period's end moves the same
//!   way, so the new period has the same length in months (a calendar year stays one);
//! - otherwise every date moves by the same number of days, and the new period has exactly the
//!   same number of days.
//!
//! Both rules keep the order of dates, so every copied date already lies inside the new
//! period; each one is still clamped into it (`max(start, min(end, date))`) so that no
//! calendar corner can ever put a copied campaign, action, objective or content item outside
//! its plan.

use chrono::{Datelike, Months, NaiveDate};

/// How dates move from one period to another (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodShift {
    /// Whole months (same day of the month) or days.
    step: Step,
    /// The new period's first day.
    pub start: NaiveDate,
    /// The new period's last day.
    pub end: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Months(i32),
    Days(i64),
}

fn last_day_of_month(day: NaiveDate) -> NaiveDate {
    let first = day.with_day(1).unwrap_or(day);
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(day)
}

fn shift_raw(step: Step, day: NaiveDate) -> Option<NaiveDate> {
    match step {
        Step::Days(days) => day.checked_add_signed(chrono::Duration::days(days)),
        Step::Months(months) => {
            let count = Months::new(months.unsigned_abs());
            let moved = if months >= 0 {
                day.checked_add_months(count)
            } else {
                day.checked_sub_months(count)
            }?;
            if day == last_day_of_month(day) {
                Some(last_day_of_month(moved))
            } else {
                Some(moved)
            }
        }
    }
}

impl PeriodShift {
    /// The shift from the period `[old_start, old_end]` to one starting on `new_start`, or
    /// `None` when the new period's end cannot be represented.
    pub fn new(old_start: NaiveDate, old_end: NaiveDate, new_start: NaiveDate) -> Option<Self> {
        let step = if old_start.day() == new_start.day() {
            let months = (new_start.year() - old_start.year()) * 12 + new_start.month() as i32
                - old_start.month() as i32;
            Step::Months(months)
        } else {
            Step::Days((new_start - old_start).num_days())
        };
        let end = shift_raw(step, old_end)?.max(new_start);
        Some(Self {
            step,
            start: new_start,
            end,
        })
    }

    /// Where `day` of the old period lands in the new one (always inside it).
    pub fn apply(&self, day: NaiveDate) -> NaiveDate {
        shift_raw(self.step, day)
            .unwrap_or(self.end)
            .clamp(self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn same_day_of_month_moves_by_whole_months() {
        let shift = PeriodShift::new(day("2028-01-01"), day("2028-12-31"), day("2029-01-01"))
            .unwrap_or_else(|| panic!("representable"));
        assert_eq!(shift.end, day("2029-12-31"));
        assert_eq!(shift.apply(day("2028-03-01")), day("2029-03-01"));
        assert_eq!(shift.apply(day("2028-02-29")), day("2029-02-28"));
        assert_eq!(shift.apply(day("2028-02-28")), day("2029-02-28"));
        assert_eq!(shift.apply(day("2028-04-30")), day("2029-04-30"));
        assert_eq!(shift.apply(day("2028-12-31")), day("2029-12-31"));
    }

    #[test]
    fn end_of_month_stays_end_of_month() {
        let shift = PeriodShift::new(day("2027-02-01"), day("2027-02-28"), day("2028-02-01"))
            .unwrap_or_else(|| panic!("representable"));
        assert_eq!(shift.end, day("2028-02-29"));
        assert_eq!(shift.apply(day("2027-02-28")), day("2028-02-29"));
        let backwards = PeriodShift::new(day("2028-01-01"), day("2028-03-31"), day("2027-12-01"))
            .unwrap_or_else(|| panic!("representable"));
        assert_eq!(backwards.end, day("2028-02-29"));
        assert_eq!(backwards.apply(day("2028-03-31")), day("2028-02-29"));
        assert_eq!(backwards.apply(day("2028-03-30")), day("2028-02-29"));
    }

    #[test]
    fn other_starts_move_by_days_and_keep_the_length() {
        let shift = PeriodShift::new(day("2027-01-01"), day("2027-12-31"), day("2027-03-15"))
            .unwrap_or_else(|| panic!("representable"));
        assert_eq!(shift.end, day("2028-03-13"));
        assert_eq!(shift.apply(day("2027-02-28")), day("2027-05-12"));
    }

    #[test]
    fn dates_are_clamped_into_the_new_period() {
        let shift = PeriodShift::new(day("2027-01-01"), day("2027-12-31"), day("2028-01-01"))
            .unwrap_or_else(|| panic!("representable"));
        assert_eq!(shift.apply(day("2028-06-01")), day("2028-12-31"));
        assert_eq!(shift.apply(day("2026-01-01")), day("2028-01-01"));
    }
}
