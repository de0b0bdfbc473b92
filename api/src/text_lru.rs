//! A map keyed by text and bounded by the bytes of its keys, the least recently used entry
//! dropped first: what the caches of client-sent texts (parsed query documents, verified
//! tokens) keep their entries in, so that no client can make them grow past their bound.

use std::sync::{Mutex, MutexGuard, PoisonError};

use lru::LruCache;

/// Values by text, at most `capacity` bytes of keys in all, each key at most `max_key_bytes`.
pub struct TextLru<V> {
    entries: Mutex<Entries<V>>,
    capacity: usize,
    max_key_bytes: usize,
}

struct Entries<V> {
    values: LruCache<Box<str>, V>,
    key_bytes: usize,
}

impl<V: Clone> TextLru<V> {
    /// An empty map keeping at most `capacity` bytes of keys, each at most `max_key_bytes`.
    pub fn new(capacity: usize, max_key_bytes: usize) -> Self {
        Self {
            entries: Mutex::new(Entries {
                values: LruCache::unbounded(),
                key_bytes: 0,
            }),
            capacity,
            max_key_bytes,
        }
    }

    /// The value kept for `key`, when `still_good` says it still holds; one that no longer
    /// does is dropped.
    pub fn get_if(&self, key: &str, still_good: impl FnOnce(&V) -> bool) -> Option<V> {
        let mut entries = self.lock();
        let value = entries.values.get(key)?;
        if still_good(value) {
            return Some(value.clone());
        }
        if let Some((dropped, _)) = entries.values.pop_entry(key) {
            entries.key_bytes -= dropped.len();
        }
        None
    }

    /// The value kept for `key`.
    pub fn get(&self, key: &str) -> Option<V> {
        self.get_if(key, |_| true)
    }

    /// Keeps `value` for `key`, unless the key is too long or already kept (two workers may
    /// make the same new entry at once: the second finds it kept); then drops the least
    /// recently used entries past the bound.
    pub fn keep(&self, key: &str, value: V) {
        if !self.fits(key) {
            return;
        }
        let mut entries = self.lock();
        if entries.values.contains(key) {
            return;
        }
        entries.key_bytes += key.len();
        entries.values.put(key.into(), value);
        while entries.key_bytes > self.capacity {
            let Some((dropped, _)) = entries.values.pop_lru() else {
                break;
            };
            entries.key_bytes -= dropped.len();
        }
    }

    /// Whether an entry for `key` would be kept: the key is within both bounds.
    pub fn fits(&self, key: &str) -> bool {
        key.len() <= self.max_key_bytes && key.len() <= self.capacity
    }

    /// Whether `key` is kept (without making it the most recently used).
    pub fn contains(&self, key: &str) -> bool {
        self.lock().values.contains(key)
    }

    /// The bytes of the keys kept.
    pub fn key_bytes(&self) -> usize {
        self.lock().key_bytes
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.lock().values.len()
    }

    /// Whether no entry is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, Entries<V>> {
        // The entries are consistent between statements: a panic elsewhere leaves them usable.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
