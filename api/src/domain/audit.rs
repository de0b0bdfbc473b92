//! Reading the audit trail (ADMIN only). Nothing here writes it: every write of the store
//! appends its own rows (`store::audit`), and no API edits or deletes them.

use entity::audit_event;

use crate::{
    auth::Permission,
    domain::{DomainResult, session::Session, validation},
    store::{self, audit::AuditFilter, page::Page, page::PageRequest},
};

/// One page of the tenant's audit rows matching `filter`, oldest first, with the total (ADMIN).
pub async fn list(
    session: &Session,
    filter: &AuditFilter,
    request: &PageRequest,
) -> DomainResult<(Page<audit_event::Model>, u64)> {
    let scope = session.scope(Permission::ReadAudit)?;
    if let Some(actor) = &filter.actor {
        validation::filter_text("filter", &["actor"], actor)?;
    }
    validation::filter_texts("filter", &["types"], &filter.types)?;
    Ok((
        store::audit::list(&scope, filter, request).await?,
        store::audit::count(&scope, filter).await?,
    ))
}
