//! The demo plan's numbers: daily ad-platform and analytics figures for each campaign and lever,
//! and weekly community snapshots, up to today. Generated from a fixed seed, so every seeding of
//! the same year writes the same values, and keyed by external id, so re-seeding updates them.

use chrono::{Datelike, Duration, NaiveDate};
use entity::enums::{Lever, TimeGrain};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::domain::{
    self, DomainError, Session,
    kpi::measurement::{MAX_BATCH_ROWS, NewMeasurement},
};

/// The source the demo's measurements are recorded under.
pub const DEMO_SOURCE: &str = "levier-demo";

/// Typical daily figures of a lever for a small brand: impressions, click-through rate (per
/// thousand), cost per click (cents; 0 for organic levers), conversion rate (per thousand).
fn lever_profile(lever: Lever) -> (u64, u64, u64, u64) {
    match lever {
        Lever::Sea => (1_800, 45, 62, 28),
        Lever::SocialAds => (6_500, 11, 38, 12),
        Lever::Display => (9_000, 4, 25, 6),
        Lever::Emailing => (1_200, 60, 0, 35),
        Lever::Seo => (2_400, 30, 0, 20),
        Lever::Influence => (3_000, 14, 0, 15),
        Lever::Affiliation => (900, 25, 45, 30),
        _ => (800, 20, 0, 10),
    }
}

/// A small deterministic generator (64-bit LCG): the demo must be the same on every run.
struct Noise(u64);

impl Noise {
    /// A factor between 0.75 and 1.25, in thousandths.
    fn factor(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        750 + (self.0 >> 33) % 501
    }
}

fn whole(value: u64) -> Decimal {
    Decimal::from(value)
}

fn cents(value: u64) -> Decimal {
    Decimal::new(i64::try_from(value).unwrap_or(i64::MAX), 2)
}

/// One row of the demo.
fn row(kpi: &str, date: NaiveDate, value: Decimal, key: String) -> NewMeasurement {
    NewMeasurement {
        kpi_key: kpi.to_owned(),
        date,
        grain: TimeGrain::Day,
        value,
        source: DEMO_SOURCE.to_owned(),
        external_id: Some(key),
        campaign_id: None,
        action_id: None,
        lever: None,
        persona_id: None,
        currency: None,
    }
}

/// A campaign as the generator needs it.
pub struct MeasuredCampaign {
    /// Its id.
    pub id: Uuid,
    /// Its levers.
    pub levers: Vec<Lever>,
    /// Its first day.
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
    /// The persona its figures are attributed to, if any.
    pub persona_id: Option<Uuid>,
}

/// Every demo measurement dated up to `today`.
pub fn generate(
    campaigns: &[MeasuredCampaign],
    year: i32,
    today: NaiveDate,
) -> Vec<NewMeasurement> {
    let mut rows = Vec::new();
    for (index, campaign) in campaigns.iter().enumerate() {
        let mut noise = Noise(0x5eed_0000 + index as u64);
        let mut day = campaign.start;
        while day <= campaign.end && day <= today {
            for lever in &campaign.levers {
                let (impressions, ctr, cpc, cr) = lever_profile(*lever);
                let impressions = impressions * noise.factor() / 1000;
                let clicks = impressions * ctr * noise.factor() / 1_000_000;
                let spend_cents = clicks * cpc * noise.factor() / 1000;
                let sessions = clicks * 9 / 10;
                let conversions = clicks * cr * noise.factor() / 1_000_000;
                // An average basket of €38.50.
                let revenue_cents = conversions * 3_850;
                let key = |kpi: &str| format!("demo-{index}-{lever:?}-{day}-{kpi}");
                let mut figures = vec![
                    row("impressions", day, whole(impressions), key("impressions")),
                    row("clicks", day, whole(clicks), key("clicks")),
                    row("sessions", day, whole(sessions), key("sessions")),
                    row(
                        "engaged_sessions",
                        day,
                        whole(sessions * 3 / 5),
                        key("engaged"),
                    ),
                    row("conversions", day, whole(conversions), key("conversions")),
                    row("revenue", day, cents(revenue_cents), key("revenue")),
                ];
                if cpc > 0 {
                    figures.push(row("spend", day, cents(spend_cents), key("spend")));
                }
                for mut figure in figures {
                    figure.campaign_id = Some(campaign.id);
                    figure.lever = Some(*lever);
                    figure.persona_id = campaign.persona_id;
                    rows.push(figure);
                }
            }
            day += Duration::days(1);
        }
    }

    // Community snapshots, every Monday: followers and newsletter subscribers grow steadily.
    let Some(mut monday) = NaiveDate::from_isoywd_opt(year, 1, chrono::Weekday::Mon) else {
        return rows;
    };
    let mut week = 0_u64;
    while monday <= today && monday.year() <= year {
        if monday.year() == year {
            rows.push(row(
                "followers",
                monday,
                whole(4_200 + week * 160),
                format!("demo-followers-{monday}"),
            ));
            rows.push(row(
                "subscribers",
                monday,
                whole(2_500 + week * 95),
                format!("demo-subscribers-{monday}"),
            ));
        }
        monday += Duration::weeks(1);
        week += 1;
    }
    rows
}

/// Records `rows` in batches of the largest size a call accepts; returns how many were written.
pub async fn record(session: &Session, rows: Vec<NewMeasurement>) -> Result<usize, DomainError> {
    let mut written = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<_> = rows.by_ref().take(MAX_BATCH_ROWS).collect();
        let recorded = domain::kpi::measurement::record(session, batch).await?;
        written += recorded.inserted + recorded.updated;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_figures_are_the_same_on_every_run_and_stop_at_today() {
        let start = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        let campaign = MeasuredCampaign {
            id: Uuid::nil(),
            levers: vec![Lever::Sea, Lever::Seo],
            start,
            end: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default(),
            persona_id: None,
        };
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap_or_default();
        let first = generate(std::slice::from_ref(&campaign), 2026, today);
        let again = generate(&[campaign], 2026, today);
        let values =
            |rows: &[NewMeasurement]| -> Vec<Decimal> { rows.iter().map(|r| r.value).collect() };
        assert_eq!(values(&first), values(&again));
        assert!(first.iter().all(|r| r.date <= today));
        // 10 days × (7 SEA figures + 6 SEO figures, organic SEO has no spend) + 10 Mondays × 2.
        let mondays = first.iter().filter(|r| r.campaign_id.is_none()).count();
        assert_eq!(first.len() - mondays, 10 * 13);
        assert_eq!(mondays, 2 * 10);
    }
}
