//! The caller's tenant.

use entity::tenant;

use super::{DomainResult, FieldErrorCode, Session, validation::Violations};
use crate::{auth::Permission, store};

pub use crate::store::tenant::ReviewSettingsChanges;

/// The tenant of the session.
pub async fn current(session: &Session) -> DomainResult<tenant::Model> {
    let scope = session.scope(Permission::ReadTenant)?;
    Ok(store::tenant::current(&scope).await?)
}

/// Changes the tenant's settings (ADMIN) if their version is `expected_version`; `None` leaves
/// a setting as it is. The currency is the default of plans created afterwards (existing plans
/// keep theirs) and the reporting currency measurements recorded afterwards are converted into
/// (those already recorded are not converted again). The review settings must leave someone
/// able to approve plans: a role, or at least one named approver.
pub async fn update_settings(
    session: &Session,
    expected_version: i32,
    name: Option<String>,
    currency: Option<String>,
    mut review: ReviewSettingsChanges,
) -> DomainResult<tenant::Model> {
    let scope = session.scope(Permission::ManageTenant)?;
    let mut v = Violations::new();
    let name = name.map(|name| v.name("name", &name));
    let currency = currency.map(|code| super::plan::check_currency(&mut v, "currency", &code));
    if let Some(approvers) = &review.approvers {
        // At most 50, each 1 to 500 characters, as every list of short texts.
        let mut kept = v.items("reviewApprovers", approvers).0;
        kept.sort_unstable();
        kept.dedup();
        review.approvers = Some(kept);
    }
    if review.approver_role.is_some() || review.approvers.is_some() {
        let current = store::tenant::current(&scope).await?;
        let role = review.approver_role.unwrap_or(current.review_approver_role);
        let approvers = review
            .approvers
            .as_ref()
            .unwrap_or(&current.review_approvers.0);
        if role.is_none() && approvers.is_empty() {
            v.add(
                &["reviewApproverRole"],
                FieldErrorCode::Required,
                "someone must be able to approve plans: set a role or name approvers",
            );
        }
    }
    v.finish()?;
    let transaction = scope.begin().await?;
    let before = store::tenant::current(&transaction).await?;
    let after =
        store::tenant::update_settings(&transaction, expected_version, name, currency, review)
            .await?;
    // The tenants table is not written through scoped writes: its audit entry is written here.
    let entry = store::audit::update_entry("Tenant", &before, &after);
    transaction.audit(entry.into_iter().collect()).await?;
    transaction.commit().await?;
    Ok(after)
}
