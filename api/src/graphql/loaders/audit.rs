//! Loaders of the audit trail: a page of each object's history and its count, in one statement
//! per page request. Their scope needs READ_AUDIT (ADMIN): anyone else's `history` is FORBIDDEN.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::audit_event;
use uuid::Uuid;

use super::ReadScope;
use crate::{
    error::ApiError,
    store::{self, page::Page, page::PageRequest},
};

/// One page of each object's history: (object id, page request).
pub struct AuditHistoryPages(pub ReadScope);

impl Loader<(Uuid, PageRequest)> for AuditHistoryPages {
    type Value = Page<audit_event::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, PageRequest)],
    ) -> Result<HashMap<(Uuid, PageRequest), Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let mut grouped: HashMap<PageRequest, Vec<Uuid>> = HashMap::new();
        for (id, request) in keys {
            grouped.entry(*request).or_default().push(*id);
        }
        let mut pages = HashMap::with_capacity(keys.len());
        for (request, ids) in grouped {
            for (id, page) in store::audit::history_by_object(&scope, &ids, &request).await? {
                pages.insert((id, request), page);
            }
        }
        Ok(pages)
    }
}

/// How many entries each object's history has.
pub struct AuditHistoryCounts(pub ReadScope);

impl Loader<Uuid> for AuditHistoryCounts {
    type Value = u64;
    type Error = ApiError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, u64>, Self::Error> {
        let scope = self.0.clone()?;
        Ok(store::audit::history_counts(&scope, keys).await?)
    }
}
