//! `recordMeasurements`.

use async_graphql::{Context, Object, Result, SimpleObject};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::kpi::measurement::RecordMeasurementsInput,
        types::Measurement,
    },
    observability::metrics,
};

/// The result of `recordMeasurements`. With user errors, nothing was written and the counts
/// are 0.
#[derive(SimpleObject)]
pub struct RecordMeasurementsPayload {
    /// Rows added.
    pub inserted: i32,
    /// Rows that replaced an earlier row with the same source and external id.
    pub updated: i32,
    /// The rows as stored, in input order; empty when there are user errors.
    pub measurements: Vec<Measurement>,
    /// Problems with the input, each at `["input", "measurements", "<index>", "<field>"]`;
    /// when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// Mutations of measurements.
#[derive(Default)]
pub struct MeasurementMutation;

#[Object]
impl MeasurementMutation {
    /// Records up to 1000 measurements in one transaction: all of them or none (EDITOR, ADMIN,
    /// or an API key with the WRITE_MEASUREMENTS scope). A row whose (source, externalId) was
    /// recorded before replaces it and counts as updated, so an ingestion job can be re-run
    /// safely.
    async fn record_measurements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measurements to record.")] input: RecordMeasurementsInput,
    ) -> Result<RecordMeasurementsPayload> {
        let count = input.measurements.len() as u64;
        let rows = input.measurements.into_iter().map(Into::into).collect();
        let (recorded, user_errors) =
            into_payload(domain::kpi::measurement::record(session(ctx)?, rows).await)?;
        match &recorded {
            Some(recorded) => {
                metrics::measurements_ingested(recorded.inserted as u64, recorded.updated as u64)
            }
            None => metrics::measurements_refused(count),
        }
        let recorded = recorded.unwrap_or_default();
        Ok(RecordMeasurementsPayload {
            inserted: i32::try_from(recorded.inserted).unwrap_or(i32::MAX),
            updated: i32::try_from(recorded.updated).unwrap_or(i32::MAX),
            measurements: recorded
                .rows
                .into_iter()
                .map(|(row, _)| Measurement(row))
                .collect(),
            user_errors,
        })
    }
}
