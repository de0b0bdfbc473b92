//! The attribution report: conversions of a time range credited to levers or campaigns through
//! the touches of their lookback windows, summed exactly (see [`super::models`]).

use std::{collections::HashMap, ops::Range};

use chrono::{DateTime, Duration, Utc};
use entity::enums::Lever;
use uuid::Uuid;

use super::models::{self, ModelSettings, UNITS_PER_CONVERSION};
use crate::store::attribution::{ConversionRow, TouchRow};

/// What the report's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributionDimension {
    /// One row per lever.
    Lever,
    /// One row per campaign, and one for the touches without a campaign.
    Campaign,
}

/// One row of the report: a lever or a campaign (or neither: the unattributed row, which with
/// [`AttributionDimension::Campaign`] also holds the touches without a campaign).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// The lever, when grouping by lever.
    pub lever: Option<Lever>,
    /// The campaign, when grouping by campaign.
    pub campaign_id: Option<Uuid>,
    /// Credited conversions, in units of 2^-30 conversion.
    pub units: u64,
    /// Credited value, in micros.
    pub value_micros: i128,
    /// Touches of the row that were not the last of their conversion's window.
    pub assists: u64,
}

/// An attribution report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The rows, by credited conversions (highest first), then lever or campaign, the row of
    /// neither last among equals.
    pub rows: Vec<ReportRow>,
    /// Conversions of the range, in units of 2^-30 (the rows' units add up to it).
    pub total_units: u64,
    /// Their value, in micros (the rows' values add up to it).
    pub total_value_micros: i128,
    /// Conversions without any touch in their window, in units.
    pub unattributed_units: u64,
    /// Their value, in micros.
    pub unattributed_value_micros: i128,
}

/// A number of units as conversions: exact, since units / 2^30 is a power-of-two scaling of an
/// integer below 2^53.
pub fn units_as_conversions(units: u64) -> f64 {
    units as f64 / UNITS_PER_CONVERSION as f64
}

type GroupKey = (Option<Lever>, Option<Uuid>);

#[derive(Default)]
struct Sums {
    units: u64,
    value_micros: i128,
    assists: u64,
}

/// Credits `conversions` to the groups of `touches` under `settings`. Each conversion's window
/// is its journey's touches with `conversion − lookback ≤ occurred_at ≤ conversion`, ordered by
/// (occurred_at, id); touches outside every window are ignored. Pure: the store has read the
/// rows.
pub fn attribute(
    settings: &ModelSettings,
    lookback: Duration,
    group_by: AttributionDimension,
    conversions: &[ConversionRow],
    mut touches: Vec<TouchRow>,
) -> Report {
    touches.sort_by(|a, b| {
        (a.journey_id.as_str(), a.occurred_at, a.id).cmp(&(
            b.journey_id.as_str(),
            b.occurred_at,
            b.id,
        ))
    });
    let journeys = journey_ranges(&touches);
    let key_of = |touch: &TouchRow| -> GroupKey {
        match group_by {
            AttributionDimension::Lever => (Some(touch.lever), None),
            AttributionDimension::Campaign => (None, touch.campaign_id),
        }
    };
    let mut sums: HashMap<GroupKey, Sums> = HashMap::new();
    let mut report = Report::default();
    for conversion in conversions {
        let value = u64::try_from(conversion.value_micros).unwrap_or(0);
        report.total_units += UNITS_PER_CONVERSION;
        report.total_value_micros += i128::from(value);
        let journey = journeys
            .get(conversion.journey_id.as_str())
            .map_or(&[][..], |range| &touches[range.clone()]);
        let start = conversion.occurred_at - lookback;
        let first = journey.partition_point(|touch| touch.occurred_at < start);
        let end = journey.partition_point(|touch| touch.occurred_at <= conversion.occurred_at);
        let window = &journey[first..end.max(first)];
        if window.is_empty() {
            report.unattributed_units += UNITS_PER_CONVERSION;
            report.unattributed_value_micros += i128::from(value);
            let row = sums.entry((None, None)).or_default();
            row.units += UNITS_PER_CONVERSION;
            row.value_micros += i128::from(value);
            continue;
        }
        let days_before: Vec<f64> = window
            .iter()
            .map(|touch| days_between(touch.occurred_at, conversion.occurred_at))
            .collect();
        let weights = models::weights(settings, &days_before);
        let units = models::apportion(UNITS_PER_CONVERSION, &weights);
        let micros = models::apportion(value, &weights);
        let last = window.len() - 1;
        for (index, touch) in window.iter().enumerate() {
            let row = sums.entry(key_of(touch)).or_default();
            row.units += units[index];
            row.value_micros += i128::from(micros[index]);
            if index != last {
                row.assists += 1;
            }
        }
    }
    report.rows = sums
        .into_iter()
        .map(|((lever, campaign_id), sums)| ReportRow {
            lever,
            campaign_id,
            units: sums.units,
            value_micros: sums.value_micros,
            assists: sums.assists,
        })
        .collect();
    report.rows.sort_by(|a, b| {
        b.units.cmp(&a.units).then_with(|| {
            (
                a.lever.is_none(),
                a.lever,
                a.campaign_id.is_none(),
                a.campaign_id,
            )
                .cmp(&(
                    b.lever.is_none(),
                    b.lever,
                    b.campaign_id.is_none(),
                    b.campaign_id,
                ))
        })
    });
    report
}

