//! The parsed documents of recent query texts, so that a text clients send again is cloned from
//! its first parse rather than parsed again.
//!
//! Why: applications send the same few documents over and over, and parsing one (`pest`) is the
//! largest single step of a light read (a quarter of its instructions, `bench/README.md`, "CPU
//! per nested read"); cloning the parsed tree costs a fraction of that. Parsing is a pure
//! function of the text, so a cached document is exactly the document a new parse would give:
//! only texts that parsed are kept, every other bound of admission still runs on each request
//! (the scan before, the walk and the cost after), and errors are never cached.
//!
//! Bounds: a parsed document takes 30 to 100 times the memory of its text (measured for
//! `graphql::persisted`), so the cache is bounded by the bytes of the texts it keeps, at most
//! [`CACHED_TEXT_BYTES`] in all and [`MAX_CACHED_TEXT_BYTES`] each, the least recently used
//! dropped first: a few megabytes at most, whatever clients send. The cache holds documents,
//! never data, so it is shared by every tenant.

use std::sync::{Arc, OnceLock};

use async_graphql::parser::{self, types::ExecutableDocument};

use crate::text_lru::TextLru;

/// The longest text kept, in bytes: more than the documents applications send (a few hundred
/// bytes to a few KiB), less than generated or hostile ones.
pub const MAX_CACHED_TEXT_BYTES: usize = 4 * 1024;

/// The texts kept, in bytes in all (at most about 6 MB of parsed documents).
pub const CACHED_TEXT_BYTES: usize = 64 * 1024;

/// Parsed documents by their text, the least recently used first out.
pub struct ParsedDocuments {
    documents: TextLru<Arc<ExecutableDocument>>,
}

impl ParsedDocuments {
    /// An empty cache keeping at most `capacity` bytes of text.
    pub fn new(capacity: usize) -> Self {
        Self {
            documents: TextLru::new(capacity, MAX_CACHED_TEXT_BYTES),
        }
    }

    /// The cache of the process, for every request.
    pub fn shared() -> &'static Self {
        static SHARED: OnceLock<ParsedDocuments> = OnceLock::new();
        SHARED.get_or_init(|| Self::new(CACHED_TEXT_BYTES))
    }

    /// The document of `text`: a copy of the one parsed before, or a new parse, kept when it
    /// succeeds and the text is short enough.
    pub fn parse(&self, text: &str) -> parser::Result<ExecutableDocument> {
        if let Some(document) = self.documents.get(text) {
            return Ok(ExecutableDocument::clone(&document));
        }
        let document = parser::parse_query(text)?;
        if self.documents.fits(text) {
            self.documents.keep(text, Arc::new(document.clone()));
        }
        Ok(document)
    }

    /// How many documents are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Whether no document is kept.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(document: &ExecutableDocument) -> String {
        format!("{document:?}")
    }

    fn parsed(cache: &ParsedDocuments, text: &str) -> ExecutableDocument {
        cache
            .parse(text)
            .unwrap_or_else(|error| panic!("{error}: {text}"))
    }

    #[test]
    fn a_text_sent_again_gives_the_document_of_a_new_parse() {
        let cache = ParsedDocuments::new(CACHED_TEXT_BYTES);
        let text =
            "query Q($id: ID!) { plan(id: $id) { id name ...F } } fragment F on Plan { budget }";
        let first = parsed(&cache, text);
        assert_eq!(cache.len(), 1);
        let second = parsed(&cache, text);
        assert_eq!(cache.len(), 1);
        let fresh = parser::parse_query(text).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(printed(&first), printed(&fresh));
        assert_eq!(printed(&second), printed(&fresh));
    }

    #[test]
    fn errors_and_long_texts_are_not_kept() {
        let cache = ParsedDocuments::new(CACHED_TEXT_BYTES);
        assert!(cache.parse("{ plan(").is_err());
        assert!(cache.parse("{ plan(").is_err());
        let long = format!("{{ {} }}", "__typename ".repeat(MAX_CACHED_TEXT_BYTES / 10));
        assert!(long.len() > MAX_CACHED_TEXT_BYTES);
        parsed(&cache, &long);
        assert!(cache.is_empty());
    }

    #[test]
    fn the_least_recently_used_texts_go_first_once_the_bytes_are_spent() {
        let text = |n: usize| format!("{{ a{n}: __typename }}");
        let each = text(10).len();
        let cache = ParsedDocuments::new(each * 3);
        for n in 10..13 {
            parsed(&cache, &text(n));
        }
        assert_eq!(cache.len(), 3);
        // Reading the first makes the second the least recently used.
        parsed(&cache, &text(10));
        parsed(&cache, &text(13));
        assert_eq!(cache.len(), 3);
        assert!(cache.documents.contains(text(10).as_str()));
        assert!(!cache.documents.contains(text(11).as_str()));
        assert!(cache.documents.key_bytes() <= each * 3);
    }
}
