//! The caller's tenant.

use entity::tenant;

use super::{DomainResult, Session};
use crate::{auth::Permission, store};

/// The tenant of the session.
pub async fn current(session: &Session) -> DomainResult<tenant::Model> {
    let scope = session.scope(Permission::ReadTenant)?;
    Ok(store::tenant::current(&scope).await?)
}
