//! The subscription root: live updates over WebSocket (`graphql-transport-ws` on `/graphql`).
//! The connection is authenticated by its `connection_init` payload and lasts as long as its
//! credential (see `http::subscription`); each subscription checks the caller's permission when
//! it starts, and a refusal (an error returned here, before the stream) reaches the client as
//! the protocol's `error` message (`graphql::streamed`).

use async_graphql::{Context, ID, Subscription};
use futures::{Stream, StreamExt};

use super::{context, types::MeasurementEvent};
use crate::domain;
use crate::error::ApiError;
use crate::ids::{self, NodeType};

/// Everything a client can follow live.
#[derive(Default)]
pub struct SubscriptionRoot;

/// Everything a client can follow live, over a WebSocket at `/graphql` speaking the
/// `graphql-transport-ws` protocol. The connection is authenticated by the payload of its
/// `connection_init` message, which carries the same credentials as an HTTP request's headers,
/// at its top level or in a `headers` object:
/// `{"Authorization": "Bearer <token or API key>", "X-Levier-Tenant": "<tenant key>"}` (the
/// tenant only for an agency token). A connection without a valid credential is closed with
/// code 4403 and the reason. A connection lasts as long as its credential: it is closed with
/// 4403 when its token or API key expires (connect again with a fresh one), with 4401 when its
/// API key is revoked. A subscription that is refused (FORBIDDEN, NOT_FOUND, BAD_USER_INPUT) is
/// answered with one `error` message.
#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// The measurements of the caller's tenant as `recordMeasurements` batches commit them, one
    /// event per measurement, in the order written; a rolled-back batch sends nothing. Needs the
    /// right to read KPIs (a user, or an API key with the READ_KPIS scope). Events committed
    /// while the connection is down are not replayed: read the measurements back to catch up.
    async fn measurement_recorded(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only measurements of these base KPI keys; all KPIs when absent or empty. A derived (ratio) or unknown key is refused with BAD_USER_INPUT."
        )]
        kpi_keys: Option<Vec<String>>,
        #[graphql(
            desc = "Only measurements tied to one of these campaigns; all measurements (with or without a campaign) when absent or empty."
        )]
        campaign_ids: Option<Vec<ID>>,
    ) -> async_graphql::Result<impl Stream<Item = MeasurementEvent> + use<>> {
        let session = context::session(ctx)?;
        let campaign_ids = campaign_ids.map(|ids| ids::decode_links(&ids, NodeType::Campaign));
        let events = domain::kpi::feed::subscribe(session, kpi_keys, campaign_ids)
            .await
            .map_err(ApiError::from)?;
        Ok(events.map(MeasurementEvent))
    }
}
