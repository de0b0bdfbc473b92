//! Loaders of KPI definitions.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::kpi_definition;

use super::ReadScope;
use crate::{graphql::errors::ApiError, store};

/// KPI definitions by key.
pub struct KpiByKey(pub ReadScope);

impl Loader<String> for KpiByKey {
    type Value = kpi_definition::Model;
    type Error = ApiError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let rows = store::kpi::by_keys(&self.0.clone()?, keys).await?;
        Ok(rows.into_iter().map(|row| (row.key.clone(), row)).collect())
    }
}

/// KPI definitions by id.
pub struct KpiById(pub ReadScope);

impl Loader<uuid::Uuid> for KpiById {
    type Value = kpi_definition::Model;
    type Error = ApiError;

    async fn load(
        &self,
        ids: &[uuid::Uuid],
    ) -> Result<HashMap<uuid::Uuid, Self::Value>, Self::Error> {
        let rows = store::kpi::by_ids(&self.0.clone()?, ids).await?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}
