//! The loader of the caller's tenant, so that `nodes` given its Tenant ID many times (or other
//! tenants' IDs) reads the tenant once.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::tenant;
use uuid::Uuid;

use super::ReadScope;
use crate::{error::ApiError, store};

/// The caller's tenant by id: the only tenant visible, so other ids find nothing.
pub struct CurrentTenant(pub ReadScope);

impl Loader<Uuid> for CurrentTenant {
    type Value = tenant::Model;
    type Error = ApiError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let tenant = store::tenant::current(&self.0.clone()?).await?;
        Ok(if ids.contains(&tenant.id) {
            HashMap::from([(tenant.id, tenant)])
        } else {
            HashMap::new()
        })
    }
}
