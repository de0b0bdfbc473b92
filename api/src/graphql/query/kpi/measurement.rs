//! `measurements`.

use crate::{
    connection_fields, domain,
    error::ApiError,
    graphql::{
        context::session, inputs::kpi::measurement::MeasurementFilter, types::MeasurementConnection,
    },
};

/// Queries on recorded measurements.
#[derive(Default)]
pub struct MeasurementQuery;

connection_fields! {
    impl MeasurementQuery {
        /// The tenant's recorded measurements, in the order they were first recorded (VIEWER and
        /// up, or an API key with READ_KPIS). For totals and ratios use `kpiSeries`.
        async fn measurements(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(desc = "Only measurements matching this filter.")]
            filter: Option<MeasurementFilter>,
        ) -> Result<MeasurementConnection> {
            let request = page.into_request()?;
            let filter = filter.unwrap_or_default().into();
            let (page, total) = domain::kpi::measurement::list(session(ctx)?, &filter, &request)
                .await
                .map_err(ApiError::from)?;
            Ok(MeasurementConnection::new(page, total))
        }
    }
}
