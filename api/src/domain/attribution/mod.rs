//! Attribution (DOMAIN.md, "Attribution"): touchpoints and conversions of customer journeys,
//! and the report that credits conversions to levers or campaigns under a model.
//!
//! - [`models`]: the pure maths — each model's weights, and the largest-remainder split that
//!   keeps every sum exact;
//! - [`report`]: the pure aggregation of conversions and touches into rows;
//! - [`record`]: the batch mutations;
//! - [`report()`](fn@report) here: validation and the two reads of a report.

pub mod models;
pub mod record;
pub mod report;

use chrono::{DateTime, Duration, Utc};

pub use models::{AttributionModel, ModelSettings, PositionWeights};
pub use report::{AttributionDimension, Report, ReportRow};

use super::{DomainResult, FieldErrorCode, Session, validation::Violations};
use crate::{auth::Permission, store};

/// The lookback window when the request names none, in days.
pub const DEFAULT_LOOKBACK_DAYS: i32 = 30;

/// The longest lookback window, in days.
pub const MAX_LOOKBACK_DAYS: i32 = 365;

/// The time-decay half-life when the request names none, in days.
pub const DEFAULT_HALF_LIFE_DAYS: f64 = 7.0;

/// Most conversions, and most touchpoints, one report reads. A million conversions also keeps
/// every sum of `conversions` below 2^22, where multiples of 2^-30 add exactly in an `f64`.
pub const MAX_ROWS_READ: usize = 1_000_000;

/// What an attribution report is asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributionRequest {
    /// The model.
    pub model: AttributionModel,
    /// Conversions at or after this instant…
    pub from: DateTime<Utc>,
    /// …and before this one.
    pub to: DateTime<Utc>,
    /// The lookback window in days (1 to 365); [`DEFAULT_LOOKBACK_DAYS`] when `None`.
    pub lookback_days: Option<i32>,
    /// What the rows are.
    pub group_by: AttributionDimension,
    /// First and last shares of the position-based model as fractions; 0.4 and 0.4 when
    /// `None`. Ignored by the other models.
    pub position_weights: Option<(f64, f64)>,
    /// The time-decay half-life in days; [`DEFAULT_HALF_LIFE_DAYS`] when `None`. Ignored by
    /// the other models.
    pub half_life_days: Option<f64>,
}

/// The validated settings of a request.
fn settings(request: &AttributionRequest) -> DomainResult<(ModelSettings, Duration)> {
    let mut violations = Violations::new();
    if request.from >= request.to {
        violations.add(
            &["to"],
            FieldErrorCode::DateOrder,
            "must be after `from` (the range is [from, to))",
        );
    }
    let lookback_days = request.lookback_days.unwrap_or(DEFAULT_LOOKBACK_DAYS);
    if !(1..=MAX_LOOKBACK_DAYS).contains(&lookback_days) {
        violations.add(
            &["lookbackDays"],
            FieldErrorCode::OutOfRange,
            format!("must be between 1 and {MAX_LOOKBACK_DAYS}"),
        );
    }
    let position = match request.position_weights {
        None => PositionWeights::DEFAULT,
        Some((first, last)) => PositionWeights::from_fractions(first, last).unwrap_or_else(|| {
            violations.add(
                &["positionWeights"],
                FieldErrorCode::OutOfRange,
                "first and last must each be between 0 and 1, and add up to at most 1",
            );
            PositionWeights::DEFAULT
        }),
    };
    let half_life_days = request.half_life_days.unwrap_or(DEFAULT_HALF_LIFE_DAYS);
    if !(half_life_days > 0.0 && half_life_days <= f64::from(MAX_LOOKBACK_DAYS)) {
        violations.add(
            &["halfLifeDays"],
            FieldErrorCode::OutOfRange,
            format!("must be above 0 and at most {MAX_LOOKBACK_DAYS}"),
        );
    }
    violations.finish()?;
    Ok((
        ModelSettings {
            model: request.model,
            position,
            half_life_days,
        },
        Duration::days(i64::from(lookback_days)),
    ))
}

fn too_many(what: &str) -> DomainResult<()> {
    let mut violations = Violations::new();
    violations.add(
        &["from"],
        FieldErrorCode::OutOfRange,
        format!(
            "the report would read more than {MAX_ROWS_READ} {what}; narrow the range from–to \
             (or the lookback window)"
        ),
    );
    violations.finish()
}

/// The attribution report of a request (any role, or an API key with READ_KPIS): the
/// conversions with `from ≤ occurred_at < to`, each credited to the touches of its journey in
/// its lookback window (`conversion − lookbackDays ≤ touch ≤ conversion`), summed per lever or
/// campaign exactly (see [`models`]). Two statements whatever the data: the conversions of the
/// range, and the touches of their journeys since `from − lookback`. Refused (invalid input)
/// when `from ≥ to`, a setting is out of range, or the range holds more than
/// [`MAX_ROWS_READ`] conversions or touches to read.
pub async fn report(session: &Session, request: &AttributionRequest) -> DomainResult<Report> {
    let scope = session.scope(Permission::ReadKpis)?;
    let (settings, lookback) = settings(request)?;
    let limit = MAX_ROWS_READ as u64 + 1;
    let conversions =
        store::attribution::conversions_between(&scope, request.from, request.to, limit).await?;
    if conversions.len() > MAX_ROWS_READ {
        too_many("conversions")?;
    }
    if conversions.is_empty() {
        return Ok(Report::default());
    }
    let touches = store::attribution::touches_of_converting_journeys(
        &scope,
        request.from,
        request.to,
        request.from - lookback,
        limit,
    )
    .await?;
    if touches.len() > MAX_ROWS_READ {
        too_many("touchpoints")?;
    }
    Ok(report::attribute(
        &settings,
        lookback,
        request.group_by,
        &conversions,
        touches,
    ))
}
