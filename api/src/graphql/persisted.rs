//! Automatic persisted queries: Apollo's protocol (version 1), which Apollo Client's persisted
//! query link and urql's `persistedExchange` speak. A client sends
//! `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}`:
//!
//! - with the hash alone, the query registered under it runs; an unknown hash answers one error
//!   whose message is `PersistedQueryNotFound`, and the client sends the request again with its
//!   query;
//! - with the hash and the query, the query is checked against the hash (SHA-256 of its text),
//!   and registered once admitted.
//!
//! Either way the query's text then goes through admission like any other
//! (`graphql::admission`): bytes, tokens and fields count in its batch's budget, and nothing is
//! parsed before the scan has bounded it.
//!
//! The cache keeps texts, as Apollo Server's does, at most `LEVIER_APQ_CACHE_SIZE` of them in
//! each process, the least recently used dropped first, and only texts of at most
//! [`MAX_PERSISTED_QUERY_BYTES`]: a full cache holds at most size × 16 KiB (about 16 MB by default)
//! whatever clients register. A longer query still runs; its hash alone keeps missing, and the
//! client sends the query each time. (async-graphql's `ApolloPersistedQueries` extension and its
//! `LruCacheStorage` keep parsed documents, measured at 30 to 100 times their text: 16 KiB of
//! text took 0.5 to 1.7 MB. That extension also parses a registered query before any bound
//! applies, cannot admit a batch's hash-only operations, and, like every extension, adds a step
//! to the resolution of every field; running the protocol in admission avoids all four.)
//!
//! The cache is shared by every tenant: it holds queries, never data, and a hash is only ever
//! registered with its own text.

use std::{
    num::NonZeroUsize,
    sync::{Arc, Mutex, PoisonError},
};

use async_graphql::{Request, ServerError, Value};
use lru::LruCache;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The message of an unknown hash: the one Apollo Client and urql look for before sending the
/// query again (Apollo Client also accepts the code `PERSISTED_QUERY_NOT_FOUND`, which is not
/// among this API's codes).
pub const PERSISTED_QUERY_NOT_FOUND: &str = "PersistedQueryNotFound";

/// The longest query text kept in the cache, in bytes: 16 KiB, several times the documents
/// applications send (see the module's doc).
pub const MAX_PERSISTED_QUERY_BYTES: usize = 16 * 1024;

/// The protocol's only version.
const VERSION: i32 = 1;

/// The registered queries, by the hex SHA-256 of their text.
#[derive(Clone)]
pub struct PersistedQueries(Arc<Mutex<LruCache<String, String>>>);

/// What a request's `persistedQuery` extension asked for (its text is in the request now).
#[derive(Debug, PartialEq, Eq)]
pub enum Persisted {
    /// No persisted query.
    No,
    /// A hash with its query: register the query once admitted, under this hash.
    Register(String),
    /// A hash alone, known: its query was put into the request.
    Stored,
}

/// Why a request's persisted query cannot be used.
#[derive(Debug)]
pub enum PersistedError {
    /// The hash is not (or no longer) registered: the client sends the query with it.
    NotFound,
    /// The extension is malformed, of another version, or the query does not match the hash.
    Invalid(String),
}

/// The `persistedQuery` extension as clients send it.
#[derive(Deserialize)]
struct Extension {
    version: i32,
    #[serde(rename = "sha256Hash")]
    sha256_hash: String,
}

