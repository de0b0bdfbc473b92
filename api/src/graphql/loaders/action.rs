//! Loaders of action lists: a page of actions per plan or per campaign, and their counts. Keys
//! that share a list shape (parent kind, filter, order, page request) are read in one statement.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::action;
use uuid::Uuid;

use super::ReadScope;
use crate::{
    error::ApiError,
    store::{
        self,
        campaign::action::{ActionFilter, ActionParent, ActionSort},
        page::{OrderedPageRequest, Page},
    },
};

/// The shape of a nested action list, shared by every parent that asks for the same one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionListShape {
    /// Which relation the list follows.
    pub parent: ActionParent,
    /// The filter.
    pub filter: ActionFilter,
    /// The sort column.
    pub sort: ActionSort,
    /// The slice.
    pub request: OrderedPageRequest,
}

/// One page of a parent's actions.
pub struct ActionPages(pub ReadScope);

impl Loader<(Uuid, ActionListShape)> for ActionPages {
    type Value = Page<action::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, ActionListShape)],
    ) -> Result<HashMap<(Uuid, ActionListShape), Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let mut by_shape: HashMap<&ActionListShape, Vec<Uuid>> = HashMap::new();
        for (parent_id, shape) in keys {
            by_shape.entry(shape).or_default().push(*parent_id);
        }
        let mut pages = HashMap::with_capacity(keys.len());
        for (shape, parent_ids) in by_shape {
            for (parent_id, page) in store::campaign::action::pages_by_parent(
                &scope,
                shape.parent,
                &parent_ids,
                &shape.filter,
                shape.sort,
                &shape.request,
            )
            .await?
            {
                pages.insert((parent_id, shape.clone()), page);
            }
        }
        Ok(pages)
    }
}

/// How many matching actions each parent has.
pub struct ActionCounts(pub ReadScope);

impl Loader<(Uuid, ActionParent, ActionFilter)> for ActionCounts {
    type Value = u64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, ActionParent, ActionFilter)],
    ) -> Result<HashMap<(Uuid, ActionParent, ActionFilter), Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let mut by_shape: HashMap<(ActionParent, &ActionFilter), Vec<Uuid>> = HashMap::new();
        for (parent_id, parent, filter) in keys {
            by_shape
                .entry((*parent, filter))
                .or_default()
                .push(*parent_id);
        }
        let mut counts = HashMap::with_capacity(keys.len());
        for ((parent, filter), parent_ids) in by_shape {
            for (parent_id, count) in
                store::campaign::action::counts_by_parent(&scope, parent, &parent_ids, filter)
                    .await?
            {
                counts.insert((parent_id, parent, filter.clone()), count);
            }
        }
        Ok(counts)
    }
}
