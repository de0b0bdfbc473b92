//! Loaders of comments: a page of threads per commented object and their counts, a page of
//! replies per thread and their counts. Keys that share a page request (and whether resolved
//! threads count) are read in one statement per target type.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::comment::{self, CommentTarget};
use uuid::Uuid;

use super::ReadScope;
use crate::{
    error::ApiError,
    store::{self, page::Page, page::PageRequest},
};

/// A page of an object's threads: (target type, target id, page request, include resolved).
pub type ThreadPageKey = (CommentTarget, Uuid, PageRequest, bool);

/// One page of each object's threads (their first comments, oldest first).
pub struct CommentThreads(pub ReadScope);

impl Loader<ThreadPageKey> for CommentThreads {
    type Value = Page<comment::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ThreadPageKey],
    ) -> Result<HashMap<ThreadPageKey, Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let mut grouped: HashMap<(CommentTarget, PageRequest, bool), Vec<Uuid>> = HashMap::new();
        for (target, id, request, resolved) in keys {
            grouped
                .entry((*target, *request, *resolved))
                .or_default()
                .push(*id);
        }
        let mut pages = HashMap::with_capacity(keys.len());
        for ((target, request, resolved), ids) in grouped {
            for (id, page) in
                store::comment::threads_by_target(&scope, target, &ids, resolved, &request).await?
            {
                pages.insert((target, id, request, resolved), page);
            }
        }
        Ok(pages)
    }
}

/// How many threads each object has: (target type, target id, include resolved).
pub struct CommentThreadCounts(pub ReadScope);

impl Loader<(CommentTarget, Uuid, bool)> for CommentThreadCounts {
    type Value = u64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(CommentTarget, Uuid, bool)],
    ) -> Result<HashMap<(CommentTarget, Uuid, bool), Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let mut grouped: HashMap<(CommentTarget, bool), Vec<Uuid>> = HashMap::new();
        for (target, id, resolved) in keys {
            grouped.entry((*target, *resolved)).or_default().push(*id);
        }
        let mut counts = HashMap::with_capacity(keys.len());
        for ((target, resolved), ids) in grouped {
            for (id, count) in
                store::comment::thread_counts_by_target(&scope, target, &ids, resolved).await?
            {
                counts.insert((target, id, resolved), count);
            }
        }
        Ok(counts)
    }
}

/// One page of each thread's replies, oldest first: (thread's first comment, page request).
pub struct CommentReplies(pub ReadScope);

impl Loader<(Uuid, PageRequest)> for CommentReplies {
    type Value = Page<comment::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, PageRequest)],
    ) -> Result<HashMap<(Uuid, PageRequest), Self::Value>, Self::Error> {
        let scope = self.0.clone()?;
        let mut grouped: HashMap<PageRequest, Vec<Uuid>> = HashMap::new();
        for (thread, request) in keys {
            grouped.entry(*request).or_default().push(*thread);
        }
        let mut pages = HashMap::with_capacity(keys.len());
        for (request, threads) in grouped {
            for (thread, page) in
                store::comment::replies_by_thread(&scope, &threads, &request).await?
            {
                pages.insert((thread, request), page);
            }
        }
        Ok(pages)
    }
}

/// How many replies each thread has (by its first comment's id).
pub struct CommentReplyCounts(pub ReadScope);

impl Loader<Uuid> for CommentReplyCounts {
    type Value = u64;
    type Error = ApiError;

    async fn load(&self, threads: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(store::comment::reply_counts_by_thread(&self.0.clone()?, threads).await?)
    }
}
