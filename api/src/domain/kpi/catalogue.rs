//! The KPI catalogue: the built-in definitions plus the tenant's own (created, changed and
//! deleted in [`crate::domain::kpi::custom`]).

use entity::kpi_definition;

use crate::domain::{DomainResult, Session};
use crate::{auth::Permission, store};

pub use crate::store::kpi::catalogue::{CatalogueKpi, KpiOrigin};

/// Every KPI definition the tenant can use, by key, each with its origin.
pub async fn catalogue(session: &Session) -> DomainResult<Vec<CatalogueKpi>> {
    let scope = session.scope(Permission::ReadCatalogue)?;
    Ok(store::kpi::catalogue::entries(&scope).await?)
}

/// The definition with this key, if any.
pub async fn find(session: &Session, key: &str) -> DomainResult<Option<kpi_definition::Model>> {
    let scope = session.scope(Permission::ReadCatalogue)?;
    Ok(store::kpi::catalogue::by_keys(&scope, &[key.to_owned()])
        .await?
        .into_iter()
        .next())
}
