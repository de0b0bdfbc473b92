//! `measurements`.

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    error::ApiError,
    graphql::{
        connection::PageArgs, context::session, inputs::kpi::measurement::MeasurementFilter,
        types::MeasurementConnection,
    },
};

/// Queries on recorded measurements.
#[derive(Default)]
pub struct MeasurementQuery;

#[Object]
impl MeasurementQuery {
    /// The tenant's recorded measurements, in the order they were first recorded (VIEWER and
    /// up, or an API key with READ_KPIS). For totals and ratios use `kpiSeries`.
    async fn measurements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n measurements (default 20, at most 100).")]
        first: Option<i32>,
        #[graphql(desc = "Return measurements after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n measurements (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return measurements before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only measurements matching this filter.")] filter: Option<
            MeasurementFilter,
        >,
    ) -> Result<MeasurementConnection> {
        let request = PageArgs {
            first,
            after,
            last,
            before,
        }
        .into_request()?;
        let filter = filter.unwrap_or_default().into();
        let (page, total) = domain::kpi::measurement::list(session(ctx)?, &filter, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(MeasurementConnection::new(page, total))
    }
}
