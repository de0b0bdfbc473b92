//! Loaders of KPI definitions (built-in and the tenant's own, each with its origin).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use super::ReadScope;
use crate::{domain::kpi::catalogue::CatalogueKpi, error::ApiError, store};

/// KPI definitions by key.
pub struct KpiByKey(pub ReadScope);

impl Loader<String> for KpiByKey {
    type Value = CatalogueKpi;
    type Error = ApiError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let rows = store::kpi::catalogue::entries_by_keys(&self.0.clone()?, keys).await?;
        Ok(rows
            .into_iter()
            .map(|row| (row.definition.key.clone(), row))
            .collect())
    }
}

/// KPI definitions by id.
pub struct KpiById(pub ReadScope);

impl Loader<uuid::Uuid> for KpiById {
    type Value = CatalogueKpi;
    type Error = ApiError;

    async fn load(
        &self,
        ids: &[uuid::Uuid],
    ) -> Result<HashMap<uuid::Uuid, Self::Value>, Self::Error> {
        let rows = store::kpi::catalogue::entries_by_ids(&self.0.clone()?, ids).await?;
        Ok(rows
            .into_iter()
            .map(|row| (row.definition.id, row))
            .collect())
    }
}
