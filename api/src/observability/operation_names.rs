//! The operation names GraphQL metrics are labelled with, bounded: the first
//! [`MAX_OPERATION_NAMES`] distinct names an application sees keep their own label, every later
//! one is counted as [`OTHER`], and an operation without a name as [`ANONYMOUS`]. Names come
//! from parsed documents only (a GraphQL name, at most a few hundred bytes), never from the
//! request's `operationName` alone.
//!
//! The names are kept in a fixed table of write-once slots (open addressing): looking a name up
//! is a hash and a few atomic loads, with no lock; only the first sighting of a name writes a
//! slot.

use std::{
    hash::{BuildHasher, RandomState},
    sync::{
        Arc, OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
};

/// The most distinct operation names labelled apart, per application.
pub const MAX_OPERATION_NAMES: usize = 100;

/// The slots of the table: a power of two, at least twice the names kept, so probes stay short.
const SLOTS: usize = 256;

/// The label of an operation without a name.
pub const ANONYMOUS: &str = "anonymous";

/// The label of a named operation once [`MAX_OPERATION_NAMES`] others were seen.
pub const OTHER: &str = "other";

/// The label of an operation whose document was refused before it could be read (it does not
/// parse, is over a bound, or names no operation to run).
pub const UNKNOWN: &str = "unknown";

/// An operation's label: one of the fixed ones, or a name kept in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationName {
    /// [`ANONYMOUS`], [`OTHER`] or [`UNKNOWN`].
    Fixed(&'static str),
    /// A name of the table.
    Named(Arc<str>),
}

impl OperationName {
    /// The label's text.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Fixed(label) => label,
            Self::Named(name) => name,
        }
    }
}

impl From<&OperationName> for metrics::SharedString {
    fn from(name: &OperationName) -> Self {
        match name {
            OperationName::Fixed(label) => metrics::SharedString::const_str(label),
            OperationName::Named(name) => metrics::SharedString::from(Arc::clone(name)),
        }
    }
}

/// The names one application labels apart.
pub struct OperationNames {
    slots: Box<[OnceLock<Arc<str>>]>,
    kept: AtomicUsize,
    hasher: RandomState,
}

impl Default for OperationNames {
    fn default() -> Self {
        Self {
            slots: (0..SLOTS).map(|_| OnceLock::new()).collect(),
            kept: AtomicUsize::new(0),
            hasher: RandomState::new(),
        }
    }
}

impl OperationNames {
    /// The label of an operation named `name` (`None`: anonymous).
    pub fn label(&self, name: Option<&str>) -> OperationName {
        let Some(name) = name else {
            return OperationName::Fixed(ANONYMOUS);
        };
        let mask = SLOTS - 1;
        // `as usize` keeps the hash's low bits, all the mask needs.
        let mut index = self.hasher.hash_one(name) as usize & mask;
        for _ in 0..SLOTS {
            let slot = &self.slots[index];
            match slot.get() {
                Some(kept) if **kept == *name => return OperationName::Named(Arc::clone(kept)),
                Some(_) => index = (index + 1) & mask,
                None => {
                    // Two threads may both pass this check and keep one name more than the
                    // bound: one per thread at most, and the table has room for them.
                    if self.kept.load(Ordering::Relaxed) >= MAX_OPERATION_NAMES {
                        return OperationName::Fixed(OTHER);
                    }
                    if slot.set(Arc::from(name)).is_ok() {
                        self.kept.fetch_add(1, Ordering::Relaxed);
                    }
                    // Kept now, by this thread or by one that raced it here: look again.
                }
            }
        }
        OperationName::Fixed(OTHER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kept_up_to_the_bound_then_counted_as_other() {
        let names = OperationNames::default();
        assert_eq!(names.label(None), OperationName::Fixed(ANONYMOUS));
        for index in 0..MAX_OPERATION_NAMES {
            let name = format!("Operation{index}");
            assert_eq!(names.label(Some(&name)).as_str(), name);
        }
        assert_eq!(names.label(Some("OneTooMany")), OperationName::Fixed(OTHER));
        // The names kept keep their labels.
        assert_eq!(names.label(Some("Operation7")).as_str(), "Operation7");
        assert_eq!(names.label(Some("Operation99")).as_str(), "Operation99");
    }

    #[test]
    fn threads_agree_on_the_names_they_see_together() {
        let names = Arc::new(OperationNames::default());
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let names = Arc::clone(&names);
                std::thread::spawn(move || {
                    (0..50)
                        .map(|index| names.label(Some(&format!("Shared{index}"))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for thread in threads {
            let labels = thread
                .join()
                .unwrap_or_else(|_| panic!("a labelling thread panicked"));
            for (index, label) in labels.iter().enumerate() {
                assert_eq!(label.as_str(), format!("Shared{index}"));
            }
        }
    }
}
