//! The live feed of measurements: what a subscriber of one tenant sees of the batches its
//! tenant commits (see [`crate::events`]).

use std::collections::HashSet;

use futures::{StreamExt, stream::BoxStream};
use uuid::Uuid;

use crate::domain::{DomainError, DomainResult, Session, kpi::export::measured_kpi_problems};
use crate::{
    auth::Permission,
    events::{MeasurementEvent, MeasurementFilter},
};

/// The caller's tenant's measurements as they are committed from now on, only of `kpi_keys`
/// (base KPIs) and of `campaign_ids`; `None` or an empty list does not filter. Needs the right to read
/// KPIs; an unknown or derived KPI key is refused.
pub async fn subscribe(
    session: &Session,
    kpi_keys: Option<Vec<String>>,
    campaign_ids: Option<Vec<Uuid>>,
) -> DomainResult<BoxStream<'static, MeasurementEvent>> {
    let scope = session.scope(Permission::ReadKpis)?;
    if let Some(keys) = &kpi_keys {
        let problems = measured_kpi_problems(&scope, &["kpiKeys"], keys).await?;
        if !problems.is_empty() {
            return Err(DomainError::Invalid(problems));
        }
    }
    Ok(session
        .events()
        .measurements(MeasurementFilter {
            tenant_id: scope.tenant_id(),
            kpi_keys: kpi_keys
                .filter(|keys| !keys.is_empty())
                .map(|keys| keys.into_iter().collect::<HashSet<_>>()),
            campaign_ids: campaign_ids
                .filter(|ids| !ids.is_empty())
                .map(|ids| ids.into_iter().collect::<HashSet<_>>()),
        })
        .boxed())
}
