//! `attribution`: conversions credited to levers or campaigns under a model.

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    error::ApiError,
    graphql::{context::session, inputs::attribution::AttributionInput, types::AttributionReport},
};

/// The attribution query.
#[derive(Default)]
pub struct AttributionQuery;

#[Object]
impl AttributionQuery {
    /// Credits the conversions with `from ≤ occurredAt < to` to the touches of their journey
    /// in their lookback window (`occurredAt − lookbackDays ≤ touch ≤ occurredAt`, ordered by
    /// time) under `model`, and sums the credit per lever or campaign (any role, or an API key
    /// with READ_KPIS). Exact: every conversion's count and value are split into integer parts
    /// by largest remainder (ties to the earlier touch), so the rows add up to the totals to
    /// the last bit. Results of different models are not meant to be added together.
    /// BAD_USER_INPUT when `from ≥ to`, a setting is out of range, or the range holds more than
    /// 1,000,000 conversions or touchpoints to read.
    async fn attribution(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The model, the range, the lookback window and the rows wanted.")]
        input: AttributionInput,
    ) -> Result<AttributionReport> {
        let report = domain::attribution::report(session(ctx)?, &input.into())
            .await
            .map_err(ApiError::from)?;
        Ok(AttributionReport(report))
    }
}
