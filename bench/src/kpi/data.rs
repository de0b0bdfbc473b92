//! The synthetic measurements of the KPI scenario: deterministic, so that a run can be checked
//! and repeated. Row `i` of a stream is one day's value of one base KPI for one campaign, each
//! campaign having exactly one lever.

use chrono::{Days, NaiveDate};

/// The base KPIs written: every ratio of the catalogue built only from these can be benchmarked
/// (`ctr` = clicks / impressions, `cpc` = spend / clicks, `cpm` = spend / impressions × 1000).
pub const KEYS: [&str; 3] = ["impressions", "clicks", "spend"];

/// Days of the measured year.
pub const DAYS: u64 = 365;

/// The levers of the campaigns, one per campaign, in the order the campaigns are created.
pub const LEVERS: [&str; 13] = [
    "SEO",
    "SEA",
    "SOCIAL_ADS",
    "SOCIAL_MEDIA",
    "EMAILING",
    "CONTENT",
    "MARKETING_AUTOMATION",
    "INFLUENCE",
    "AFFILIATION",
    "DISPLAY",
    "PR",
    "EVENTS",
    "OTHER",
];

/// Campaigns created through the API: two per lever.
pub const CAMPAIGNS: usize = 2 * LEVERS.len();

/// The first day of the measured year (and of the plan and its campaigns).
pub fn year_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default()
}

/// The last day of the measured year.
pub fn year_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or_default()
}

/// One generated measurement, before it gets ids and a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measurement {
    /// One of [`KEYS`].
    pub kpi_key: &'static str,
    /// A day of 2027.
    pub date: NaiveDate,
    /// Index of the campaign (`0..CAMPAIGNS`); its lever is `LEVERS[campaign % 13]`.
    pub campaign: usize,
    /// The value in micros (whole clicks and impressions, spend to the cent).
    pub value_micros: i64,
}

impl Measurement {
    /// The lever of the measurement's campaign.
    pub fn lever(&self) -> &'static str {
        lever_of(self.campaign)
    }
}

/// The lever of campaign `index`.
pub fn lever_of(index: usize) -> &'static str {
    LEVERS[index % LEVERS.len()]
}

/// SplitMix64: a cheap, well-mixed hash of the row number.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Row `i` of the stream `salt`: the key cycles fastest, then the day, then the campaign, so
/// that any prefix of a stream covers every key and, from `3 × 365` rows on, every day.
/// `revision` is added to the value (in whole units), to re-send a row with a new value.
pub fn measurement(salt: u64, i: u64, revision: i64) -> Measurement {
    let key = (i % KEYS.len() as u64) as usize;
    let slot = i / KEYS.len() as u64;
    let day = slot % DAYS;
    let campaign = ((slot / DAYS) % CAMPAIGNS as u64) as usize;
    let h = mix(i ^ salt.rotate_left(32));
    let impressions = 1_000 + (h % 9_000) as i64;
    let clicks = 5 + ((h >> 16) % 200) as i64;
    let cents_per_click = 20 + ((h >> 32) % 280) as i64;
    let units = match key {
        0 => impressions,
        1 => clicks,
        _ => clicks * cents_per_click,
    };
    let value_micros = if key == 2 {
        // Spend: `units` cents.
        (units + revision * 100) * 10_000
    } else {
        (units + revision) * 1_000_000
    };
    Measurement {
        kpi_key: KEYS[key],
        date: year_start() + Days::new(day),
        campaign,
        value_micros,
    }
}

/// `micros` as a plain decimal string (`12500000` → `"12.500000"`), as the API takes values.
pub fn decimal(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let magnitude = micros.unsigned_abs();
    format!(
        "{sign}{}.{:06}",
        magnitude / 1_000_000,
        magnitude % 1_000_000
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::NaiveDate;

    use super::{CAMPAIGNS, DAYS, KEYS, decimal, lever_of, measurement};

    #[test]
    fn keys_cycle_first_then_days_then_campaigns() {
        let first = measurement(0, 0, 0);
        assert_eq!(first.kpi_key, "impressions");
        assert_eq!(
            first.date,
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default()
        );
        assert_eq!(first.campaign, 0);
        assert_eq!(measurement(0, 1, 0).kpi_key, "clicks");
        assert_eq!(measurement(0, 2, 0).kpi_key, "spend");
        let second_day = measurement(0, 3, 0);
        assert_eq!(
            second_day.date,
            NaiveDate::from_ymd_opt(2027, 1, 2).unwrap_or_default()
        );
        // After 3 keys × 365 days comes the next campaign, on 1 January again.
        let next = measurement(0, 3 * 365, 0);
        assert_eq!((next.campaign, next.kpi_key), (1, "impressions"));
        assert_eq!(
            next.date,
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default()
        );
        let last_day = measurement(0, 3 * 365 - 1, 0);
        assert_eq!(
            last_day.date,
            NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or_default()
        );
        // The campaigns wrap around.
        assert_eq!(measurement(0, 3 * 365 * CAMPAIGNS as u64, 0).campaign, 0);
    }

    #[test]
    fn values_are_whole_units_in_range_and_the_lever_is_the_campaigns() {
        let mut seen = HashSet::new();
        for i in 0..(KEYS.len() as u64 * DAYS * 3) {
            let m = measurement(7, i, 0);
            let (low, high, unit) = match m.kpi_key {
                "impressions" => (1_000, 9_999, 1_000_000),
                "clicks" => (5, 204, 1_000_000),
                _ => (5 * 20, 204 * 299, 10_000),
            };
            assert_eq!(m.value_micros % unit, 0, "{m:?}");
            assert!((low..=high).contains(&(m.value_micros / unit)), "{m:?}");
            assert_eq!(m.lever(), lever_of(m.campaign));
            seen.insert(m.value_micros);
        }
        // Not a constant.
        assert!(seen.len() > 100);
        // Another salt gives other values for the same slots; a revision adds whole units.
        assert_ne!(measurement(1, 0, 0), measurement(2, 0, 0));
        assert_eq!(
            measurement(1, 0, 3).value_micros - measurement(1, 0, 0).value_micros,
            3_000_000
        );
        assert_eq!(
            measurement(1, 2, 1).value_micros - measurement(1, 2, 0).value_micros,
            1_000_000
        );
        assert_eq!(lever_of(0), "SEO");
        assert_eq!(lever_of(13), "SEO");
        assert_eq!(lever_of(25), "OTHER");
    }

    #[test]
    fn decimals_have_six_places() {
        assert_eq!(decimal(12_500_000), "12.500000");
        assert_eq!(decimal(7), "0.000007");
        assert_eq!(decimal(0), "0.000000");
        assert_eq!(decimal(-1_250_000), "-1.250000");
    }
}