/// Where each journey's touches are in `touches` (sorted by journey).
fn journey_ranges(touches: &[TouchRow]) -> HashMap<&str, Range<usize>> {
    let mut ranges: HashMap<&str, Range<usize>> = HashMap::new();
    let mut start = 0;
    for index in 1..=touches.len() {
        if index == touches.len() || touches[index].journey_id != touches[start].journey_id {
            ranges.insert(touches[start].journey_id.as_str(), start..index);
            start = index;
        }
    }
    ranges
}

/// Fractional days from `earlier` to `later`.
fn days_between(earlier: DateTime<Utc>, later: DateTime<Utc>) -> f64 {
    let microseconds = (later - earlier).num_microseconds().unwrap_or(i64::MAX);
    microseconds as f64 / 86_400_000_000.0
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::attribution::models::{AttributionModel, PositionWeights};

    fn day(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, day, 12, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn touch(journey: &str, at: u32, lever: Lever) -> TouchRow {
        TouchRow {
            id: Uuid::now_v7(),
            journey_id: journey.to_owned(),
            occurred_at: day(at),
            lever,
            campaign_id: None,
        }
    }

    fn conversion(journey: &str, at: u32, value_micros: i64) -> ConversionRow {
        ConversionRow {
            id: Uuid::now_v7(),
            journey_id: journey.to_owned(),
            occurred_at: day(at),
            value_micros,
        }
    }

    fn settings(model: AttributionModel) -> ModelSettings {
        ModelSettings {
            model,
            position: PositionWeights::DEFAULT,
            half_life_days: 7.0,
        }
    }

    fn journeys() -> (Vec<ConversionRow>, Vec<TouchRow>) {
        let conversions = vec![
            conversion("a", 10, 100_000_000),
            conversion("b", 12, 50_000_000),
            conversion("c", 20, 10_000_000),
        ];
        let touches = vec![
            touch("a", 9, Lever::Emailing),
            touch("a", 1, Lever::Seo),
            touch("a", 5, Lever::SocialAds),
            touch("a", 11, Lever::Sea), // after the conversion: not in its window
            touch("b", 11, Lever::Sea),
            touch("c", 1, Lever::Display), // 19 days before, outside a 7-day lookback
        ];
        (conversions, touches)
    }

    #[test]
    fn linear_rows_add_up_exactly_and_count_assists() {
        let (conversions, touches) = journeys();
        let report = attribute(
            &settings(AttributionModel::Linear),
            Duration::days(30),
            AttributionDimension::Lever,
            &conversions,
            touches,
        );
        let rows: Vec<_> = report
            .rows
            .iter()
            .map(|row| (row.lever, row.units, row.value_micros, row.assists))
            .collect();
        let third = UNITS_PER_CONVERSION / 3; // 357 913 941, one unit left over
        assert_eq!(
            rows,
            vec![
                (Some(Lever::Sea), UNITS_PER_CONVERSION, 50_000_000, 0),
                (Some(Lever::Display), UNITS_PER_CONVERSION, 10_000_000, 0),
                (Some(Lever::Seo), third + 1, 33_333_334, 1),
                (Some(Lever::SocialAds), third, 33_333_333, 1),
                (Some(Lever::Emailing), third, 33_333_333, 0),
            ]
        );
        assert_eq!(report.total_units, 3 * UNITS_PER_CONVERSION);
        assert_eq!(report.total_value_micros, 160_000_000);
        assert_eq!(report.unattributed_units, 0);
        let sum: f64 = report
            .rows
            .iter()
            .map(|row| units_as_conversions(row.units))
            .sum();
        assert_eq!(sum, 3.0);
    }

    #[test]
    fn a_conversion_without_a_touch_in_its_window_is_unattributed() {
        let (conversions, touches) = journeys();
        let report = attribute(
            &settings(AttributionModel::LastTouch),
            Duration::days(7),
            AttributionDimension::Campaign,
            &conversions,
            touches,
        );
        // Every touch lacks a campaign, and c's only touch is outside 7 days: one null row.
        assert_eq!(
            report.rows,
            vec![ReportRow {
                lever: None,
                campaign_id: None,
                units: 3 * UNITS_PER_CONVERSION,
                value_micros: 160_000_000,
                // a's window holds SOCIAL_ADS (day 5) and EMAILING (day 9): one assist.
                assists: 1,
            }]
        );
        assert_eq!(report.unattributed_units, UNITS_PER_CONVERSION);
        assert_eq!(report.unattributed_value_micros, 10_000_000);
    }
}
