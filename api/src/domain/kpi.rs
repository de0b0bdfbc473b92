//! The KPI catalogue.

use entity::kpi_definition;

use super::{DomainResult, Session};
use crate::{auth::Permission, store};

/// Every KPI definition the tenant can use, by key.
pub async fn catalogue(session: &Session) -> DomainResult<Vec<kpi_definition::Model>> {
    let scope = session.scope(Permission::ReadCatalogue)?;
    Ok(store::kpi::all(&scope).await?)
}

/// The definition with this key, if any.
pub async fn find(session: &Session, key: &str) -> DomainResult<Option<kpi_definition::Model>> {
    let scope = session.scope(Permission::ReadCatalogue)?;
    Ok(store::kpi::by_keys(&scope, &[key.to_owned()])
        .await?
        .into_iter()
        .next())
}