impl PersistedQueries {
    /// A cache of at most `capacity` queries.
    pub fn new(capacity: NonZeroUsize) -> Self {
        Self(Arc::new(Mutex::new(LruCache::new(capacity))))
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, LruCache<String, String>> {
        // A panic while holding the lock cannot leave the cache inconsistent: every use is one
        // call of `LruCache`.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes `request`'s `persistedQuery` extension (the engine never sees it), puts the query
    /// registered under a hash alone into the request, and says what was asked for.
    pub fn resolve(&self, request: &mut Request) -> Result<Persisted, PersistedError> {
        let Some(value) = request.extensions.0.remove("persistedQuery") else {
            return Ok(Persisted::No);
        };
        let extension = parse_extension(value)?;
        let hash = extension.sha256_hash.to_ascii_lowercase();
        if request.query.is_empty() {
            let query = self.cache().get(&hash).cloned();
            return match query {
                Some(query) => {
                    request.query = query;
                    Ok(Persisted::Stored)
                }
                None => Err(PersistedError::NotFound),
            };
        }
        if hex::encode(Sha256::digest(request.query.as_bytes())) != hash {
            // Apollo Server's words, for clients that show them.
            return Err(PersistedError::Invalid(
                "provided sha does not match query".to_owned(),
            ));
        }
        Ok(Persisted::Register(hash))
    }

    /// Registers `query`, admitted, under `hash` (from [`Persisted::Register`]), unless it is
    /// longer than [`MAX_PERSISTED_QUERY_BYTES`].
    pub fn register(&self, hash: String, query: &str) {
        if query.len() <= MAX_PERSISTED_QUERY_BYTES {
            self.cache().put(hash, query.to_owned());
        }
    }
}

fn parse_extension(value: Value) -> Result<Extension, PersistedError> {
    let extension: Extension = async_graphql::from_value(value).map_err(|_| {
        PersistedError::Invalid(
            "extensions.persistedQuery must be {\"version\": 1, \"sha256Hash\": \"<SHA-256 of the query, in hex>\"}"
                .to_owned(),
        )
    })?;
    if extension.version != VERSION {
        return Err(PersistedError::Invalid(format!(
            "only version {VERSION} of extensions.persistedQuery is supported, not {}",
            extension.version
        )));
    }
    let hash = &extension.sha256_hash;
    if hash.len() != 64 || !hash.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(PersistedError::Invalid(
            "extensions.persistedQuery.sha256Hash must be 64 hexadecimal digits".to_owned(),
        ));
    }
    Ok(extension)
}

impl From<PersistedError> for ServerError {
    fn from(error: PersistedError) -> Self {
        match error {
            PersistedError::NotFound => ServerError::new(PERSISTED_QUERY_NOT_FOUND, None),
            PersistedError::Invalid(message) => ServerError::new(message, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::value;

    use super::*;

    const QUERY: &str = "{ viewer { subject } }";

    fn hash_of(query: &str) -> String {
        hex::encode(Sha256::digest(query.as_bytes()))
    }

    fn request(query: &str, extension: Value) -> Request {
        let mut request = Request::new(query);
        request
            .extensions
            .0
            .insert("persistedQuery".to_owned(), extension);
        request
    }

    fn by_hash(hash: &str) -> Request {
        request("", value!({ "version": 1, "sha256Hash": hash }))
    }

    fn cache() -> PersistedQueries {
        PersistedQueries::new(NonZeroUsize::MIN.saturating_add(1))
    }

    #[test]
    fn a_request_without_the_extension_is_left_alone() {
        let mut plain = Request::new(QUERY);
        assert_eq!(cache().resolve(&mut plain).ok(), Some(Persisted::No));
        assert_eq!(plain.query, QUERY);
    }

    #[test]
    fn a_hash_is_registered_with_its_query_and_then_found() {
        let cache = cache();
        let hash = hash_of(QUERY);
        let mut unknown = by_hash(&hash);
        assert!(matches!(
            cache.resolve(&mut unknown),
            Err(PersistedError::NotFound)
        ));
        assert!(unknown.extensions.0.is_empty(), "the extension is taken");

        // Upper-case hex names the same hash.
        let mut register = request(
            QUERY,
            value!({ "version": 1, "sha256Hash": hash.to_ascii_uppercase() }),
        );
        assert_eq!(
            cache.resolve(&mut register).ok(),
            Some(Persisted::Register(hash.clone()))
        );
        cache.register(hash.clone(), QUERY);

        let mut known = by_hash(&hash);
        assert_eq!(cache.resolve(&mut known).ok(), Some(Persisted::Stored));
        assert_eq!(known.query, QUERY);
    }

    #[test]
    fn a_long_query_is_not_kept() {
        let cache = cache();
        let long = format!("# {}\n{QUERY}", "x".repeat(MAX_PERSISTED_QUERY_BYTES));
        cache.register(hash_of(&long), &long);
        assert!(matches!(
            cache.resolve(&mut by_hash(&hash_of(&long))),
            Err(PersistedError::NotFound)
        ));
    }

    #[test]
    fn malformed_extensions_and_wrong_hashes_are_invalid() {
        let cache = cache();
        for (query, extension) in [
            (
                QUERY,
                value!({ "version": 1, "sha256Hash": hash_of("{ other }") }),
            ),
            (
                QUERY,
                value!({ "version": 2, "sha256Hash": hash_of(QUERY) }),
            ),
            (QUERY, value!({ "version": 1 })),
            (QUERY, value!("abc")),
            ("", value!({ "version": 1, "sha256Hash": "abc" })),
            ("", value!({ "version": 1, "sha256Hash": "g".repeat(64) })),
        ] {
            let mut request = request(query, extension.clone());
            assert!(
                matches!(cache.resolve(&mut request), Err(PersistedError::Invalid(_))),
                "{extension}"
            );
        }
    }

    #[test]
    fn the_least_recently_used_query_goes_first() {
        let cache = cache();
        for query in ["{ a }", "{ b }"] {
            cache.register(hash_of(query), query);
        }
        // Reading `a` makes `b` the least recently used.
        assert!(cache.resolve(&mut by_hash(&hash_of("{ a }"))).is_ok());
        cache.register(hash_of("{ c }"), "{ c }");
        let found = |query: &str| cache.resolve(&mut by_hash(&hash_of(query))).is_ok();
        assert!(found("{ a }"));
        assert!(
            !found("{ b }"),
            "a capacity of 2 dropped the least recently used"
        );
        assert!(found("{ c }"));
    }
}
