//! The KPI catalogue: the built-in definitions plus the tenant's own (created, changed and
//! deleted in [`super::tenant_kpi`]).

use entity::kpi_definition;

use super::{DomainResult, Session};
use crate::{auth::Permission, store};

pub use crate::store::kpi::{CatalogueKpi, KpiOrigin};

/// Every KPI definition the tenant can use, by key, each with its origin.
pub async fn catalogue(session: &Session) -> DomainResult<Vec<CatalogueKpi>> {
    let scope = session.scope(Permission::ReadCatalogue)?;
    Ok(store::kpi::entries(&scope).await?)
}

/// The definition with this key, if any.
pub async fn find(session: &Session, key: &str) -> DomainResult<Option<kpi_definition::Model>> {
    let scope = session.scope(Permission::ReadCatalogue)?;
    Ok(store::kpi::by_keys(&scope, &[key.to_owned()])
        .await?
        .into_iter()
        .next())
}
