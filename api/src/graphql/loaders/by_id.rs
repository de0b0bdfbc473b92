//! One generic loader for "an object by its id", for every identified entity: `node`, `nodes`
//! and belongs-to fields (a campaign's plan) batch through it.

use std::{collections::HashMap, marker::PhantomData};

use async_graphql::dataloader::Loader;
use entity::Identified;
use sea_orm::ModelTrait;
use uuid::Uuid;

use super::ReadScope;
use crate::error::ApiError;

/// Loads rows of `E` by id within the caller's tenant.
pub struct ById<E> {
    scope: ReadScope,
    entity: PhantomData<fn() -> E>,
}

impl<E> ById<E> {
    /// A loader reading through `scope`.
    pub fn new(scope: ReadScope) -> Self {
        Self {
            scope,
            entity: PhantomData,
        }
    }
}

impl<E> Loader<Uuid> for ById<E>
where
    E: Identified,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = E::Model;
    type Error = ApiError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let scope = self.scope.clone()?;
        let rows = scope.find_many::<E>(keys).await?;
        let mut found = HashMap::with_capacity(rows.len());
        for row in rows {
            let id = sea_orm::sea_query::ValueType::try_from(row.get(E::id_column()))
                .map_err(|_| ApiError::internal(&"an id column did not hold a UUID"))?;
            found.insert(id, row);
        }
        Ok(found)
    }
}
