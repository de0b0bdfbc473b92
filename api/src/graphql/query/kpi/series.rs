//! `kpiSeries`.

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    error::ApiError,
    graphql::{
        context::session,
        inputs::kpi::series::KpiSeriesInput,
        types::{KpiPoint, KpiPoints},
    },
};

/// The KPI series query.
#[derive(Default)]
pub struct SeriesQuery;

#[Object]
impl SeriesQuery {
    /// KPI values between two dates (inclusive) by period, optionally grouped by campaign,
    /// lever, persona or action and filtered by plan, campaigns, levers and personas; computed
    /// by the database (viewers and API keys with READ_KPIS). SUM KPIs are summed; ratios are
    /// recomputed from their summed components (never averaged; null without a denominator);
    /// snapshots (LAST) take the latest date's values of each period; non-additive KPIs (reach)
    /// count only values reported at the asked grain and exactly at the grouped dimensions.
    /// Only periods and groups with measurements appear (no gap filling). Ordered by KPI as
    /// asked, period, then campaign, lever, persona and action. BAD_USER_INPUT for no KPI,
    /// more than 20, an unknown key, `to` before `from`, an ID of the wrong type, or more than
    /// 10000 points.
    async fn kpi_series(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The KPIs, dates, grain, groups and filters.")] input: KpiSeriesInput,
    ) -> Result<KpiPoints> {
        let request = input.into_request()?;
        let points = domain::kpi::series::series(session(ctx)?, request)
            .await
            .map_err(ApiError::from)?;
        Ok(KpiPoints(points.into_iter().map(KpiPoint).collect()))
    }
}
