//! The caller's tenant.

use entity::tenant;

use super::{DomainResult, Session, validation::Violations};
use crate::{auth::Permission, store};

/// The tenant of the session.
pub async fn current(session: &Session) -> DomainResult<tenant::Model> {
    let scope = session.scope(Permission::ReadTenant)?;
    Ok(store::tenant::current(&scope).await?)
}

/// Changes the tenant's settings (ADMIN) if their version is `expected_version`; `None` leaves
/// a setting as it is. The currency is the default of plans created afterwards (existing plans
/// keep theirs) and the reporting currency measurements recorded afterwards are converted into
/// (those already recorded are not converted again).
pub async fn update_settings(
    session: &Session,
    expected_version: i32,
    name: Option<String>,
    currency: Option<String>,
) -> DomainResult<tenant::Model> {
    let scope = session.scope(Permission::ManageTenant)?;
    let mut v = Violations::new();
    let name = name.map(|name| v.name("name", &name));
    let currency = currency.map(|code| super::plan::check_currency(&mut v, "currency", &code));
    v.finish()?;
    Ok(store::tenant::update_settings(&scope, expected_version, name, currency).await?)
}
