//! `auditEvents`.

use crate::{
    connection_fields, domain,
    error::ApiError,
    graphql::{context::session, inputs::audit::AuditEventFilter, types::AuditEventConnection},
};

/// Queries on the audit trail.
#[derive(Default)]
pub struct AuditQuery;

connection_fields! {
    impl AuditQuery {
        /// The tenant's audit trail, oldest first: every change made through the API, with who
        /// made it, when, and the fields before and after. ADMIN only (others: FORBIDDEN).
        async fn audit_events(
            &self,
            ctx: &Context<'_>,
            page: PageArgs,
            #[graphql(desc = "Only entries matching this filter.")]
            filter: Option<AuditEventFilter>,
        ) -> Result<AuditEventConnection> {
            let request = page.into_request()?;
            let filter = filter.unwrap_or_default().into_filter()?;
            let (page, total) = domain::audit::list(session(ctx)?, &filter, &request)
                .await
                .map_err(ApiError::from)?;
            Ok(AuditEventConnection::new(page, total))
        }
    }
}
