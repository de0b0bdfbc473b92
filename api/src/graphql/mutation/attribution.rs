//! `recordTouchpoints`, `recordConversions`.

use async_graphql::{Context, Object, Result, SimpleObject};

use crate::{
    domain::{self, attribution::record::Recorded},
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::attribution::{RecordConversionsInput, RecordTouchpointsInput},
    },
};

fn count(value: usize) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// The result of `recordTouchpoints`.
#[derive(SimpleObject)]
pub struct RecordTouchpointsPayload {
    /// Touchpoints that were new (0 when there are user errors).
    pub inserted: i32,
    /// Touchpoints whose (source, externalId) was already recorded, now updated.
    pub updated: i32,
    /// Problems with the input, at `["input", "touchpoints", "<index>", "<field>"]`; when not
    /// empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// The result of `recordConversions`.
#[derive(SimpleObject)]
pub struct RecordConversionsPayload {
    /// Conversions that were new (0 when there are user errors).
    pub inserted: i32,
    /// Conversions whose (source, externalId) was already recorded, now updated.
    pub updated: i32,
    /// Problems with the input, at `["input", "conversions", "<index>", "<field>"]`; when not
    /// empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// Mutations recording the journeys that attribution reads.
#[derive(Default)]
pub struct AttributionMutation;

#[Object]
impl AttributionMutation {
    /// Records up to 1000 touchpoints (EDITOR, ADMIN, or an API key with WRITE_MEASUREMENTS),
    /// all or none. Re-sending a (source, externalId) updates that touchpoint (counted in
    /// `updated`), so an ingestion job can safely be re-run.
    async fn record_touchpoints(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The touchpoints.")] input: RecordTouchpointsInput,
    ) -> Result<RecordTouchpointsPayload> {
        let rows = input.touchpoints.into_iter().map(Into::into).collect();
        let (recorded, user_errors) = into_payload(
            domain::attribution::record::record_touchpoints(session(ctx)?, rows).await,
        )?;
        let recorded = recorded.unwrap_or(Recorded::default());
        Ok(RecordTouchpointsPayload {
            inserted: count(recorded.inserted),
            updated: count(recorded.updated),
            user_errors,
        })
    }

    /// Records up to 1000 conversions (EDITOR, ADMIN, or an API key with WRITE_MEASUREMENTS),
    /// all or none. Re-sending a (source, externalId) updates that conversion (counted in
    /// `updated`), so an ingestion job can safely be re-run.
    async fn record_conversions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The conversions.")] input: RecordConversionsInput,
    ) -> Result<RecordConversionsPayload> {
        let rows = input.conversions.into_iter().map(Into::into).collect();
        let (recorded, user_errors) = into_payload(
            domain::attribution::record::record_conversions(session(ctx)?, rows).await,
        )?;
        let recorded = recorded.unwrap_or(Recorded::default());
        Ok(RecordConversionsPayload {
            inserted: count(recorded.inserted),
            updated: count(recorded.updated),
            user_errors,
        })
    }
}
