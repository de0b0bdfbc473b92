//! `kpiDefinitions`.

pub mod measurement;
pub mod series;

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    error::ApiError,
    graphql::{context::session, types::KpiDefinition},
};

/// Queries on the KPI catalogue.
#[derive(Default)]
pub struct KpiQuery;

#[Object]
impl KpiQuery {
    /// Every KPI definition available to the tenant, by key: base KPIs and derived ratios.
    async fn kpi_definitions(&self, ctx: &Context<'_>) -> Result<Vec<KpiDefinition>> {
        let catalogue = domain::kpi::catalogue::catalogue(session(ctx)?)
            .await
            .map_err(ApiError::from)?;
        Ok(catalogue.into_iter().map(KpiDefinition).collect())
    }
}
